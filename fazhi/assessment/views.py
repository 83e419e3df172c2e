"""Assessment pages: campaigns and settings, indicator table, scoring worklist, adjustments, results, progress.

Views are thin: scope comes from ``policies`` (404 outside it, 403 for a role that may not use the page),
writes from ``services``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.audit.confirm import record_refusal
from fazhi.audit.services import record_download
from fazhi.io import preview
from fazhi.io.excel import ImportFailed
from fazhi.io.http import xlsx_response
from fazhi.io.listing import page_of
from fazhi.io.params import parse_id, parse_int
from fazhi.io.uploads import uploaded_file
from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Category, Role, Unit

from . import forms, hooks, lifecycle, policies, selectors, services
from .models import (
    Adjustment,
    Campaign,
    CampaignStatus,
    Evidence,
    ExpectedEvaluation,
    Indicator,
    IndicatorOverride,
    Method,
    MissingRule,
    OverrideAction,
    Score,
    ScoreStatus,
)

OFFICE = (Role.OFFICE,)
#: Who scores: assessing units, experts (集中评查), field teams (实地考核), survey providers (满意度调查).
SCORERS = policies.SCORER_ROLES


def _campaign(request, pk: int) -> Campaign:
    return policies.get_managed_campaign(request.user, pk)


# --- campaigns ----------------------------------------------------------------------------------------------

@org_policies.role_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def campaign_list(request):
    """年度考核 — the office's campaigns (its level and the levels below), and a form to start a year."""
    campaigns = policies.managed_campaigns(request.user).select_related("owner")
    form = forms.CampaignCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(user=request.user, year=form.cleaned_data["year"],
                                                name=form.cleaned_data["name"])
            if form.cleaned_data["copy_previous"] and campaign.previous_id:
                count = services.campaign_copy_tree(user=request.user, source=campaign.previous, target=campaign)
                messages.info(request, _("已复制上一年度的 %(n)d 个指标。") % {"n": count})
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied:
            form.add_error(None, _("只有考核办可以为本级创建年度考核"))
        else:
            messages.success(request, _("已创建“%(name)s”。") % {"name": campaign.name})
            return redirect("assessment:campaign_detail", campaign.pk)
    return render(request, "assessment/campaign_list.html", {
        "campaigns": campaigns, "form": form, "root": org_policies.jurisdiction(request.user)})



def _campaign_actions(request, campaign: Campaign) -> list[dict]:
    """The buttons of the campaign page: the lifecycle steps its status allows, each with what stops it now."""
    return [a.as_button() for a in lifecycle.available_steps(request.user, campaign)]


@org_policies.role_required(*OFFICE)
def campaign_detail(request, pk: int):
    campaign = _campaign(request, pk)
    counts = {
        "units": campaign.units.count(),
        "indicators": campaign.indicators.filter(points__isnull=False).count(),
        "scores": campaign.scores.count(),
        "submitted": campaign.scores.filter(status=ScoreStatus.SUBMITTED).count(),
        "cells": selectors.CellSpace(campaign, campaign.indicators.filter(points__isnull=False)).total,
        "adjustments": campaign.adjustments.count(),
        "results": campaign.results.count(),
    }
    by_category = {}
    for member in campaign.units.select_related("unit"):
        by_category.setdefault(member.category, []).append(member.unit)
    return render(request, "assessment/campaign_detail.html", {
        "campaign": campaign, "counts": counts, "actions": _campaign_actions(request, campaign),
        "by_category": sorted(by_category.items()),
        "categories": dict(Category.choices), "category_choices": Category.choices,
        "here": reverse("assessment:campaign_detail", args=[campaign.pk])})


@org_policies.role_required(*OFFICE)
@require_POST
def campaign_unit_add(request, pk: int):
    """Add an assessed unit (by code) to a draft campaign."""
    campaign = _campaign(request, pk)
    code = request.POST.get("code", "").strip()
    unit = org_policies.managed_units(request.user).filter(code=code).first() if code else None
    category = request.POST.get("category", "").strip()
    try:
        if unit is None:
            raise ValidationError(_("找不到编码为“%(code)s”的单位（或不在您的管理范围内）") % {"code": code})
        services.campaign_unit_add(user=request.user, campaign=campaign, unit=unit,
                                   # a category that is not a whole number is refused by the service (1–7)
                                   category=(parse_int(category) or -1) if category else None,
                                   reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已将 %(unit)s 加入考核对象。") % {"unit": unit.name})
    return redirect("assessment:campaign_detail", pk)


@org_policies.role_required(*OFFICE)
@require_POST
def campaign_unit_remove(request, pk: int, code: str):
    """移出考核对象: first the consequences in numbers with a one-time confirmation, then (posted back with it) the
    removal; a refused confirmation (forged, replayed, numbers changed) is audited and changes nothing."""
    campaign = _campaign(request, pk)
    member = get_object_or_404(campaign.units.select_related("unit"), unit__code=code)
    token = request.POST.get("confirmation")
    reason = request.POST.get("reason", "")[:2000]
    try:
        if not token:
            issued = services.campaign_unit_remove_preview(user=request.user, campaign=campaign, unit=member.unit)
            return render(request, "includes/confirm.html", {
                "title": _("移出考核对象"), "subject": f"{campaign.name} · {member.unit.name}", "issued": issued,
                "action": reverse("assessment:campaign_unit_remove", args=[pk, code]), "hidden": [("reason", reason)],
                "back": reverse("assessment:campaign_detail", args=[pk])})
        services.campaign_unit_remove(user=request.user, campaign=campaign, unit=member.unit, reason=reason,
                                      confirmation=token)
    except ValidationError as exc:
        if token:
            record_refusal(user=request.user, target=campaign, action="assessment.campaign_unit_remove", exc=exc)
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已将 %(unit)s 移出考核对象。") % {"unit": member.unit.name})
    return redirect("assessment:campaign_detail", pk)


@org_policies.role_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def campaign_settings(request, pk: int):
    campaign = _campaign(request, pk)
    form = forms.CampaignSettingsForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        changes = {k: form.cleaned_data[k] for k in form.changed_data}
        try:
            services.campaign_update_settings(user=request.user, campaign=Campaign.objects.get(pk=pk), **changes)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("设置已保存。"))
            return redirect("assessment:campaign_detail", pk)
    return render(request, "assessment/campaign_settings.html", {"campaign": campaign, "form": form},
                  status=400 if form.errors else 200)


