"""Reads: progress by unit and by indicator as database aggregates (paged by the caller), and each report's
missing-material flag as an ``Exists`` annotation (no per-row Python over a province's reports)."""

from __future__ import annotations

from django.db.models import Count, Exists, F, OuterRef, Q

from .models import Attachment, MaterialItem, ReportStatus, SelfReport

PROGRESS_SORTS = {"name": "name", "-name": "-name", "done": "submitted", "-done": "-submitted",
                  "missing": "missing", "-missing": "-missing", "returned": "-returned"}


def with_flags(reports):
    """Annotate ``missing``: a required item of the list has no file attached to this report."""
    missing = MaterialItem.objects.filter(requirement=OuterRef("requirement_id"), required=True).exclude(
        Exists(Attachment.objects.filter(report=OuterRef(OuterRef("pk")), item=OuterRef("pk"))))
    return reports.annotate(missing=Exists(missing))


def _counts():
    return {
        "total": Count("pk"),
        "submitted": Count("pk", filter=Q(status=ReportStatus.SUBMITTED)),
        "returned": Count("pk", filter=Q(status=ReportStatus.RETURNED)),
        "draft": Count("pk", filter=Q(status=ReportStatus.DRAFT)),
        "pending": Count("pk", filter=Q(status=ReportStatus.PENDING)),
        "missing": Count("pk", filter=Q(missing=True) & ~Q(status=ReportStatus.SUBMITTED)),
    }


def progress_by_unit(campaign, sort: str = "name"):
    """One row per assessed unit: reports in total, submitted, returned, in progress, not started, missing."""
    rows = (with_flags(SelfReport.objects.filter(campaign=campaign))
            .values("unit_id", "unit__code", name=F("unit__name"), path=F("unit__path"))
            .annotate(**_counts()))
    order = PROGRESS_SORTS.get(sort, "name")
    key = order.lstrip("-")
    return rows.order_by(order if key != "name" else ("-path" if order.startswith("-") else "path"), "unit_id")


def progress_by_indicator(campaign, sort: str = "name"):
    rows = (with_flags(SelfReport.objects.filter(campaign=campaign))
            .values("indicator_id", "indicator__code", "requirement__deadline",
                    name=F("indicator__title"), sortkey=F("indicator__sort"))
            .annotate(**_counts()))
    order = PROGRESS_SORTS.get(sort, "name")
    key = order.lstrip("-")
    return rows.order_by(order if key != "name" else ("-sortkey" if order.startswith("-") else "sortkey"),
                         "indicator__code")


def totals(campaign) -> dict:
    """The campaign's counts. ``missing`` is counted apart: Django's ``aggregate()`` drops a filter on an
    ``Exists`` annotation (it counted 0 where the grouped rows count 8), so it is a count of its own."""
    reports = SelfReport.objects.filter(campaign=campaign)
    counts = {key: value for key, value in _counts().items() if key != "missing"}
    result = reports.aggregate(**counts)
    result["missing"] = with_flags(reports).filter(missing=True).exclude(status=ReportStatus.SUBMITTED).count()
    return result
