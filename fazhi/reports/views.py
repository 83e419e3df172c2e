"""Annual reports for signed-in users: submit (assessed unit), review, compare, bulk import (office)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fazhi.audit.services import record_download
from fazhi.io.excel import Column, build_workbook
from fazhi.io.http import xlsx_response
from fazhi.io.jobs import BrokerUnavailable
from fazhi.io.params import int_filter, parse_int
from fazhi.orgs import policies
from fazhi.orgs.models import Role

from . import analysis, bulk, selectors, services
from . import policies as report_policies
from .forms import BulkImportForm, ReportForm, ReviewForm, SettingsForm
from .models import ReportSettings, ReportStatus
from .tasks import bulk_import_dispatch

OFFICE = (Role.OFFICE,)
REPORTERS = (Role.OFFICE, Role.ASSESSED)
YEAR_MIN, YEAR_MAX = 1, 9999


@policies.role_required(*REPORTERS)
def report_list(request):
    """年度报告 — an office sees its subtree's reports, an assessed unit its own."""
    reports = selectors.reports_for(request.user).select_related("unit")
    status = request.GET.get("status", "")
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    year, ok = int_filter(request, "year", _("年度"), minimum=YEAR_MIN, maximum=YEAR_MAX)
    if year is not None:
        reports = reports.filter(year=year)
    page = Paginator(reports.defer("original_text", "clean_text"), 50).get_page(request.GET.get("page"))
    for report in page:
        report.summary = selectors.check_summary(report.check_result)
    return render(request, "reports/report_list.html", {
        "page": page, "status": status, "year": "" if year is None else year, "statuses": ReportStatus.choices,
        "is_office": policies.has_role(request.user, Role.OFFICE),
    }, status=200 if ok else 400)