@org_policies.role_required(*OFFICE)
@require_POST
def campaign_publish_scores(request, pk: int):
    """公布总分和排名 — the office changes it, with a reason, until the results are released (``disclosure``)."""
    campaign = _campaign(request, pk)
    value = request.POST.get("publish_scores", "")
    try:
        services.campaign_publish_scores_set(
            user=request.user, campaign=campaign, reason=request.POST.get("reason", ""),
            publish_scores={"1": True, "0": False}.get(value, value))  # anything else is refused by the service
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已修改：公布总分和排名") if value == "1" else _("已修改：不公布总分和排名"))
    return redirect(_next_url(request, reverse("reviews:campaign_detail", args=[pk])))


@org_policies.role_required(Role.OFFICE, Role.APPROVER)
@require_POST
def campaign_action(request, pk: int):
    """One step of the campaign's lifecycle (``lifecycle.campaign_transition``); a refusal shows its reasons and
    changes nothing. Comes back to ``next`` (a path of this site: the reviews page posts here too)."""
    campaign = get_object_or_404(policies.lifecycle_campaigns(request.user).select_related("owner"), pk=pk)
    action = request.POST.get("action", "")
    step = lifecycle.STEPS.get(action)
    try:
        lifecycle.campaign_transition(user=request.user, campaign=campaign, action=action,
                                      reason=request.POST.get("reason", ""),
                                      confirmation=request.POST.get("confirmation") or None,
                                      document_number=request.POST.get("document_number", ""),
                                      decided_on=parse_date(request.POST.get("decided_on", "")))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您不能办理此项操作"))
    else:
        messages.success(request, str(step.done))
        if action == "compute":
            return redirect("assessment:results", pk)
        if request.user.role == Role.APPROVER and not policies.approvable_campaigns(request.user).filter(pk=pk).exists():
            return redirect("assessment:approvals")  # returned: back with the office, no longer the approver's
    return redirect(_next_url(request, reverse("assessment:approval_detail" if request.user.role == Role.APPROVER
                                               else "assessment:campaign_detail", args=[pk])))


def _next_url(request, default: str) -> str:
    """``next`` when it is a path of this site, else ``default``."""
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return next_url
    return default


@org_policies.role_required(Role.OFFICE, Role.APPROVER)
@require_POST
def campaign_confirm(request, pk: int):
    """确认操作 — what an irreversible step will do, in numbers, with a one-time confirmation for the server
    (``lifecycle.preview``); the confirmation form posts to ``campaign_action``. Refused like the step itself."""
    campaign = get_object_or_404(policies.lifecycle_campaigns(request.user).select_related("owner"), pk=pk)
    action = request.POST.get("action", "")
    default = reverse("assessment:approval_detail" if request.user.role == Role.APPROVER
                      else "assessment:campaign_detail", args=[pk])
    back = _next_url(request, default)
    document_number = request.POST.get("document_number", "")
    decided_on = parse_date(request.POST.get("decided_on", ""))
    try:
        issued = lifecycle.preview(user=request.user, campaign=campaign, action=action,
                                   document_number=document_number, decided_on=decided_on)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(back)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您不能办理此项操作"))
        return redirect(back)
    step = lifecycle.STEPS[action]
    warnings = [b.message for b in lifecycle.collect_blockers(campaign, action, user=request.user) if b.overridable]
    return render(request, "assessment/confirm.html", {
        "campaign": campaign, "step": step, "issued": issued, "warnings": warnings, "next": back, "back": back,
        "document_number": document_number.strip() if action == "approve" else "",
        "decided_on": decided_on.isoformat() if decided_on and action == "approve" else ""})


def parse_date(value: str):
    """A date typed in a form (YYYY-MM-DD), or None (the service says what is missing)."""
    import datetime as dt

    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


# --- approval (审定) ----------------------------------------------------------------------------------------------

APPROVER = (Role.APPROVER,)


@org_policies.role_required(*APPROVER)
def approvals(request):
    """考核审定 — the approver's campaigns: waiting for approval first, then those already decided."""
    campaigns = (policies.approvable_campaigns(request.user).select_related("owner", "submitted_by", "approved_by")
                 .order_by("-submitted_at", "-year"))
    page = page_of(request, campaigns, 20)
    return render(request, "assessment/approvals.html", {"page": page, "waiting": CampaignStatus.SUBMITTED})


@org_policies.role_required(*APPROVER)
def approval_detail(request, pk: int):
    """One campaign for approval: who prepared it, the results per category in full (the approver sees everything
    of its level), and the forms to approve (审定文号, date) or return (reason)."""
    campaign = get_object_or_404(policies.approvable_campaigns(request.user).select_related(
        "owner", "computed_by", "submitted_by", "approved_by", "published_by"), pk=pk)
    rows = page_of(request, campaign.results.select_related("unit").order_by("category", "-total", "unit__path"), 50)
    grades = dict(campaign.results.values_list("grade").annotate(n=Count("pk")).order_by())
    available = {a.step.action: a for a in lifecycle.available_steps(request.user, campaign)}
    return render(request, "assessment/approval_detail.html", {
        "campaign": campaign, "rows": rows, "grades": grades, "ranked": campaign.ranked_categories,
        "can_approve": "approve" in available, "can_return": "return" in available,
        "blockers": [b for a in available.values() for b in a.blockers],
        "four_eyes": lifecycle.four_eyes_problem(request.user, campaign),
        "today": timezone.localdate().isoformat()})


