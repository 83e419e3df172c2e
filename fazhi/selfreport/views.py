"""Self-report pages: the unit fills in and submits; the scorer reads, scores (through the assessment services)
and returns for more material; the office lists materials and deadlines and follows progress.

Scope from ``policies`` (404 outside it, 403 for a role that may not use the page); writes from ``services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.assessment import policies as assessment_policies
from fazhi.assessment import services as assessment_services
from fazhi.assessment.models import Score
from fazhi.audit.services import record_download
from fazhi.io.params import parse_id, parse_ids, parse_int
from fazhi.io.uploads import uploaded_file
from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role

from . import policies, selectors, services
from .models import Attachment, ReportStatus, Requirement, SelfReport

OFFICE = (Role.OFFICE,)
SCORERS = assessment_policies.SCORER_ROLES
PAGE = 50


def _query(request) -> str:
    """The page's filters without ``page``, for the pager links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _errors(exc: ValidationError) -> list[str]:
    return list(exc.messages)


# --- the assessed unit --------------------------------------------------------------------------------------

@org_policies.role_required(Role.ASSESSED)
def my_reports(request):
    """自评填报 — the unit's reports, to fill in by the deadline; filter by status."""
    reports = selectors.with_flags(policies.reports_for(request.user, "fill")).select_related(
        "campaign", "indicator", "requirement").order_by("requirement__deadline", "indicator__sort", "pk")
    status = request.GET.get("status", "")
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    page = Paginator(reports, PAGE).get_page(request.GET.get("page"))
    return render(request, "selfreport/my_reports.html", {
        "query": _query(request), "page": page, "status": status, "statuses": ReportStatus.choices, "today": timezone.localdate()})


def _detail_context(request, report: SelfReport) -> dict:
    items = list(report.requirement.items.all())
    attachments = list(report.attachments.select_related("item", "uploaded_by"))
    by_item = {}
    for attachment in attachments:
        by_item.setdefault(attachment.item_id, []).append(attachment)
    missing = {i.pk for i in services.missing_items(report)}
    requested = set(report.requested_items.values_list("pk", flat=True))
    rows = [{"item": i, "files": by_item.get(i.pk, []), "missing": i.pk in missing, "requested": i.pk in requested}
            for i in items]
    return {"report": report, "rows": rows, "other_files": by_item.get(None, []),
            "linked": list(report.task_evidence.select_related("report__task")),
            "locked": services.material_locked_reason(report), "missing": missing,
            "late": bool(report.requirement.deadline and timezone.localdate() > report.requirement.deadline)}


@org_policies.role_required(Role.ASSESSED, Role.OFFICE, *SCORERS)
@require_http_methods(["GET", "POST"])
def report_detail(request, pk: int):
    """One report. The unit fills it in here; the office reads it; a scorer is sent to its assessment page."""
    report = policies.get_report_or_404(request.user, pk)
    if request.user.role in SCORERS:
        return redirect("selfreport:assess", pk)
    can_fill = policies.can_fill(request.user, report)
    errors: list[str] = []
    if request.method == "POST":
        if not can_fill:
            raise PermissionDenied
        ids = parse_ids(request.POST.getlist("task_evidence"))
        try:
            if ids is None:
                raise ValidationError(_("关联的佐证材料无效"))
            services.report_save(user=request.user, report=report, account=request.POST.get("account", ""),
                                 task_evidence=ids)
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            if request.POST.get("submit"):
                try:
                    services.report_submit(user=request.user, report=report)
                except ValidationError as exc:
                    messages.warning(request, _("已保存，但还不能提交：%(why)s") % {"why": "；".join(exc.messages)})
                else:
                    messages.success(request, _("已提交，等待考核主体评分。"))
            else:
                messages.success(request, _("已保存。"))
            return redirect("selfreport:report_detail", pk)
        report.refresh_from_db()
    context = _detail_context(request, report)
    context.update({"can_fill": can_fill, "errors": errors,
                    "editable": can_fill and not context["locked"] and report.status != ReportStatus.SUBMITTED,
                    "linkable": list(services.linkable_evidence(report)) if can_fill else []})
    return render(request, "selfreport/report_detail.html", context, status=400 if errors else 200)


@org_policies.role_required(Role.ASSESSED)
@require_POST
def attachment_upload(request, pk: int):
    report = policies.get_report_or_404(request.user, pk, "fill")
    item = None
    item_id = request.POST.get("item", "").strip()
    if item_id:
        item = get_object_or_404(report.requirement.items, pk=parse_id(item_id) or 0)
    upload, errors = uploaded_file(request)
    if upload is not None:
        try:
            services.attachment_add(user=request.user, report=report, upload=upload, item=item)
        except ValidationError as exc:
            errors = _errors(exc)
    if errors:
        for error in errors:
            messages.error(request, error)
    else:
        messages.success(request, _("材料已上传。"))
    return redirect("selfreport:report_detail", pk)


