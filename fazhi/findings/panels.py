"""The panel this app adds to the scoring page of a cell (``fazhi.assessment.hooks``): supervision findings and
web-search records on that unit for that indicator, as reference for the scorer."""

from __future__ import annotations

from django.template.loader import render_to_string

from . import policies


def score_panel(request, *, campaign, indicator, unit, subunit=None) -> str | None:
    target = subunit or unit
    units = {unit.pk, target.pk}
    findings = list(policies.findings_for(request.user).filter(campaign=campaign, indicators=indicator,
                                                                unit__in=units).select_related("rectification"))
    records = list(policies.web_records_for(request.user).filter(campaign=campaign, indicator=indicator,
                                                                  unit__in=units))
    if not findings and not records:
        return None
    return render_to_string("findings/_score_panel.html", {"findings": findings, "records": records},
                            request=request)