@org_policies.role_required(*OFFICE)
@require_POST
def campaign_compute(request, pk: int):
    """计算结果 — the ``compute`` step; an error names the unit and indicator to fix."""
    campaign = _campaign(request, pk)
    try:
        results = services.campaign_compute(user=request.user, campaign=campaign)
    except services.CampaignComputeError as exc:
        messages.error(request, _("无法计算：%(msg)s") % {"msg": exc})
        return redirect("assessment:campaign_detail", pk)
    except ValidationError as exc:  # incomplete data: the guard lists what is missing
        messages.error(request, _("无法计算：%(msg)s") % {"msg": "；".join(exc.messages)})
        return redirect("assessment:campaign_detail", pk)
    messages.success(request, _("已计算 %(n)d 个单位的结果。") % {"n": len(results)})
    return redirect("assessment:results", pk)


# --- indicators ---------------------------------------------------------------------------------------------

@org_policies.role_required(*OFFICE)
def indicator_export(request, pk: int):
    campaign = _campaign(request, pk)
    filename = f"考核指标-{campaign.year}.xlsx"
    record_download(user=request.user, target=campaign, what="assessment.indicators", filename=filename)
    return xlsx_response(services.indicator_export(user=request.user, campaign=campaign), filename)


@org_policies.role_required(*OFFICE)
@require_POST
def indicator_import(request, pk: int):
    campaign = _campaign(request, pk)
    upload, errors = uploaded_file(request)
    if upload is not None:
        try:
            result = services.indicator_import(user=request.user, campaign=campaign, data=upload.read())
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
        else:
            messages.success(request, _("导入成功：%(indicators)d 个指标，其中末级指标 %(leaves)d 个。") % result)
            return redirect("assessment:indicator_tree", pk)
    return render(request, "assessment/import_errors.html", {
        "campaign": campaign, "errors": errors, "back": reverse("assessment:indicator_tree", args=[pk])}, status=400)


@org_policies.role_required(*OFFICE)
@require_POST
def indicator_copy(request, pk: int):
    campaign = _campaign(request, pk)
    source_pk = parse_id(request.POST.get("source"))
    if source_pk is None:
        raise Http404
    source = policies.get_managed_campaign(request.user, source_pk)
    try:
        count = services.campaign_copy_tree(user=request.user, source=source, target=campaign)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已从“%(src)s”复制 %(n)d 个指标。") % {"src": source.name, "n": count})
    return redirect("assessment:indicator_tree", pk)


@org_policies.role_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def indicator_overrides(request, pk: int, ind_pk: int):
    """指标增减 — add this indicator to, or remove it from, single assessed units, with a reason (draft only)."""
    campaign = _campaign(request, pk)
    indicator = get_object_or_404(campaign.indicators.filter(points__isnull=False), pk=ind_pk)
    members = list(campaign.units.select_related("unit"))
    errors: list[str] = []
    if request.method == "POST":
        op = request.POST.get("op", "set")
        try:
            if op == "delete":
                override = get_object_or_404(IndicatorOverride, indicator=indicator,
                                             pk=parse_id(request.POST.get("pk")) or 0)
                services.indicator_override_delete(user=request.user, override=override,
                                                   reason=request.POST.get("reason", ""))
                messages.success(request, _("已撤销增减。"))
            else:
                member = next((m for m in members if m.unit.code == request.POST.get("unit", "")), None)
                if member is None:
                    raise ValidationError(_("请选择考核对象"))
                services.indicator_override_set(user=request.user, indicator=indicator, unit=member.unit,
                                                action=request.POST.get("action", ""),
                                                reason=request.POST.get("reason", ""))
                messages.success(request, _("已保存增减。"))
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("assessment:indicator_overrides", pk, ind_pk)
    overrides = indicator.overrides.select_related("unit").order_by("action", "unit__path")
    covered = [m for m in members if m.category in indicator.categories]
    return render(request, "assessment/indicator_overrides.html", {
        "campaign": campaign, "indicator": indicator, "overrides": overrides, "errors": errors,
        "covered": covered, "others": [m for m in members if m.category not in indicator.categories],
        "actions": OverrideAction.choices, "editable": campaign.is_editable}, status=400 if errors else 200)


# --- indicator tree editor (draft only) --------------------------------------------------------------------

def _tree_rows(campaign: Campaign) -> list[Indicator]:
    """The tree in reading order, each indicator with ``depth`` and whether it is first/last among its siblings."""
    indicators = list(campaign.indicators.prefetch_related("assessing_units", "overrides__unit")
                      .order_by("sort", "code"))
    children: dict[int | None, list[Indicator]] = {}
    for ind in indicators:
        children.setdefault(ind.parent_id, []).append(ind)
    ordered = []

    def walk(parent_id, depth):
        siblings = children.get(parent_id, [])
        for i, ind in enumerate(siblings):
            ind.depth, ind.first, ind.last = depth, i == 0, i == len(siblings) - 1
            ind.child_count = len(children.get(ind.pk, []))
            ordered.append(ind)
            walk(ind.pk, depth + 1)

    walk(None, 0)
    return ordered


