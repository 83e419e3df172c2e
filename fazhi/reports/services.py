"""Writes for annual reports (services: keyword-only, validated, atomic).

Rules: an assessed unit submits its own report; an office reviews (comment / accept / return) the reports of
its subtree (``policies.managed_units``) and may import past reports in bulk. A report is public on the portal
only once accepted (DOMAIN.md §5.6 spirit: the office decides what is published); every status change
re-syncs the search index in the same transaction.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import record_event
from fazhi.orgs import policies
from fazhi.orgs.models import Role, Unit
from fazhi.portal import search

from . import analysis
from . import policies as report_policies
from .models import AnnualReport, ReportComment, ReportFigure, ReportSettings, ReportStatus, default_deadline


def max_upload_bytes() -> int:
    return int(getattr(settings, "FAZHI_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def report_deadline(*, unit: Unit, year: int) -> datetime.date:
    """The deadline set by the nearest office jurisdiction above ``unit`` for ``year``, else 1 April of year+1."""
    prefixes = [unit.path[:i] for i in range(len(unit.path), 0, -8)]
    settings_rows = {
        s.root.path: s.deadline
        for s in ReportSettings.objects.filter(year=year, root__path__in=prefixes).select_related("root")
    }
    for prefix in prefixes:  # nearest first
        if prefix in settings_rows:
            return settings_rows[prefix]
    return default_deadline(year)


@transaction.atomic
def report_settings_set(*, user, year: int, deadline: datetime.date) -> ReportSettings:
    root = policies.jurisdiction(user)
    if root is None:
        raise PermissionDenied
    obj, created = ReportSettings.objects.get_or_create(root=root, year=year, defaults={"deadline": deadline})
    before = None if created else {"deadline": obj.deadline}
    obj.deadline = deadline
    obj.full_clean()
    obj.save()
    record_event(actor=user, action="reports.settings", target=obj, before=before,
                 after={"year": year, "deadline": deadline}, unit=root)
    return obj


can_submit_for = report_policies.can_submit_for  # moved to policies; the name stays for existing callers


def _apply_check(report: AnnualReport, result: analysis.Analysis) -> None:
    check = dict(result.check)
    check["deadline"] = analysis.deadline_check(report.published_on, report_deadline(unit=report.unit, year=report.year))
    report.check_result = check
    report.clean_text = result.clean_text


def _replace_figures(report: AnnualReport, rows: list[dict]) -> None:
    report.figures.all().delete()
    ReportFigure.objects.bulk_create([ReportFigure(report=report, **row) for row in rows])


@transaction.atomic
def report_save(
    *,
    user,
    unit: Unit,
    year: int,
    text: str | None = None,
    data: bytes | None = None,
    filename: str | None = None,
    title: str = "",
    published_on: datetime.date | None = None,
    publication_url: str = "",
    submit: bool = True,
    status: str | None = None,
) -> AnnualReport:
    """Create or replace the report of ``unit`` for ``year`` from an upload (``data``) or pasted ``text``.

    Raises ``PermissionDenied``, ``analysis.DocumentError`` (file refused) or ``ValidationError``; nothing is
    written unless everything succeeds (one transaction).
    """
    if not can_submit_for(user, unit):
        raise PermissionDenied
    if status == ReportStatus.ACCEPTED and not policies.has_role(user, Role.OFFICE):
        raise PermissionDenied  # only an office accepts (bulk import of already published reports)
    if data is not None:
        if len(data) > max_upload_bytes():
            raise analysis.DocumentError(f"{len(data)} > {max_upload_bytes()}", zh="文件过大", en="the file is too large")
        text = analysis.read_upload(data, filename, max_upload_bytes())
    if not text or not text.strip():
        raise analysis.DocumentError(zh="文档为空", en="the document is empty")
    result = analysis.analyse(text)
    report = AnnualReport.objects.select_for_update().filter(unit=unit, year=year).first()
    before = None if report is None else {"status": report.status, "title": report.title}
    if report is None:
        report = AnnualReport(unit=unit, year=year)
    elif not report.is_editable and status is None:
        raise ValidationError({"year": f"{unit.name} {year} 年度报告已提交或已通过，不能再修改"})
    report.title = (title or result.title or f"{unit.name}{year}年法治政府建设情况报告")[:300]
    report.original_text = text
    report.published_on = published_on or result.published_on
    report.publication_url = publication_url
    report.status = status or (ReportStatus.SUBMITTED if submit else ReportStatus.DRAFT)
    if report.status != ReportStatus.DRAFT:
        report.submitted_by = user
        report.submitted_at = timezone.now()
    if data is not None and filename:
        report.source_name = filename[:255]
    _apply_check(report, result)
    report.full_clean(exclude=["source_file"])
    report.save()
    if data is not None and filename:
        report.source_file.save(filename[-100:], ContentFile(data), save=True)
    _replace_figures(report, result.figures)
    search.index_report(report)
    record_event(actor=user, action="reports.report_save", target=report, before=before, after={
        "status": report.status, "title": report.title, "file": report.source_name or None,
        "count": len(result.figures)})
    return report


REVIEW_ACTIONS = {"comment", "accept", "accept_private", "return"}


@transaction.atomic
def report_review(*, user, report: AnnualReport, action: str, text: str = "") -> ReportComment | None:
    """The office's review: comment, accept (→ public on the portal), accept without publishing
    (``accept_private``: accepted, kept off the portal) or return (with a reason) a submitted report."""
    if action not in REVIEW_ACTIONS:
        raise ValidationError({"action": "未知操作"})
    if not report_policies.can_review(user, report):
        raise PermissionDenied
    text = (text or "").strip()
    if action in ("comment", "return") and not text:
        raise ValidationError({"text": "请填写意见"})
    if action in ("accept", "accept_private", "return") and report.status != ReportStatus.SUBMITTED:
        raise ValidationError({"action": "只有已提交的报告可以通过或退回"})
    before = report.status
    if action in ("accept", "accept_private"):
        report.status = ReportStatus.ACCEPTED
        report.is_public = action == "accept"
    elif action == "return":
        report.status = ReportStatus.RETURNED
    if action != "comment":
        report.reviewed_by = user
        report.reviewed_at = timezone.now()
        report.save(update_fields=["status", "is_public", "reviewed_by", "reviewed_at", "updated_at"])
        search.index_report(report)
    comment = None
    if text or action != "comment":
        comment = ReportComment(report=report, author=user, text=text[:5000] or "通过", action=action)
        comment.full_clean()
        comment.save()
    record_event(actor=user, action="reports.report_review", target=report, before={"status": before},
                 after={"status": report.status, "is_public": report.is_public, "text": text[:500] or None},
                 reason=text[:500])
    return comment


@transaction.atomic
def report_set_public(*, user, report: AnnualReport, public: bool) -> AnnualReport:
    if not report_policies.can_review(user, report):
        raise PermissionDenied
    before = report.is_public
    report.is_public = public
    report.save(update_fields=["is_public", "updated_at"])
    search.index_report(report)
    record_event(actor=user, action="reports.report_public", target=report, before={"is_public": before},
                 after={"is_public": public})
    return report