@policies.role_required(*REPORTERS)
def report_submit(request):
    """提交年度报告 — upload or paste; the check is shown on the report page."""
    user = request.user
    is_office = policies.has_role(user, Role.OFFICE)
    if not is_office and not user.unit_id:
        raise PermissionDenied
    units = policies.managed_units(user).filter(category__isnull=False) if is_office else None
    year = parse_int(request.GET.get("year"), minimum=YEAR_MIN, maximum=YEAR_MAX)
    initial = {"year": year} if year is not None else None
    last = _last_version(request, year) if request.method == "GET" and year is not None else None
    if last is not None:  # 重新提交: start from the version sent last time, not from a blank form
        initial = {"year": last.year, "unit": last.unit_id, "title": last.title, "published_on": last.published_on,
                   "publication_url": last.publication_url, "text": last.original_text}
    form = ReportForm(request.POST or None, request.FILES or None, units=units, initial=initial)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"] if is_office else user.unit
        upload = form.cleaned_data.get("file")
        data = None
        if upload is not None:
            if upload.size > services.max_upload_bytes():
                errors.append(_("文件过大（上限 %(mb)d MB）") % {"mb": services.max_upload_bytes() // (1024 * 1024)})
            else:
                data = upload.read()
        if not errors:
            try:
                report = services.report_save(
                    user=user, unit=unit, year=form.cleaned_data["year"], text=form.cleaned_data.get("text"),
                    data=data, filename=upload.name if upload else None, title=form.cleaned_data.get("title") or "",
                    published_on=form.cleaned_data.get("published_on"),
                    publication_url=form.cleaned_data.get("publication_url") or "",
                    submit="draft" not in request.POST,
                )
            except analysis.DocumentError as exc:
                errors.append(str(exc))
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                messages.success(request, _("报告已保存，请查看检查结果。"))
                return redirect("reports:detail", pk=report.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "reports/report_form.html", {"form": form, "errors": errors, "last": last},
                  status=status)


def _last_version(request, year: int):
    """The report this form would replace (the user's unit's, or for an office the unit of ``?unit=``), when
    it may still be changed; None otherwise. Scoped like every read of reports."""
    reports = selectors.reports_for(request.user).filter(year=year)
    if policies.has_role(request.user, Role.OFFICE):
        unit = parse_int(request.GET.get("unit"), minimum=1, maximum=2**31 - 1)
        if unit is None:
            return None
        reports = reports.filter(unit_id=unit)
    else:
        reports = reports.filter(unit_id=request.user.unit_id)
    report = reports.first()
    return report if report is not None and report.is_editable else None


@policies.role_required(*REPORTERS)
def report_detail(request, pk: int):
    """报告检查 — five parts, deadline, figures with catalogue keys, consistency, review."""
    report = selectors.report_for(request.user, pk)
    check = report.check_result or {}
    can_review = report_policies.can_review(request.user, report)
    figures = list(report.figures.all())
    catalogue = [
        {"key": key, "label": selectors.key_label(key), "entry": (check.get("catalogue") or {}).get(key)}
        for key in selectors.CATALOGUE_KEYS
    ]
    return render(request, "reports/report_detail.html", {
        "report": report, "check": check, "figures": figures, "catalogue": catalogue,
        "comments": report.comments.select_related("author"), "can_review": can_review,
        "review_form": ReviewForm(), "key_labels": selectors.KEY_LABELS,
    })


@policies.role_required(*OFFICE)
@require_POST
def report_review(request, pk: int):
    report = selectors.report_for(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("操作无效"))
        return redirect("reports:detail", pk=pk)
    try:
        services.report_review(user=request.user, report=report, action=form.cleaned_data["action"],
                               text=form.cleaned_data.get("text") or "")
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已保存审核意见"))
    return redirect("reports:detail", pk=pk)


def _comparison_context(request):
    """The comparison data and whether the query was valid (an invalid ``from`` is ignored, with a message)."""
    reports = selectors.reports_for(request.user)
    year_from, ok = int_filter(request, "from", _("起始年度"), minimum=YEAR_MIN, maximum=YEAR_MAX)
    if year_from is not None:
        reports = reports.filter(year__gte=year_from)
    return selectors.comparison(reports), ok


@policies.role_required(*OFFICE)
def compare(request):
    """报告数据对比 — a catalogue key across units and years; missing figures shown."""
    data, ok = _comparison_context(request)
    key = request.GET.get("key") or selectors.CATALOGUE_KEYS[0]
    if key not in selectors.CATALOGUE_KEYS:
        key = selectors.CATALOGUE_KEYS[0]
    rows = selectors.comparison_rows(data, key)
    return render(request, "reports/compare.html", {
        "data": data, "key": key, "rows": rows, "key_labels": selectors.KEY_LABELS,
        "keys": [(k, selectors.key_label(k)) for k in selectors.CATALOGUE_KEYS],
        "chart": selectors.chart_series(data, key),
        "missing_total": sum(r["missing"] for r in rows),
    }, status=200 if ok else 400)


@policies.role_required(*OFFICE)
def compare_export(request):
    data, ok = _comparison_context(request)
    if not ok:
        return redirect("reports:compare")
    columns = [Column("unit", "单位", width=30), Column("year", "年度", width=8)] + [
        Column(key, selectors.key_label(key), required=False) for key in data["keys"]
    ]
    rows = []
    for unit in data["units"]:
        for year in data["years"]:
            row = {"unit": unit.name, "year": year}
            for key in data["keys"]:
                fig = data["values"].get(key, {}).get(unit.pk, {}).get(year)
                row[key] = float(fig.value) if fig else "—"
            rows.append(row)
    content = build_workbook("报告数据对比", columns, rows,
                             instructions=["年度报告中识别出的目录数据；“—”表示报告中未找到该数据。"])
    record_download(user=request.user, target=policies.jurisdiction(request.user), what="reports.compare",
                    filename="年度报告数据对比.xlsx")
    return xlsx_response(content, "年度报告数据对比.xlsx")


@policies.role_required(*OFFICE)
def report_settings(request):
    """年度报告设置 — the publication deadline per year (default 1 April of the following year)."""
    root = policies.jurisdiction(request.user)
    if root is None:
        raise PermissionDenied
    form = SettingsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report_settings_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("已保存"))
        return redirect("reports:settings")
    rows = ReportSettings.objects.filter(root=root).order_by("-year")
    return render(request, "reports/settings.html", {"form": form, "rows": rows, "root": root})


@policies.role_required(*OFFICE)
def bulk_import(request):
    """批量导入往年报告 — a zip, processed in the background, one result per file."""
    form = BulkImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > services.max_upload_bytes() * 5:
            errors.append(_("压缩包过大"))
        else:
            try:
                job = bulk.bulk_import_create(
                    user=request.user, data=upload.read(), filename=upload.name,
                    default_year=form.cleaned_data.get("default_year"), accept=form.cleaned_data.get("accept"),
                )
            except bulk.ArchiveRefused as exc:
                errors.append(str(exc))
            else:
                if bulk_import_dispatch(job=job):
                    return redirect("reports:bulk_job", pk=job.pk)
                errors.append(str(BrokerUnavailable.message))  # the job is failed: nothing left pending
                status = 503
    jobs = selectors.jobs_for(request.user)[:20]
    return render(request, "reports/bulk_import.html", {"form": form, "errors": errors, "jobs": jobs}, status=status)


@policies.role_required(*OFFICE)
def bulk_job(request, pk: int):
    job = report_policies.get_job_or_404(request.user, pk)
    template = "reports/_bulk_progress.html" if request.htmx else "reports/bulk_job.html"
    return render(request, template, {"job": job})