def _tree_context(request, campaign: Campaign, errors=()) -> dict:
    ordered = _tree_rows(campaign)
    totals: dict[int, object] = {}
    for ind in ordered:
        if ind.points is not None:
            for cat in ind.categories:
                totals[cat] = totals.get(cat, 0) + ind.points
    sources = policies.managed_campaigns(request.user).exclude(pk=campaign.pk).filter(indicators__isnull=False)
    return {"campaign": campaign, "indicators": ordered, "totals": sorted(totals.items()),
            "sources": sources.distinct(), "errors": list(errors), "editable": campaign.is_editable}


def _tree_response(request, campaign: Campaign, errors=(), status: int = 200):
    """The tree page; for htmx only the tree part (answered 200 with the errors shown, like the score rows)."""
    context = _tree_context(request, campaign, errors)
    if request.htmx:
        response = render(request, "assessment/_indicator_tree_body.html", context)
        response["X-Fazhi-Status"] = str(status)
        return response
    return render(request, "assessment/indicator_tree.html", context, status=status)


@org_policies.role_required(*OFFICE)
def indicator_tree(request, pk: int):
    """考核指标 — the campaign's tree; while drafting the office edits it here row by row (or by Excel)."""
    return _tree_response(request, _campaign(request, pk))


def _indicator_form(request, campaign: Campaign, *, heading: bool, indicator: Indicator | None, initial=None):
    current = list(indicator.assessing_units.values_list("pk", flat=True)) if indicator else []
    candidates = services.indicator_assessing_candidates(request.user, campaign)
    choices = Unit.objects.filter(Q(pk__in=candidates.values("pk")) | Q(pk__in=current)).order_by(
        "sort_order", "path")
    return forms.IndicatorForm(request.POST or None, heading=heading, initial=initial,
                               parents=services.indicator_parent_choices(indicator, campaign),
                               assessing_units=choices)


def _form_errors_from(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, problems in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, exc.messages)


def _refuse_unless_draft(request, campaign: Campaign):
    if campaign.is_editable:
        return None
    messages.error(request, _("考核已开始评分（或已冻结），指标表不能再修改；如需修改，请先将考核退回草稿"))
    return redirect("assessment:indicator_tree", campaign.pk)


def _suggested_code(campaign: Campaign, parent: Indicator | None) -> str:
    """The next free number under the heading ("3.2" → "3.2.1", "3.2.2", …), a suggestion the office may change."""
    taken = set(campaign.indicators.values_list("code", flat=True))
    siblings = campaign.indicators.filter(parent=parent).count()
    prefix = f"{parent.code}." if parent else ""
    n = siblings + 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


@org_policies.role_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def indicator_new(request, pk: int):
    """Add a heading (``?kind=heading``) or a leaf, under ``?parent=`` (a heading of this campaign)."""
    campaign = _campaign(request, pk)
    if request.method == "GET" and (refused := _refuse_unless_draft(request, campaign)):
        return refused
    heading = (request.POST.get("kind") or request.GET.get("kind")) == "heading"
    parent_pk = parse_id(request.GET.get("parent")) if request.GET.get("parent") else None
    parent = get_object_or_404(campaign.indicators.filter(points__isnull=True), pk=parent_pk) if parent_pk else None
    form = _indicator_form(request, campaign, heading=heading, indicator=None, initial={
        "parent": parent, "code": _suggested_code(campaign, parent), "categories": [],
        "method": "" if heading else Method.DAILY})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                ind = services.indicator_create(user=request.user, campaign=campaign, heading=heading,
                                                **form.service_values())
            except ValidationError as exc:
                _form_errors_from(form, exc)
            else:
                messages.success(request, _("已添加“%(ind)s”。") % {"ind": ind})
                return redirect(f"{reverse('assessment:indicator_tree', args=[pk])}#ind-{ind.pk}")
        status = 400
    return render(request, "assessment/indicator_form.html", {
        "campaign": campaign, "form": form, "heading": heading, "indicator": None, "parent": parent},
        status=status)


@org_policies.role_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk: int, ind_pk: int):
    """Change one heading or leaf; its 所属标题 moves it under another heading."""
    campaign = _campaign(request, pk)
    indicator = get_object_or_404(campaign.indicators.select_related("parent"), pk=ind_pk)
    if request.method == "GET" and (refused := _refuse_unless_draft(request, campaign)):
        return refused
    heading = not indicator.is_leaf
    form = _indicator_form(request, campaign, heading=heading, indicator=indicator, initial={
        "parent": indicator.parent, "code": indicator.code, "title": indicator.title,
        "description": indicator.description, "points": indicator.points, "method": indicator.method,
        "categories": indicator.categories, "assessing_units": list(indicator.assessing_units.all()),
        "allow_subunits": indicator.allow_subunits})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                ind = services.indicator_update(user=request.user, indicator=indicator, **form.service_values())
            except ValidationError as exc:
                _form_errors_from(form, exc)
            else:
                messages.success(request, _("已保存“%(ind)s”。") % {"ind": ind})
                return redirect(f"{reverse('assessment:indicator_tree', args=[pk])}#ind-{ind.pk}")
        status = 400
    return render(request, "assessment/indicator_form.html", {
        "campaign": campaign, "form": form, "heading": heading, "indicator": indicator,
        "parent": indicator.parent}, status=status)


@org_policies.role_required(*OFFICE)
@require_POST
def indicator_move(request, pk: int, ind_pk: int):
    """上移 / 下移 among the indicators of the same heading (htmx: the tree is redrawn in place)."""
    campaign = _campaign(request, pk)
    indicator = get_object_or_404(campaign.indicators, pk=ind_pk)
    try:
        services.indicator_move(user=request.user, indicator=indicator, direction=request.POST.get("direction", ""))
    except ValidationError as exc:
        if not request.htmx:
            messages.error(request, "；".join(exc.messages))
            return _tree_response(request, campaign, status=400)
        return _tree_response(request, campaign, errors=exc.messages, status=400)
    if request.htmx:
        return _tree_response(request, campaign)
    return redirect(f"{reverse('assessment:indicator_tree', args=[pk])}#ind-{indicator.pk}")


