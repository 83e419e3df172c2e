"""Extension points of the assessment app for the apps above it (they must not be imported from here).

``register_score_panel(provider)``: a panel shown on the scoring page of one cell (评分详情), e.g. the unit's
self-report and its materials (自评材料) or the supervision findings on that unit (督察发现). A provider is
``provider(request, *, campaign, indicator, unit, subunit) -> str | None``: HTML it rendered from its own
template (escaped by the template engine), or None when it has nothing for this cell. The scoring view has
already checked that the user scores the cell; a provider checks its own data's scope on top.

``register_row_links(provider)``: links shown on the rows of the scoring worklist (评分), e.g. to the unit's
self-report on that indicator. A provider is ``provider(request, *, campaign, cells) -> {key: [(url, label)]}``
for a whole page of cells at once (a fixed number of queries per page, not per row); ``key`` is
``(indicator_id, unit_id, subunit_id or None)``. It returns only what the user may open.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString

ScorePanel = Callable[..., "str | None"]
RowLinks = Callable[..., "dict[tuple, list[tuple[str, str]]]"]

_SCORE_PANELS: list[ScorePanel] = []
_ROW_LINKS: list[RowLinks] = []


def register_score_panel(provider: ScorePanel) -> None:
    """Add a panel provider (idempotent: ``ready()`` may run twice in tests)."""
    if provider not in _SCORE_PANELS:
        _SCORE_PANELS.append(provider)


def score_panels(request, *, campaign, indicator, unit, subunit=None) -> list[SafeString]:
    """The panels every registered provider has for this cell, in registration order."""
    panels = []
    for provider in _SCORE_PANELS:
        html = provider(request, campaign=campaign, indicator=indicator, unit=unit, subunit=subunit)
        if html:
            panels.append(html)
    return panels


def register_row_links(provider: RowLinks) -> None:
    """Add a worklist-row link provider (idempotent)."""
    if provider not in _ROW_LINKS:
        _ROW_LINKS.append(provider)


def row_links(request, *, campaign, cells) -> dict[tuple, list[tuple[str, str]]]:
    """Every provider's links for these cells, keyed ``(indicator_id, unit_id, subunit_id)``."""
    cells = list(cells)
    links: dict[tuple, list[tuple[str, str]]] = {}
    if not cells:
        return links
    for provider in _ROW_LINKS:
        for key, found in provider(request, campaign=campaign, cells=cells).items():
            links.setdefault(key, []).extend(found)
    return links
