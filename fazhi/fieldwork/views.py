"""Pages of 实地考核: the office's visits and draw, the team's records and theory tests, the unit's sample."""

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
from fazhi.assessment import selectors as assessment_selectors
from fazhi.assessment import steps
from fazhi.assessment.models import Indicator, Method
from fazhi.audit.services import record_download
from fazhi.draws import views as draws_views
from fazhi.io.excel import ImportFailed
from fazhi.io.http import xlsx_response
from fazhi.io.params import parse_id, parse_int
from fazhi.io.uploads import uploaded_file
from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role, Unit, UnitKind

from . import policies, services
from .models import MemberKind, RecordKind, VisitPhoto

OFFICE, FIELD, ASSESSED = Role.OFFICE, Role.FIELD_TEAM, Role.ASSESSED


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


@org_policies.role_required(OFFICE, FIELD, ASSESSED)
def visit_list(request):
    visits = policies.visits_for(request.user).select_related("unit", "campaign", "team_unit").order_by(
        "-start_date", "-pk")
    page = Paginator(visits, 30).get_page(request.GET.get("page"))
    return render(request, "fieldwork/list.html", {"page": page, "is_office": request.user.role == OFFICE})


@org_policies.role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def visit_new(request):
    campaigns = assessment_policies.managed_campaigns(request.user)
    indicators = Indicator.objects.filter(campaign__in=campaigns, method=Method.FIELD, points__isnull=False
                                          ).select_related("campaign").order_by("-campaign__year", "sort")
    units = org_policies.managed_units(request.user).order_by("path")
    errors = []
    if request.method == "POST":
        indicator = indicators.filter(pk=parse_id(request.POST.get("indicator"))).first()
        unit = units.filter(pk=parse_id(request.POST.get("unit"))).first()
        team = units.filter(pk=parse_id(request.POST.get("team_unit"))).first()
        try:
            start, end = (dt.date.fromisoformat(request.POST.get(k, "")) for k in ("start_date", "end_date"))
        except ValueError:
            start = end = None
        if indicator is None or unit is None or team is None or start is None:
            errors.append(_("请填写考核指标、考核对象、考核组和考核日期"))
        else:
            try:
                visit = services.visit_create(
                    user=request.user, campaign=indicator.campaign, indicator=indicator, unit=unit, team_unit=team,
                    start_date=start, end_date=end, schedule=request.POST.get("schedule", ""),
                    required_count=parse_int(request.POST.get("required_count"), minimum=1) or 0,
                    departments_k=parse_int(request.POST.get("departments_k"), minimum=0, maximum=50) or 0,
                    governments_k=parse_int(request.POST.get("governments_k"), minimum=0, maximum=50) or 0)
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                return redirect("fieldwork:detail", visit.pk)
    return render(request, "fieldwork/new.html", {
        "indicators": indicators[:200], "units": units.filter(category__isnull=False)[:500],
        "teams": units.filter(kind__in=[UnitKind.OTHER, UnitKind.OFFICE])[:200], "errors": errors,
        "form": request.POST}, status=400 if errors else 200)


def _context(request, visit, errors=None) -> dict:
    user = request.user
    is_office = policies.visits_for(user, "manage").filter(pk=visit.pk).exists()
    is_team = policies.visits_for(user, "work").filter(pk=visit.pk).exists()
    context = {"visit": visit, "is_office": is_office, "is_team": is_team, "errors": errors or [],
               "sample": getattr(visit, "sample", None),
               "sampled": visit.sampled.select_related("unit"), "labels": services.STRATUM_LABELS,
               "by_unit": services.theory_by_unit(visit)}
    if visit.test_results.exists():
        context["outcome"] = services.theory_outcome(visit)
        context["outcome_steps"] = steps.render_all(context["outcome"].steps)
    if is_office or is_team:
        context["members"] = visit.members.all()
        context["records"] = visit.records.select_related("unit", "recorded_by").prefetch_related("photos")
        context["member_kinds"] = MemberKind.choices
        context["record_kinds"] = RecordKind.choices
        context["record_units"] = [visit.unit] + [s.unit for s in context["sampled"]]
        context["can_write"] = policies.can_write_indicator(user, visit)
        context["score"] = assessment_selectors.scores_by_cell(visit.campaign, [visit.indicator]).get(
            (visit.indicator_id, visit.unit_id, None))
    if is_office and visit.status == "planned":
        context["population"] = services.population_items(visit)
    return context


@org_policies.role_required(OFFICE, FIELD, ASSESSED)
def visit_detail(request, pk: int):
    visit = policies.get_visit_or_404(request.user, pk)
    return render(request, "fieldwork/detail.html", _context(request, visit))


