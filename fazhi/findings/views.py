"""Findings and web-search pages: the office's register (form, Excel import, rectification), the web-search
records of the office and the scorers, and the files behind them. Scope from ``policies``; writes from ``services``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.assessment import policies as assessment_policies
from fazhi.assessment.models import CampaignUnit
from fazhi.audit.services import record_download
from fazhi.io.excel import ImportFailed
from fazhi.io.http import xlsx_response
from fazhi.io.params import parse_id, parse_ids
from fazhi.io.uploads import uploaded_file
from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role

from . import policies, services
from .models import Source

OFFICE = (Role.OFFICE,)
SCORERS = assessment_policies.SCORER_ROLES
PAGE = 50


def _query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _members(campaign):
    return [m.unit for m in CampaignUnit.objects.filter(campaign=campaign).select_related("unit")
            .order_by("category", "unit__sort_order", "unit__path")]


@org_policies.role_required(*OFFICE)
def office_home(request):
    campaigns = assessment_policies.managed_campaigns(request.user).select_related("owner").order_by("-year", "pk")
    page = Paginator(campaigns, 20).get_page(request.GET.get("page"))
    return render(request, "findings/office_home.html", {"page": page, "query": _query(request)})


@org_policies.role_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def finding_list(request, pk: int):
    """督察发现 — the campaign's register: filter by unit, source, indicator; add one; import from Excel."""
    campaign = assessment_policies.get_managed_campaign(request.user, pk)
    errors: list[str] = []
    if request.method == "POST":
        unit = next((u for u in _members(campaign) if u.code == request.POST.get("unit", "")), None)
        ids = parse_ids(request.POST.getlist("indicators"))
        evidence = request.FILES.get("evidence")
        try:
            if unit is None:
                raise ValidationError(_("请选择本次考核的考核对象"))
            if ids is None:
                raise ValidationError(_("涉及指标无效"))
            services.finding_create(
                user=request.user, campaign=campaign, unit=unit, source=request.POST.get("source", ""),
                problem=request.POST.get("problem", ""), found_on=_date(request.POST.get("found_on", "")),
                indicators=campaign.indicators.filter(pk__in=ids), reference=request.POST.get("reference", ""),
                evidence=evidence)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("已登记。"))
            return redirect("findings:finding_list", pk)
    findings = policies.findings_for(request.user, "manage").filter(campaign=campaign)
    unit_code = request.GET.get("unit", "").strip()
    if unit_code:
        findings = findings.filter(unit__code=unit_code)
    source = request.GET.get("source", "")
    if source in Source.values:
        findings = findings.filter(source=source)
    code = request.GET.get("indicator", "").strip()
    if code:
        findings = findings.filter(indicators__code=code)
    findings = findings.select_related("unit", "rectification").prefetch_related("indicators").order_by(
        "-found_on", "-pk")
    page = Paginator(findings, PAGE).get_page(request.GET.get("page"))
    return render(request, "findings/finding_list.html", {
        "campaign": campaign, "page": page, "query": _query(request), "filters": request.GET, "errors": errors,
        "sources": Source.choices, "members": _members(campaign), "posted": request.POST if errors else None,
        "leaves": campaign.indicators.filter(points__isnull=False).order_by("sort", "code")},
        status=400 if errors else 200)


@org_policies.role_required(*OFFICE)
@require_POST
def finding_import(request, pk: int):
    campaign = assessment_policies.get_managed_campaign(request.user, pk)
    upload, errors = uploaded_file(request)
    if upload is not None:
        try:
            count = services.finding_import(user=request.user, campaign=campaign, data=upload.read())
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
        else:
            messages.success(request, _("已导入 %(n)d 条督察发现。") % {"n": count})
            return redirect("findings:finding_list", pk)
    return render(request, "findings/import_errors.html", {
        "campaign": campaign, "errors": errors, "back": reverse("findings:finding_list", args=[pk])}, status=400)


@org_policies.role_required(*OFFICE)
def finding_template(request, pk: int):
    campaign = assessment_policies.get_managed_campaign(request.user, pk)
    filename = f"督察发现登记表-{campaign.year}.xlsx"
    record_download(user=request.user, target=campaign, what="findings.template", filename=filename)
    return xlsx_response(services.finding_template(user=request.user, campaign=campaign), filename)


