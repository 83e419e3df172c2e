"""Pages of 集中评查: the office's review set-up, draw and results; a unit's registration; an expert's files."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.assessment import policies as assessment_policies
from fazhi.assessment import steps
from fazhi.assessment.models import Indicator, Method
from fazhi.audit.services import record_download
from fazhi.draws import views as draws_views
from fazhi.io.excel import ImportFailed
from fazhi.io.http import xlsx_response
from fazhi.io.params import parse_id, parse_int
from fazhi.io.uploads import uploaded_file
from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role, User

from . import policies, services
from .models import CaseFile, CaseType, ReviewStatus, Rule

OFFICE, ASSESSED, EXPERT = Role.OFFICE, Role.ASSESSED, Role.EXPERT


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@org_policies.role_required(OFFICE, ASSESSED)
def review_list(request):
    reviews = policies.reviews_for(request.user).select_related("campaign", "indicator").order_by("-pk")
    page = Paginator(reviews, 30).get_page(request.GET.get("page"))
    return render(request, "casereview/list.html", {"page": page, "is_office": request.user.role == OFFICE
                                                    or request.user.is_superuser})


@org_policies.role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def review_new(request):
    campaigns = assessment_policies.managed_campaigns(request.user).order_by("-year", "-pk")
    indicators = Indicator.objects.filter(campaign__in=campaigns, method=Method.REVIEW, points__isnull=False
                                          ).select_related("campaign").order_by("-campaign__year", "sort")
    errors = []
    if request.method == "POST":
        indicator = indicators.filter(pk=parse_id(request.POST.get("indicator"))).first()
        if indicator is None:
            errors.append(_("请选择考核指标"))
        else:
            try:
                review = services.review_create(
                    user=request.user, campaign=indicator.campaign, indicator=indicator,
                    title=request.POST.get("title", ""), case_types=request.POST.getlist("case_types"),
                    files_per_unit=parse_int(request.POST.get("files_per_unit"), minimum=1, maximum=50) or 0,
                    rule=request.POST.get("rule", ""), pass_mark=request.POST.get("pass_mark") or "60")
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                messages.success(request, _("已创建集中评查，请设置评查标准和评查专家"))
                return redirect("casereview:detail", review.pk)
    return render(request, "casereview/new.html", {
        "indicators": indicators[:200], "case_types": CaseType.choices, "rules": Rule.choices, "errors": errors,
        "form": request.POST}, status=400 if errors else 200)


def _detail_context(request, review) -> dict:
    user = request.user
    is_office = policies.reviews_for(user, "manage").filter(pk=review.pk).exists()
    files = policies.files_for(user, review).select_related("assignment__expert__user").order_by(
        "unit__sort_order", "unit_id", "-drawn", "draw_rank", "number")
    page = Paginator(files, 50).get_page(request.GET.get("page"))
    if is_office and review.status == ReviewStatus.REVIEWING:  # who each drawn, unscored file may go to (改派)
        page.object_list = list(page.object_list)
        eligible = services.eligible_experts(review, [f for f in page.object_list if f.drawn])
        for case_file in page.object_list:
            assignment = getattr(case_file, "assignment", None)
            if case_file.drawn and (assignment is None or assignment.submitted_at is None):
                case_file.movable_to = [m for m in eligible[case_file.pk]
                                        if assignment is None or m.pk != assignment.expert_id]
    context = {"review": review, "is_office": is_office, "page": page,
               "sample": getattr(review, "sample", None), "items": review.items.all(),
               "case_types": [(k, label) for k, label in CaseType.choices if k in review.case_types]}
    if is_office:
        context["experts"] = review.experts.select_related("user", "employer").prefetch_related("avoid_units")
        context["expert_choices"] = User.objects.filter(
            role=Role.EXPERT, unit__in=org_policies.managed_units(user), is_active=True).order_by("username")
        context["unit_choices"] = org_policies.managed_units(user).order_by("path")[:500]
        context["preview"] = services.draw_preview(review)
        if review.status != ReviewStatus.REGISTERING:
            context["outcomes"] = services.unit_outcomes(review)
            for outcome in context["outcomes"]:  # the calculation in the reader's language
                outcome["steps_text"] = steps.render_all(outcome["steps"])
    else:
        context["own_unit_targeted"] = user.unit_id in {u.pk for u in services.target_units(review)}
    return context


@org_policies.role_required(OFFICE, ASSESSED)
def review_detail(request, pk: int):
    review = policies.get_review_or_404(request.user, pk)
    return render(request, "casereview/detail.html", _detail_context(request, review))


def _back_with_errors(request, review, errors: list[str]):
    context = _detail_context(request, review)
    context["errors"] = errors
    return render(request, "casereview/detail.html", context, status=400)


@org_policies.role_required(OFFICE)
@require_POST
def checklist_add(request, pk: int):
    review = policies.get_review_or_404(request.user, pk, "manage")
    try:
        services.checklist_item_add(user=request.user, review=review, text=request.POST.get("text", ""),
                                    max_deduction=request.POST.get("max_deduction", ""))
    except ValidationError as exc:
        return _back_with_errors(request, review, _errors(exc))
    return redirect("casereview:detail", pk)


@org_policies.role_required(OFFICE)
@require_POST
def expert_add(request, pk: int):
    review = policies.get_review_or_404(request.user, pk, "manage")
    managed = org_policies.managed_units(request.user)
    expert = get_object_or_404(User.objects.filter(role=Role.EXPERT, unit__in=managed),
                               pk=parse_id(request.POST.get("expert")))
    employer = managed.filter(pk=parse_id(request.POST.get("employer"))).first()
    avoid = list(managed.filter(pk__in=[i for i in map(parse_id, request.POST.getlist("avoid_units")) if i]))
    try:
        services.expert_add(user=request.user, review=review, expert=expert, employer=employer, avoid_units=avoid)
    except ValidationError as exc:
        return _back_with_errors(request, review, _errors(exc))
    return redirect("casereview:detail", pk)


@org_policies.role_required(OFFICE)
@require_POST
def assignment_set(request, pk: int, file_pk: int):
    """改派: the office gives a drawn file to another expert (conflicts refused by the service, with the reason)."""
    review = policies.get_review_or_404(request.user, pk, "manage")
    case_file = get_object_or_404(CaseFile.objects.filter(review=review), pk=file_pk)
    member = get_object_or_404(review.experts.all(), pk=parse_id(request.POST.get("expert")) or 0)
    try:
        services.assignment_set(user=request.user, case_file=case_file, expert=member,
                                reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        return _back_with_errors(request, review, _errors(exc))
    messages.success(request, _("已将案卷 %(number)s 改派给 %(expert)s") % {"number": case_file.number,
                                                                      "expert": member.user})
    return redirect("casereview:detail", pk)


@org_policies.role_required(ASSESSED)
@require_POST
def file_register(request, pk: int):
    review = policies.get_review_or_404(request.user, pk)
    try:
        closed_on = dt.date.fromisoformat(request.POST.get("closed_on", ""))
    except ValueError:
        return _back_with_errors(request, review, [_("办结日期格式应为 2025-06-30")])
    try:
        services.file_register(user=request.user, review=review, number=request.POST.get("number", ""),
                               case_type=request.POST.get("case_type", ""), title=request.POST.get("title", ""),
                               closed_on=closed_on, attachment=request.FILES.get("attachment"))
    except ValidationError as exc:
        return _back_with_errors(request, review, _errors(exc))
    messages.success(request, _("案卷已登记"))
    return redirect("casereview:detail", pk)


@org_policies.role_required(ASSESSED)
@require_POST
def file_import(request, pk: int):
    review = policies.get_review_or_404(request.user, pk)
    upload, errors = uploaded_file(request)
    if upload is not None:
        try:
            count = services.file_import(user=request.user, review=review, data=upload.read())
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("已导入 %(n)s 件案卷") % {"n": count})
            return redirect("casereview:detail", pk)
    return render(request, "assessment/import_errors.html", {
        "errors": errors, "back": reverse("casereview:detail", args=[pk])}, status=400)


@org_policies.role_required(ASSESSED, OFFICE)
def file_template(request, pk: int):
    policies.get_review_or_404(request.user, pk)
    return xlsx_response(services.file_template(), _("案卷登记模板.xlsx"))


@org_policies.role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def sample_draw(request, pk: int):
    """GET: what will be drawn, in numbers, with warnings; POST with the confirmed population size: draw."""
    review = policies.get_review_or_404(request.user, pk, "manage")
    preview = services.draw_preview(review)
    context = {"review": review, "preview": preview, "size": preview["files"],
               "warnings": services.draw_warnings(review)}
    return draws_views.draw_page(
        request, template="casereview/draw.html", context=context,
        draw=lambda seed, confirm_size: services.sample_draw(user=request.user, review=review, seed=seed,
                                                              confirm_files=confirm_size),
        success=_("已抽样，随机种子和样本总体已公布"), done_url=reverse("casereview:detail", args=[pk]))


@org_policies.role_required(OFFICE)
@require_POST
def assignments_make(request, pk: int):
    review = policies.get_review_or_404(request.user, pk, "manage")
    try:
        count = services.assignments_make(user=request.user, review=review)
    except ValidationError as exc:
        return _back_with_errors(request, review, _errors(exc))
    messages.success(request, _("已分配 %(n)s 件案卷") % {"n": count})
    return redirect("casereview:detail", pk)


@org_policies.role_required(OFFICE, ASSESSED)
def sample_file(request, pk: int, which: str):
    """The published population or drawn list. A unit gets its own stratum only: strata are drawn independently,
    so it can redraw its own files without seeing other units' files."""
    review = policies.get_review_or_404(request.user, pk)
    is_office = policies.reviews_for(request.user, "manage").filter(pk=review.pk).exists()
    return draws_views.published_file(request, record=getattr(review, "sample", None), which=which, target=review,
                                      name=str(review.pk), strata=None if is_office else {request.user.unit.code})


