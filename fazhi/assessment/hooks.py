"""Extension points of the assessment app for the apps above it (they must not be imported from here).

``register_score_panel(provider)``: a panel shown on the scoring page of one cell (评分详情), e.g. the unit's
self-report and its materials (自评材料) or the supervision findings on that unit (督察发现). A provider is
``provider(request, *, campaign, indicator, unit, subunit) -> str | None``: HTML it rendered from its own
template (escaped by the template engine), or None when it has nothing for this cell. The scoring view has
already checked that the user scores the cell; a provider checks its own data's scope on top.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString

ScorePanel = Callable[..., "str | None"]

_SCORE_PANELS: list[ScorePanel] = []


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
