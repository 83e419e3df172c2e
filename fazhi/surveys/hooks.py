"""Extension points of the surveys app for the apps above it (they must not be imported from here).

``register_opinion_source(source)``: where 社情民意 comes from — the portal, whose opinions the office moderates,
sits above the domain apps, so it registers ``source(unit_ids, year) -> {unit_id: count}`` (accepted opinions
about each unit submitted in that year) from its ``AppConfig.ready()``. Without a source, 社情民意 is "not
collected": the satisfaction formula leaves its weight out and says so, rather than counting 0 opinions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

OpinionSource = Callable[[Iterable[int], int], dict[int, int]]

_SOURCES: list[OpinionSource] = []


def register_opinion_source(source: OpinionSource) -> None:
    """Add a source (idempotent: ``ready()`` may run twice in tests)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def opinion_counts(unit_ids: Iterable[int], year: int) -> dict[int, int] | None:
    """Accepted opinions per unit from every registered source, added up; None when no source is registered."""
    if not _SOURCES:
        return None
    unit_ids = list(unit_ids)
    total: dict[int, int] = dict.fromkeys(unit_ids, 0)
    for source in _SOURCES:
        for unit_id, n in source(unit_ids, year).items():
            total[unit_id] = total.get(unit_id, 0) + n
    return total