@org_policies.role_required(EXPERT)
def my_files(request):
    assignments = policies.assignments_for(request.user).order_by(
        F("submitted_at").asc(nulls_first=True), "file__review_id", "pk")  # work still to do first, on any database
    page = Paginator(assignments, 50).get_page(request.GET.get("page"))
    writable = [r for r in {a.file.review for a in page} if policies.can_write_indicator(request.user, r)]
    return render(request, "casereview/my_files.html", {"page": page, "writable": writable})


@org_policies.role_required(EXPERT)
@require_http_methods(["GET", "POST"])
def file_review(request, pk: int):
    assignment = policies.get_assignment_or_404(request.user, pk)
    review = assignment.file.review
    items = list(review.items.all())
    errors = []
    if request.method == "POST":
        deductions = {item.pk: (request.POST.get(f"deduct_{item.pk}", ""), request.POST.get(f"reason_{item.pk}", ""))
                      for item in items}
        try:
            services.file_score(user=request.user, assignment=assignment, deductions=deductions,
                                comment=request.POST.get("comment", ""))
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("评查结果已提交"))
            return redirect("casereview:my_files")
    given = {d.item_id: d for d in assignment.deductions.all()}
    rows = [{"item": item, "deduction": given.get(item.pk),
             "posted": request.POST.get(f"deduct_{item.pk}", ""), "posted_reason": request.POST.get(f"reason_{item.pk}", "")}
            for item in items]
    return render(request, "casereview/file_review.html", {
        "assignment": assignment, "review": review, "rows": rows, "errors": errors,
        "file": assignment.file}, status=400 if errors else 200)


