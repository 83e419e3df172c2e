"""What this app adds to the assessment scoring pages (``fazhi.assessment.hooks``): on a cell's page, the unit's
account and materials; on each worklist row, a link to the unit's self-report on that indicator — both only
when the scorer may read that report (submitted or returned, on a cell it scores)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from . import policies, services
from .models import ReportStatus


def score_panel(request, *, campaign, indicator, unit, subunit=None) -> str | None:
    report = (policies.reports_for(request.user).filter(campaign=campaign, indicator=indicator, unit=unit)
              .select_related("requirement").first())
    if report is None:
        return None
    return render_to_string("selfreport/_score_panel.html", {
        "report": report, "attachments": report.attachments.select_related("item"),
        "missing": services.missing_items(report), "linked": report.task_evidence.select_related("report__task"),
        "can_assess": policies.can_assess(request.user, report)}, request=request)


def row_links(request, *, campaign, cells) -> dict[tuple, list[tuple[str, str]]]:
    """One query for a page of worklist cells: the readable reports on those indicators and units."""
    indicator_ids = {cell.indicator.pk for cell in cells}
    unit_ids = {cell.unit.pk for cell in cells}
    reports = (policies.reports_for(request.user).filter(campaign=campaign, indicator__in=indicator_ids,
                                                         unit__in=unit_ids)
               .values_list("pk", "indicator_id", "unit_id", "status"))
    labels = {ReportStatus.SUBMITTED: _("自评材料"), ReportStatus.RETURNED: _("自评材料（已退回补充）")}
    found = {(indicator_id, unit_id): (pk, status) for pk, indicator_id, unit_id, status in reports}
    links: dict[tuple, list[tuple[str, str]]] = {}
    for cell in cells:
        report = found.get((cell.indicator.pk, cell.unit.pk))
        if report is not None:
            key = (cell.indicator.pk, cell.unit.pk, cell.subunit.pk if cell.subunit else None)
            links[key] = [(reverse("selfreport:assess", args=[report[0]]),
                           str(labels.get(report[1], _("自评材料"))))]
    return links