@org_policies.role_required(*OFFICE)
@require_POST
def indicator_delete(request, pk: int, ind_pk: int):
    """Delete a heading with nothing under it, or a leaf not yet used (the service says what refers to it)."""
    campaign = _campaign(request, pk)
    indicator = get_object_or_404(campaign.indicators, pk=ind_pk)
    shown = str(indicator)
    try:
        services.indicator_delete(user=request.user, indicator=indicator)
    except ValidationError as exc:
        if request.htmx:
            return _tree_response(request, campaign, errors=exc.messages, status=400)
        messages.error(request, "；".join(exc.messages))
        return _tree_response(request, campaign, status=400)
    if request.htmx:
        return _tree_response(request, campaign, errors=())
    messages.success(request, _("已删除“%(ind)s”。") % {"ind": shown})
    return redirect("assessment:indicator_tree", pk)


# --- scoring (assessing units) ------------------------------------------------------------------------------

@org_policies.role_required(*SCORERS)
def scoring_home(request):
    """我的评分 — the campaigns in which the user's unit scores indicators."""
    campaigns = list(policies.scoring_campaigns(request.user).select_related("owner"))
    # counters only for campaigns still being scored: a kept (published) year costs nothing here
    open_ones = [c for c in campaigns if c.status == CampaignStatus.SCORING]
    ids = [c.pk for c in open_ones]
    indicators = list(policies.scorable_indicators_in(request.user, ids)) if ids else []
    spaces = selectors.CellSpace.many(open_ones, indicators) if indicators else {}
    counts: dict[tuple[int, str], int] = {}
    if indicators:
        for campaign_id, status, n in Score.objects.filter(campaign__in=ids, indicator__in=indicators).values(
                "campaign_id", "status").annotate(n=Count("pk")).values_list("campaign_id", "status", "n"):
            counts[(campaign_id, status)] = n
    for campaign in campaigns:
        space = spaces.get(campaign.pk)
        campaign.counted = space is not None
        campaign.cell_total = space.total if space else 0
        campaign.cell_submitted = min(campaign.cell_total, counts.get((campaign.pk, ScoreStatus.SUBMITTED), 0))
        campaign.cell_scored = min(campaign.cell_total, campaign.cell_submitted + counts.get(
            (campaign.pk, ScoreStatus.DRAFT), 0))
    return render(request, "assessment/scoring_home.html", {"campaigns": campaigns})


#: Rows per worklist page: each row is a small form, so a page stays quick to render and to read.
WORKLIST_PAGE = 50


def _filter_value(request, name: str, limit: int = 100) -> str:
    """A filter from the query string as the database can take it: NUL bytes (refused by PostgreSQL) dropped and
    the length bounded; a value that matches nothing then simply shows no rows."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:limit]


def _worklist_rows(request, campaign):
    """The user's indicators, the cell space and the (lazy, paged-in-SQL) rows for the filters."""
    indicators = list(policies.scorable_indicators(request.user, campaign).order_by("sort", "code"))
    ind_filter = _filter_value(request, "indicator")
    shown = [i for i in indicators if i.code == ind_filter] if ind_filter else indicators
    space = selectors.CellSpace(campaign, shown)
    rows = selectors.WorklistRows(space, unit_code=_filter_value(request, "unit"),
                                  status=_filter_value(request, "status"))
    return indicators, space, rows


@org_policies.role_required(*SCORERS)
def worklist(request, pk: int):
    """评分 — the user's indicators × the units they apply to; inline save (htmx), evidence, submit.
    Filtered and paged without building the campaign: one page of cells at a time (``selectors.CellSpace``)."""
    campaign = policies.get_scoring_campaign(request.user, pk)
    indicators, space, rows = _worklist_rows(request, campaign)
    page = page_of(request, rows, WORKLIST_PAGE)
    links = hooks.row_links(request, campaign=campaign, cells=[row["cell"] for row in page])
    for row in page:  # links of the apps above (the unit's self-report on the indicator), one query per provider
        cell = row["cell"]
        row["links"] = links.get((cell.indicator.pk, cell.unit.pk, cell.subunit.pk if cell.subunit else None), [])
    drafts = Score.objects.filter(campaign=campaign, indicator__in=indicators, status=ScoreStatus.DRAFT).count()
    units = [m.unit for m in campaign.units.select_related("unit").order_by(
        "unit__category", "unit__sort_order", "unit__path")]
    total = space.total if len(indicators) == len(space.indicators) else selectors.CellSpace(
        campaign, indicators).total
    return render(request, "assessment/worklist.html", {
        "campaign": campaign, "page": page, "indicators": indicators, "units": units, "drafts": drafts,
        "total": total, "filters": request.GET, "editable": campaign.is_scoring})


def _cell_from_post(request, campaign):
    """The posted cell's indicator, unit and sub-unit; an id that is not one (letters, "1e5", 10**30) is 404 like an
    unknown one."""
    indicator = get_object_or_404(Indicator, campaign=campaign, pk=parse_id(request.POST.get("indicator")) or 0)
    policies.ensure_can_score(request.user, campaign, indicator)
    unit = get_object_or_404(Unit, pk=parse_id(request.POST.get("unit")) or 0)
    subunit_id = request.POST.get("subunit", "").strip()
    subunit = get_object_or_404(Unit, pk=parse_id(subunit_id) or 0) if subunit_id else None
    return indicator, unit, subunit


