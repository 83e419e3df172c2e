"""The panel this app adds to the assessment scoring page of a cell (``fazhi.assessment.hooks``): the unit's
account and materials, when the scorer may read that report."""

from __future__ import annotations

from django.template.loader import render_to_string

from . import policies, services


def score_panel(request, *, campaign, indicator, unit, subunit=None) -> str | None:
    report = (policies.reports_for(request.user).filter(campaign=campaign, indicator=indicator, unit=unit)
              .select_related("requirement").first())
    if report is None:
        return None
    return render_to_string("selfreport/_score_panel.html", {
        "report": report, "attachments": report.attachments.select_related("item"),
        "missing": services.missing_items(report), "linked": report.task_evidence.select_related("report__task"),
        "can_assess": policies.can_assess(request.user, report)}, request=request)