@org_policies.role_required(EXPERT)
@require_POST
def indicator_write(request, pk: int):
    review = get_object_or_404(policies.reviews_for_scorer(request.user), pk=pk)
    try:
        count = services.indicator_write(user=request.user, review=review)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(_errors(exc)) if isinstance(exc, ValidationError) else str(exc))
        return redirect("casereview:my_files")
    messages.success(request, _("已将 %(n)s 个单位的指标得分写入考核评分（草稿），请在考核评分中核对后提交") % {"n": count})
    return redirect("casereview:my_files")




@org_policies.role_required(OFFICE, ASSESSED, EXPERT)
def file_attachment(request, pk: int):
    """The scanned file: the office of the review, the unit that registered it, the expert it is assigned to."""
    case_file = get_object_or_404(CaseFile.objects.select_related("review", "assignment__expert"), pk=pk)
    user = request.user
    allowed = (policies.files_for(user, case_file.review).filter(pk=pk).exists()
               or policies.assignments_for(user).filter(file=pk).exists())
    if not allowed or not case_file.attachment:
        raise Http404
    record_download(user=user, target=case_file, what="casereview.file", filename=case_file.attachment.name,
                    evidence=True)
    return FileResponse(case_file.attachment.open("rb"), as_attachment=True,
                        filename=case_file.attachment.name.rsplit("/", 1)[-1])