@org_policies.role_required(Role.ASSESSED)
@require_POST
def attachment_delete(request, pk: int, att_pk: int):
    report = policies.get_report_or_404(request.user, pk, "fill")
    attachment = get_object_or_404(Attachment, report=report, pk=att_pk)
    try:
        services.attachment_delete(user=request.user, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已删除。"))
    return redirect("selfreport:report_detail", pk)


@org_policies.role_required(Role.ASSESSED, Role.OFFICE, *SCORERS)
def attachment_download(request, pk: int):
    """A report's file, to whoever may read the report; anyone else gets 404. Never served from MEDIA_URL."""
    attachment = get_object_or_404(Attachment.objects.select_related("report"), pk=pk)
    if not policies.reports_for(request.user).filter(pk=attachment.report_id).exists():
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    record_download(user=request.user, target=attachment.report, what="selfreport.attachment",
                    filename=attachment.original_name, evidence=True)
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


@org_policies.role_required(Role.ASSESSED, Role.OFFICE, *SCORERS)
def linked_evidence_download(request, pk: int, ev_pk: int):
    """A plan-task evidence file linked to the report (the scorer reads it through the report it scores)."""
    report = policies.get_report_or_404(request.user, pk)
    evidence = get_object_or_404(report.task_evidence.select_related("report__task"), pk=ev_pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    record_download(user=request.user, target=report, what="selfreport.task_evidence", filename=evidence.name,
                    evidence=True)
    return FileResponse(handle, as_attachment=True, filename=evidence.name)


# --- the scorer ---------------------------------------------------------------------------------------------

@org_policies.role_required(*SCORERS)
def review_list(request):
    """自评材料 — submitted (and returned) reports on the cells the user's unit scores."""
    reports = policies.reports_for(request.user, "assess").select_related("campaign", "indicator", "unit",
                                                                           "requirement")
    status = request.GET.get("status", ReportStatus.SUBMITTED)
    if status in policies.SCORER_VISIBLE:
        reports = reports.filter(status=status)
    code = request.GET.get("indicator", "").strip()
    if code:
        reports = reports.filter(indicator__code=code)
    reports = reports.order_by("-submitted_at", "pk")
    page = Paginator(reports, PAGE).get_page(request.GET.get("page"))
    scores = {(s.indicator_id, s.unit_id): s for s in Score.objects.filter(
        subunit__isnull=True, indicator__in=[r.indicator_id for r in page], unit__in=[r.unit_id for r in page])}
    for report in page:
        report.score = scores.get((report.indicator_id, report.unit_id))
    return render(request, "selfreport/review_list.html", {
        "query": _query(request), "page": page, "status": status, "indicator": code,
        "statuses": [(s, ReportStatus(s).label) for s in policies.SCORER_VISIBLE]})


@org_policies.role_required(*SCORERS)
@require_http_methods(["GET", "POST"])
def assess(request, pk: int):
    """The scorer's page of one report: account, materials, linked evidence; score it (the assessment service
    writes the score) or return it for more material with a reason."""
    report = policies.get_report_or_404(request.user, pk, "assess")
    campaign, indicator = report.campaign, report.indicator
    score = Score.objects.filter(indicator=indicator, unit=report.unit, subunit__isnull=True).first()
    errors: list[str] = []
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "return":
                ids = parse_ids(request.POST.getlist("items"))
                if ids is None:
                    raise ValidationError(_("要求补充的材料无效"))
                items = list(report.requirement.items.filter(pk__in=ids))
                services.report_return(user=request.user, report=report, reason=request.POST.get("reason", ""),
                                       items=items)
                messages.success(request, _("已退回 %(unit)s 补充材料。") % {"unit": report.unit.name})
                return redirect("selfreport:review_list")
            if op == "score":
                raw = request.POST.get("version", "").strip()
                version = parse_int(raw, minimum=0) if raw else 0
                assessment_services.score_save(
                    user=request.user, campaign=campaign, indicator=indicator, unit=report.unit, subunit=None,
                    value=request.POST.get("value", ""), reason=request.POST.get("score_reason", ""),
                    expected_version=-1 if version is None else version)
                messages.success(request, _("评分已保存（草稿），请在评分页统一提交。"))
                return redirect("selfreport:assess", pk)
            raise ValidationError(_("未知的操作"))
        except assessment_services.ScoreConflict as exc:
            errors = [str(exc)]
        except ValidationError as exc:
            errors = _errors(exc)
        report.refresh_from_db()
        score = Score.objects.filter(indicator=indicator, unit=report.unit, subunit__isnull=True).first()
    context = _detail_context(request, report)
    context.update({"score": score, "errors": errors, "campaign": campaign,
                    "per_subunit": indicator.allow_subunits,
                    "can_score": campaign.is_scoring and not indicator.allow_subunits and not (
                        score and score.status == "submitted"),
                    "can_return": report.status == ReportStatus.SUBMITTED and not context["locked"]})
    return render(request, "selfreport/assess.html", context, status=400 if errors else 200)


# --- the office ---------------------------------------------------------------------------------------------

@org_policies.role_required(*OFFICE)
def office_home(request):
    """The office's campaigns, each with its self-report totals (one aggregate per campaign on the page)."""
    campaigns = assessment_policies.managed_campaigns(request.user).select_related("owner").order_by("-year", "pk")
    page = Paginator(campaigns, 20).get_page(request.GET.get("page"))
    for campaign in page:
        campaign.selfreport = selectors.totals(campaign)
    return render(request, "selfreport/office_home.html", {"query": _query(request), "page": page})


@org_policies.role_required(*OFFICE)
def requirements(request, pk: int):
    """材料清单 — the campaign's leaf indicators and what each asks the units for."""
    campaign = assessment_policies.get_managed_campaign(request.user, pk)
    leaves = campaign.indicators.filter(points__isnull=False).select_related("requirement").order_by("sort", "code")
    page = Paginator(leaves, 100).get_page(request.GET.get("page"))
    return render(request, "selfreport/requirements.html", {"query": _query(request), "campaign": campaign, "page": page})


def _parse_item_lines(text: str, required: bool):
    return [(line.strip(), required) for line in (text or "").splitlines() if line.strip()]


@org_policies.role_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def requirement_edit(request, pk: int, ind_pk: int):
    campaign = assessment_policies.get_managed_campaign(request.user, pk)
    indicator = get_object_or_404(campaign.indicators.filter(points__isnull=False), pk=ind_pk)
    requirement = Requirement.objects.filter(indicator=indicator).first()
    errors: list[str] = []
    if request.method == "POST":
        days = parse_int(request.POST.get("working_days", ""), minimum=0, maximum=1000)
        items = (_parse_item_lines(request.POST.get("required_items", ""), True)
                 + _parse_item_lines(request.POST.get("optional_items", ""), False))
        try:
            requirement = services.requirement_save(
                user=request.user, indicator=indicator, instructions=request.POST.get("instructions", ""),
                working_days=-1 if days is None else days, items=items)
            if request.POST.get("publish"):
                opened = services.requirement_publish(user=request.user, requirement=requirement)
                messages.success(request, _("已发布，为 %(n)d 个考核对象开启填报，截止 %(deadline)s。") % {
                    "n": opened, "deadline": Requirement.objects.get(pk=requirement.pk).deadline})
            else:
                messages.success(request, _("已保存。"))
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            return redirect("selfreport:requirements", pk)
    items = list(requirement.items.all()) if requirement else []
    return render(request, "selfreport/requirement_edit.html", {
        "campaign": campaign, "indicator": indicator, "requirement": requirement, "errors": errors,
        "required_items": "\n".join(i.title for i in items if i.required),
        "optional_items": "\n".join(i.title for i in items if not i.required),
        "posted": request.POST if errors else None}, status=400 if errors else 200)


@org_policies.role_required(*OFFICE)
def progress(request, pk: int):
    """填报进度 — by unit or by indicator, sorted and paged in the database; each row links to the reports."""
    campaign = assessment_policies.get_managed_campaign(request.user, pk)
    by = "indicator" if request.GET.get("by") == "indicator" else "unit"
    sort = request.GET.get("sort", "name")
    rows = (selectors.progress_by_indicator if by == "indicator" else selectors.progress_by_unit)(campaign, sort)
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "selfreport/progress.html", {
        "query": _query(request), "campaign": campaign, "page": page, "by": by, "sort": sort, "totals": selectors.totals(campaign)})


@org_policies.role_required(*OFFICE)
def report_list(request, pk: int):
    """The campaign's reports, filtered by unit, indicator, status or missing material; paged."""
    campaign = assessment_policies.get_managed_campaign(request.user, pk)
    reports = selectors.with_flags(policies.reports_for(request.user, "manage").filter(campaign=campaign))
    unit = request.GET.get("unit", "").strip()
    if unit:
        reports = reports.filter(unit__code=unit)
    code = request.GET.get("indicator", "").strip()
    if code:
        reports = reports.filter(indicator__code=code)
    status = request.GET.get("status", "")
    if status in ReportStatus.values:
        reports = reports.filter(status=status)
    if request.GET.get("missing"):
        reports = reports.filter(missing=True).exclude(status=ReportStatus.SUBMITTED)
    reports = reports.select_related("indicator", "unit", "requirement").order_by("indicator__sort", "unit__path")
    page = Paginator(reports, PAGE).get_page(request.GET.get("page"))
    return render(request, "selfreport/report_list.html", {
        "query": _query(request), "campaign": campaign, "page": page, "filters": request.GET, "statuses": ReportStatus.choices})