@org_policies.role_required(OFFICE)
@require_POST
def member_add(request, pk: int):
    visit = policies.get_visit_or_404(request.user, pk, "manage")
    try:
        services.member_add(user=request.user, visit=visit, name=request.POST.get("name", ""),
                            kind=request.POST.get("kind", ""), organisation=request.POST.get("organisation", ""),
                            is_leader=request.POST.get("is_leader") == "on")
    except ValidationError as exc:
        return render(request, "fieldwork/detail.html", _context(request, visit, _errors(exc)), status=400)
    return redirect("fieldwork:detail", pk)


@org_policies.role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def sample_draw(request, pk: int):
    visit = policies.get_visit_or_404(request.user, pk, "manage")
    items = services.population_items(visit)
    counts = {key: sum(1 for i in items if i.stratum == key) for key in services.STRATUM_LABELS}
    context = {"visit": visit, "size": len(items), "departments": counts[services.DEPARTMENTS],
               "governments": counts[services.GOVERNMENTS], "warnings": services.draw_warnings(visit, items)}
    return draws_views.draw_page(
        request, template="fieldwork/draw.html", context=context,
        draw=lambda seed, confirm_size: services.sample_draw(user=request.user, visit=visit, seed=seed,
                                                             confirm_size=confirm_size),
        success=_("已抽样，抽样结果在考核完成后向考核对象公开"), done_url=reverse("fieldwork:detail", args=[pk]))


@org_policies.role_required(OFFICE, FIELD, ASSESSED)
def sample_file(request, pk: int, which: str):
    """The published population or drawn list, for whoever sees the sample on the visit's page (the unit only once
    the visit is completed), so anyone shown the draw can redo it with ``fazhi sample verify``."""
    visit = policies.get_visit_or_404(request.user, pk)  # the unit's only once completed (see policies)
    return draws_views.published_file(request, record=getattr(visit, "sample", None), which=which, target=visit,
                                      name=f"visit-{visit.pk}")


@org_policies.role_required(FIELD)
@require_POST
def record_add(request, pk: int):
    visit = policies.get_visit_or_404(request.user, pk, "work")
    unit = get_object_or_404(Unit, pk=parse_id(request.POST.get("unit")))
    try:
        happened_on = dt.date.fromisoformat(request.POST.get("happened_on", ""))
        services.record_add(user=request.user, visit=visit, kind=request.POST.get("kind", ""), unit=unit,
                            happened_on=happened_on, text=request.POST.get("text", ""),
                            place=request.POST.get("place", ""), photos=request.FILES.getlist("photos"))
    except ValueError:
        return render(request, "fieldwork/detail.html", _context(request, visit, [_("日期格式应为 2025-06-30")]),
                      status=400)
    except ValidationError as exc:
        return render(request, "fieldwork/detail.html", _context(request, visit, _errors(exc)), status=400)
    messages.success(request, _("记录已保存"))
    return redirect("fieldwork:detail", pk)


@org_policies.role_required(FIELD)
@require_POST
def theory_import(request, pk: int):
    visit = policies.get_visit_or_404(request.user, pk, "work")
    upload, errors = uploaded_file(request)
    if upload is not None:
        try:
            count = services.theory_import(user=request.user, visit=visit, data=upload.read())
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            messages.success(request, _("已导入 %(n)s 人的法治理论测试成绩") % {"n": count})
            return redirect("fieldwork:detail", pk)
    return render(request, "assessment/import_errors.html", {
        "errors": errors, "back": reverse("fieldwork:detail", args=[pk])}, status=400)


@org_policies.role_required(FIELD, OFFICE)
def theory_template(request, pk: int):
    policies.get_visit_or_404(request.user, pk)
    return xlsx_response(services.theory_template(), _("法治理论测试成绩模板.xlsx"))


@org_policies.role_required(FIELD)
@require_POST
def indicator_write(request, pk: int):
    visit = policies.get_visit_or_404(request.user, pk, "work")
    try:
        score = services.indicator_write(user=request.user, visit=visit)
    except ValidationError as exc:
        messages.error(request, "；".join(_errors(exc)))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已写入指标得分 %(value)s（草稿），请在考核评分中核对后提交") % {"value": score.value})
    return redirect("fieldwork:detail", pk)


@org_policies.role_required(OFFICE)
@require_POST
def visit_complete(request, pk: int):
    visit = policies.get_visit_or_404(request.user, pk, "manage")
    try:
        services.visit_complete(user=request.user, visit=visit)
    except ValidationError as exc:
        return render(request, "fieldwork/detail.html", _context(request, visit, _errors(exc)), status=400)
    return redirect("fieldwork:detail", pk)


@org_policies.role_required(OFFICE, FIELD)
def photo_download(request, pk: int):
    photo = get_object_or_404(VisitPhoto.objects.select_related("record__visit"), pk=pk)
    visible = policies.visits_for(request.user, "manage") | policies.visits_for(request.user, "work")
    if not visible.filter(pk=photo.record.visit_id).exists():
        raise Http404
    record_download(user=request.user, target=photo.record.visit, what="fieldwork.photo",
                    filename=photo.original_name, evidence=True)
    return FileResponse(photo.file.open("rb"), as_attachment=False, filename=photo.original_name)