@org_policies.role_required(*SCORERS)
@require_POST
def score_save(request, pk: int):
    """Save one cell (htmx: returns the row; otherwise redirects back). A version conflict is refused."""
    campaign = policies.get_scoring_campaign(request.user, pk)
    indicator, unit, subunit = _cell_from_post(request, campaign)
    error = None
    status = 200
    raw_version = request.POST.get("version", "").strip()
    # a version that is not a whole number can match no score: refused as a conflict by the service
    version = parse_int(raw_version, minimum=0) if raw_version else 0
    version = -1 if version is None else version
    try:
        score = services.score_save(user=request.user, campaign=campaign, indicator=indicator, unit=unit,
                                    subunit=subunit, value=request.POST.get("value", ""),
                                    reason=request.POST.get("reason", ""), expected_version=version)
    except services.ScoreConflict as exc:
        error, status = str(exc), 409
        score = exc.current
    except ValidationError as exc:
        error, status = "；".join(exc.messages), 400
        score = Score.objects.filter(indicator=indicator, unit=unit, subunit=subunit).first()
    if request.htmx:
        cell = selectors.Cell(indicator, unit, subunit)
        evidence = score.evidence.count() if score else 0
        links = hooks.row_links(request, campaign=campaign, cells=[cell]).get(
            (indicator.pk, unit.pk, subunit.pk if subunit else None), [])
        # htmx swaps only 2xx responses by default: answer 200 with the error shown in the row.
        response = render(request, "assessment/_score_row.html", {
            "row": {"cell": cell, "score": score, "evidence": evidence, "links": links}, "campaign": campaign,
            "error": error,
            "editable": campaign.is_scoring, "saved": error is None,
            "posted": request.POST if error else None})
        response["X-Fazhi-Status"] = str(status)
        return response
    if error:
        messages.error(request, error)
        return render(request, "assessment/score_error.html", {"campaign": campaign, "error": error}, status=status)
    messages.success(request, _("已保存。"))
    return redirect("assessment:worklist", pk)


@org_policies.role_required(*SCORERS)
@require_http_methods(["GET", "POST"])
def score_detail(request, pk: int, score_pk: int):
    """One score with its evidence (upload here), and the plan tasks linked to the indicator for that unit."""
    campaign = policies.get_scoring_campaign(request.user, pk)
    score = get_object_or_404(Score.objects.select_related("indicator", "unit", "subunit", "scored_by"),
                              campaign=campaign, pk=score_pk)
    policies.ensure_can_score(request.user, campaign, score.indicator)
    errors = []
    if request.method == "POST":
        upload, errors = uploaded_file(request)
        if upload is not None:
            try:
                services.evidence_add(user=request.user, score=score, upload=upload)
            except ValidationError as exc:
                errors = exc.messages
            else:
                messages.success(request, _("佐证材料已上传。"))
                return redirect("assessment:score_detail", pk, score_pk)
    return render(request, "assessment/score_detail.html", {
        "campaign": campaign, "score": score, "evidence": score.evidence.all(), "errors": errors,
        "tasks": _linked_tasks(score.indicator, score.subunit or score.unit),
        "panels": hooks.score_panels(request, campaign=campaign, indicator=score.indicator, unit=score.unit,
                                     subunit=score.subunit)}, status=400 if errors else 200)


def _linked_tasks(indicator, unit):
    """Plan tasks linked to the indicator for the unit (安排什么考核什么), when the plans app provides them."""
    try:
        from fazhi.plans.selectors import linked_tasks
    except ImportError:
        return None
    return linked_tasks(indicator=indicator, unit=unit)


@org_policies.role_required(*SCORERS)
@require_POST
def scores_submit(request, pk: int):
    """提交全部草稿: first the consequences in numbers with a one-time confirmation, then (posted back with it) the
    submission; a refused confirmation (forged, replayed, numbers changed) is audited and changes nothing."""
    campaign = policies.get_scoring_campaign(request.user, pk)
    token = request.POST.get("confirmation")
    try:
        if not token:
            issued = services.scores_submit_preview(user=request.user, campaign=campaign)
            return render(request, "includes/confirm.html", {
                "title": _("提交全部草稿"), "subject": campaign.name, "issued": issued,
                "action": reverse("assessment:scores_submit", args=[pk]),
                "back": reverse("assessment:worklist", args=[pk])})
        count = services.scores_submit(user=request.user, campaign=campaign, confirmation=token)
    except ValidationError as exc:
        if token:
            record_refusal(user=request.user, target=campaign, action="assessment.scores_submit", exc=exc)
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已提交 %(n)d 项评分。") % {"n": count})
    return redirect("assessment:worklist", pk)


@org_policies.role_required(*SCORERS)
def score_batch_export(request, pk: int):
    campaign = policies.get_scoring_campaign(request.user, pk)
    filename = f"评分-{campaign.year}.xlsx"
    record_download(user=request.user, target=campaign, what="assessment.scores", filename=filename,
                    unit=request.user.unit)
    return xlsx_response(services.score_batch_export(user=request.user, campaign=campaign), filename)


@org_policies.role_required(*SCORERS)
@require_POST
def score_batch_import(request, pk: int):
    campaign = policies.get_scoring_campaign(request.user, pk)
    upload, errors = uploaded_file(request)
    if upload is not None:
        try:
            result = services.score_batch_import(user=request.user, campaign=campaign, data=upload.read())
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
        else:
            messages.success(request, _("已保存 %(saved)d 项评分（草稿），请核对后提交。") % result)
            return redirect("assessment:worklist", pk)
    return render(request, "assessment/import_errors.html", {
        "campaign": campaign, "errors": errors, "back": reverse("assessment:worklist", args=[pk])}, status=400)