@org_policies.role_required(*OFFICE, *SCORERS)
@require_http_methods(["GET", "POST"])
def finding_detail(request, pk: int):
    """One finding; the office attaches its file or opens a rectification item (整改, closed by 销号)."""
    finding = policies.get_finding_or_404(request.user, pk)
    can_manage = policies.findings_for(request.user, "manage").filter(pk=pk).exists()
    errors: list[str] = []
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            if request.POST.get("op") == "rectify":
                due = _date(request.POST.get("due_date", ""))
                if due is None:
                    raise ValidationError(_("请填写整改期限（如 2026-03-31）"))
                services.finding_open_rectification(user=request.user, finding=finding, due_date=due,
                                                    title=request.POST.get("title", ""))
                messages.success(request, _("已交办整改，单位报告后由考核办审核销号。"))
            else:
                upload, problems = uploaded_file(request)
                if upload is None:
                    raise ValidationError(problems)
                services.finding_attach_evidence(user=request.user, finding=finding, upload=upload)
                messages.success(request, _("证明材料已上传。"))
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("findings:finding_detail", pk)
    return render(request, "findings/finding_detail.html", {
        "finding": finding, "indicators": finding.indicators.order_by("sort", "code"), "can_manage": can_manage,
        "errors": errors}, status=400 if errors else 200)


@org_policies.role_required(*OFFICE, *SCORERS)
def finding_evidence(request, pk: int):
    finding = policies.get_finding_or_404(request.user, pk)
    if not finding.evidence:
        raise Http404
    try:
        handle = finding.evidence.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    record_download(user=request.user, target=finding, what="findings.evidence", filename=finding.evidence_name,
                    evidence=True)
    return FileResponse(handle, as_attachment=True, filename=finding.evidence_name)


# --- web searches -------------------------------------------------------------------------------------------

def _web_campaigns(user):
    if assessment_policies.is_office(user) or org_policies.is_platform_admin(user):
        return assessment_policies.managed_campaigns(user)
    return assessment_policies.scoring_campaigns(user)


def _web_indicators(user, campaign):
    if assessment_policies.managed_campaigns(user).filter(pk=campaign.pk).exists():
        return campaign.indicators.filter(points__isnull=False)
    return assessment_policies.scorable_indicators(user, campaign)


@org_policies.role_required(*OFFICE, *SCORERS)
def web_home(request):
    campaigns = _web_campaigns(request.user).select_related("owner").order_by("-year", "pk")
    page = Paginator(campaigns, 20).get_page(request.GET.get("page"))
    return render(request, "findings/web_home.html", {"page": page, "query": _query(request)})


@org_policies.role_required(*OFFICE, *SCORERS)
@require_http_methods(["GET", "POST"])
def web_list(request, pk: int):
    """网络检索记录 — of a campaign, on the indicators the user may see; the form adds one with its saved page."""
    campaign = get_object_or_404(_web_campaigns(request.user), pk=pk)
    indicators = _web_indicators(request.user, campaign).order_by("sort", "code")
    errors: list[str] = []
    if request.method == "POST":
        indicator = get_object_or_404(indicators, pk=parse_id(request.POST.get("indicator")) or 0)
        unit = next((u for u in _members(campaign) if u.code == request.POST.get("unit", "")), None)
        upload, problems = uploaded_file(request, "snapshot")
        try:
            if unit is None:
                raise ValidationError(_("请选择本次考核的考核对象"))
            if upload is None:
                raise ValidationError(problems)
            services.web_record_create(user=request.user, campaign=campaign, unit=unit, indicator=indicator,
                                       url=request.POST.get("url", ""),
                                       found_on=_date(request.POST.get("found_on", "")), snapshot=upload,
                                       notes=request.POST.get("notes", ""))
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("已记录。"))
            return redirect("findings:web_list", pk)
    records = policies.web_records_for(request.user).filter(campaign=campaign).select_related("unit", "indicator")
    unit_code = request.GET.get("unit", "").strip()
    if unit_code:
        records = records.filter(unit__code=unit_code)
    code = request.GET.get("indicator", "").strip()
    if code:
        records = records.filter(indicator__code=code)
    page = Paginator(records.order_by("-found_on", "-pk"), PAGE).get_page(request.GET.get("page"))
    return render(request, "findings/web_list.html", {
        "campaign": campaign, "page": page, "query": _query(request), "filters": request.GET, "errors": errors,
        "indicators": indicators, "members": _members(campaign), "posted": request.POST if errors else None},
        status=400 if errors else 200)


@org_policies.role_required(*OFFICE, *SCORERS)
def web_snapshot(request, pk: int):
    record = policies.get_web_record_or_404(request.user, pk)
    try:
        handle = record.snapshot.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    record_download(user=request.user, target=record, what="findings.web_snapshot", filename=record.snapshot_name,
                    evidence=True)
    return FileResponse(handle, as_attachment=True, filename=record.snapshot_name)