@org_policies.role_required(Role.OFFICE, Role.ASSESSED, *SCORERS)
def evidence_download(request, pk: int):
    """A score's evidence file, to the office, the unit that scores it, and the assessed unit after publication
    (its own only). Never served from MEDIA_URL; anyone else gets 404."""
    evidence = get_object_or_404(Evidence.objects.select_related("score__campaign"), pk=pk)
    if not policies.can_see_score(request.user, evidence.score):
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    record_download(user=request.user, target=evidence.score, what="assessment.evidence",
                    filename=evidence.original_name, evidence=True)
    if request.GET.get("inline") == "1" and preview.kind(evidence.original_name):  # 预览 in the page
        return preview.inline_response(handle, evidence.original_name)
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name)


@org_policies.role_required(*SCORERS)
@require_POST
def evidence_delete(request, pk: int):
    """Remove an evidence file of a score still in draft (the scorer's own mistake); 404 outside the scope."""
    evidence = get_object_or_404(Evidence.objects.select_related("score__campaign", "score__indicator"), pk=pk)
    score = evidence.score
    if not policies.can_see_score(request.user, score):
        raise Http404
    try:
        services.evidence_delete(user=request.user, evidence=evidence)
    except ValidationError as exc:
        messages.error(request, _("未删除：") + "；".join(exc.messages))
    else:
        messages.success(request, _("已删除佐证材料“%(name)s”。") % {"name": evidence.original_name})
    return redirect("assessment:score_detail", score.campaign_id, score.pk)


@org_policies.role_required(*OFFICE)
@require_POST
def score_reopen(request, pk: int, score_pk: int):
    """The office sends a submitted score back to the scorer (to draft), with a reason."""
    campaign = _campaign(request, pk)
    score = get_object_or_404(Score.objects.select_related("unit"), campaign=campaign, pk=score_pk)
    try:
        services.score_reopen(user=request.user, score=score, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已退回评分单位修改。"))
    return redirect("assessment:result_detail", pk, score.unit.code)


# --- adjustments --------------------------------------------------------------------------------------------

@org_policies.role_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def adjustments(request, pk: int):
    """加减分 — bonus and deduction items, with reason and source; the office decides exceeding the cap."""
    campaign = _campaign(request, pk)
    members = [m.unit for m in campaign.units.select_related("unit")]
    form = forms.AdjustmentForm(request.POST or None, units=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in members if u.code == data["unit"])
        try:
            services.adjustment_create(user=request.user, campaign=campaign, unit=unit, kind=data["kind"],
                                       points=data["points"], reason=data["reason"], source=data["source"],
                                       serious=data["serious"], exceed_cap=data["exceed_cap"],
                                       exceed_reason=data["exceed_reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已录入。"))
            return redirect("assessment:adjustments", pk)
    items = campaign.adjustments.select_related("unit", "created_by")
    return render(request, "assessment/adjustments.html", {"campaign": campaign, "form": form, "items": items},
                  status=400 if form.errors else 200)


@org_policies.role_required(*OFFICE)
@require_POST
def adjustment_delete(request, pk: int, adj_pk: int):
    campaign = _campaign(request, pk)
    adjustment = get_object_or_404(Adjustment, campaign=campaign, pk=adj_pk)
    try:
        services.adjustment_delete(user=request.user, adjustment=adjustment, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("assessment:adjustments", pk)


# --- results and progress -----------------------------------------------------------------------------------

SORTS = {"total": ("-total", "unit__path"), "name": ("unit__name",), "grade": ("total",), "code": ("unit__code",),
         "rank": ("rank", "unit__path")}


@org_policies.role_required(*OFFICE)
def results(request, pk: int):
    """考核结果 — per category, sorted and paged in SQL; rank only for ranked categories."""
    campaign = _campaign(request, pk)
    present = list(campaign.results.values_list("category", flat=True).distinct().order_by("category"))
    category = parse_int(request.GET.get("category") or "", minimum=1, maximum=7)
    if category is None:
        category = present[0] if present else 1
    sort = request.GET.get("sort", "total")
    order = SORTS.get(sort.lstrip("-"), SORTS["total"])
    rows = campaign.results.filter(category=category).select_related("unit").order_by(*order)
    if sort.startswith("-"):
        rows = rows.reverse()
    return render(request, "assessment/results.html", {
        "campaign": campaign, "page": page_of(request, rows, 100), "category": category, "ranked": category in campaign.ranked_categories,
        "categories": [(c, Category(c).label) for c in present], "sort": sort})


@org_policies.role_required(Role.OFFICE, Role.APPROVER)
def result_detail(request, pk: int, code: str):
    """One unit's result explained down to each indicator score and who gave it — for those who see everything of
    the campaign (``disclosure.scope_campaigns``: its office and the levels above, its approver once submitted)."""
    from . import disclosure

    campaign = get_object_or_404(disclosure.scope_campaigns(request.user).select_related("owner", "previous"), pk=pk)
    member = get_object_or_404(campaign.units.select_related("unit"), unit__code=code)
    data = selectors.result_breakdown(campaign, member.unit)
    is_office = policies.managed_campaigns(request.user).filter(pk=campaign.pk).exists()
    return render(request, "assessment/result_detail.html", {
        "campaign": campaign, "unit": member.unit, "category": member.category, "office_nav": is_office,
        "ranked": member.category in campaign.ranked_categories, "can_reopen": is_office and campaign.is_scoring,
        **data})


@org_policies.role_required(*OFFICE)
def results_export(request, pk: int):
    campaign = _campaign(request, pk)
    filename = f"考核结果-{campaign.year}.xlsx"
    record_download(user=request.user, target=campaign, what="assessment.results", filename=filename)
    return xlsx_response(services.results_export(user=request.user, campaign=campaign), filename)


@org_policies.role_required(*OFFICE)
def progress(request, pk: int):
    """评分进度 — per assessing unit: cells, scored, submitted; who has not submitted; and the missing sub-unit
    evaluations of the 应评价清单 (paged in SQL)."""
    campaign = _campaign(request, pk)
    rows = selectors.progress(campaign)
    if request.GET.get("format") == "xlsx":  # the same list as a workbook
        return _progress_workbook(request, campaign, rows)
    return render(request, "assessment/progress.html", {
        "campaign": campaign, "rows": rows,
        "missing": page_of(request, selectors.missing_evaluations(campaign), 50)})


@org_policies.role_required(*OFFICE)
@require_http_methods(["GET", "POST"])
def expected_evaluations(request, pk: int):
    """应评价清单 — which sub-units evaluate which units on which indicators (§五(一)); the rule for a missing one."""
    campaign = _campaign(request, pk)
    leaves = list(campaign.indicators.filter(points__isnull=False, allow_subunits=True).order_by("sort", "code"))
    errors: list[str] = []
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "add":
                indicator = next((i for i in leaves if str(i.pk) == request.POST.get("indicator", "")), None)
                unit = campaign.units.filter(unit__code=request.POST.get("unit", "").strip()[:64]).first()
                subunit = services.expected_subunit_candidates(request.user, campaign).filter(
                    code=request.POST.get("subunit", "").strip()[:64]).first()
                if indicator is None:
                    raise ValidationError(_("请选择按下级单位评分的指标"))
                if unit is None:
                    raise ValidationError(_("找不到该考核对象"))
                if subunit is None:
                    raise ValidationError(_("找不到该下级单位（或不在您的管理范围内、已停用）"))
                services.expected_add(user=request.user, campaign=campaign, indicator=indicator, unit=unit.unit,
                                      subunit=subunit)
                messages.success(request, _("已加入应评价清单。"))
            elif op == "remove":
                row = get_object_or_404(ExpectedEvaluation, campaign=campaign, pk=parse_id(request.POST.get("pk")) or 0)
                services.expected_remove(user=request.user, expected=row, reason=request.POST.get("reason", ""))
                messages.success(request, _("已移出应评价清单。"))
            elif op == "fill":
                n = services.expected_fill_defaults(user=request.user, campaign=campaign)
                messages.success(request, _("已按各考核对象的下级单位补充 %(n)d 项应评价。") % {"n": n})
            elif op == "rule":
                services.campaign_missing_rule_set(user=request.user, campaign=campaign,
                                                   rule=request.POST.get("rule", ""),
                                                   reason=request.POST.get("reason", ""))
                messages.success(request, _("缺评处理规则已保存。"))
            else:
                raise ValidationError(_("未知操作"))
        except ValidationError as exc:
            errors = exc.messages
        else:
            return redirect("assessment:expected_evaluations", pk)
        campaign.refresh_from_db()
    indicator = next((i for i in leaves if str(i.pk) == request.GET.get("indicator", "")), None)
    unit_code = _filter_value(request, "unit", 64)
    rows = campaign.expected_evaluations.select_related("indicator", "unit", "subunit").order_by(
        "indicator__sort", "indicator__code", "unit__sort_order", "unit__path", "subunit__sort_order",
        "subunit__path", "pk")
    if indicator is not None:
        rows = rows.filter(indicator=indicator)
    if unit_code:
        rows = rows.filter(Q(unit__code=unit_code) | Q(subunit__code=unit_code))
    return render(request, "assessment/expected.html", {
        "campaign": campaign, "leaves": leaves, "page": page_of(request, rows, 100), "errors": errors,
        "indicator": indicator, "unit_code": unit_code,
        "editable": campaign.status in services.EXPECTED_STATUSES and not campaign.frozen,
        "rule_editable": campaign.status in services.CHANGEABLE_STATUSES and not campaign.frozen,
        "rules": MissingRule.choices,
        "missing_count": selectors.missing_evaluations(campaign).count()}, status=400 if errors else 200)


@org_policies.role_required(*OFFICE)
def expected_export(request, pk: int):
    campaign = _campaign(request, pk)
    filename = f"应评价清单-{campaign.year}.xlsx"
    record_download(user=request.user, target=campaign, what="assessment.expected", filename=filename)
    return xlsx_response(services.expected_export(user=request.user, campaign=campaign), filename)


@org_policies.role_required(*OFFICE)
@require_POST
def expected_import(request, pk: int):
    campaign = _campaign(request, pk)
    upload, errors = uploaded_file(request)
    if upload is not None:
        try:
            result = services.expected_import(user=request.user, campaign=campaign, data=upload.read())
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
        else:
            messages.success(request, _("导入成功：%(cells)d 个指标×考核对象，新增 %(added)d 项、移出 %(removed)d 项。")
                             % result)
            return redirect("assessment:expected_evaluations", pk)
    return render(request, "assessment/import_errors.html", {
        "campaign": campaign, "errors": errors, "back": reverse("assessment:expected_evaluations", args=[pk])},
        status=400)


def _progress_workbook(request, campaign: Campaign, rows):
    from fazhi.io.excel import Column, build_workbook

    columns = [Column("unit", "考核主体", width=30), Column("total", "应评"), Column("scored", "已评"),
               Column("submitted", "已提交"), Column("left", "未提交")]
    data = [{"unit": r["unit"].name, "total": r["total"], "scored": r["scored"], "submitted": r["submitted"],
             "left": r["total"] - r["submitted"]} for r in rows if r["unit"] is not None]
    filename = f"{campaign.name}-评分进度.xlsx"
    record_download(user=request.user, target=campaign, what="assessment.progress", filename=filename)
    return xlsx_response(build_workbook("评分进度", columns, data, instructions=[f"{campaign.name} 评分进度"]),
                         filename)

