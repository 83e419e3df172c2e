"""Pages of 满意度测评: the office's rounds (inputs beside the score), the institute's imports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.assessment import policies as assessment_policies
from fazhi.assessment import steps
from fazhi.assessment.models import Indicator, Method
from fazhi.io.excel import ImportFailed
from fazhi.io.http import xlsx_response
from fazhi.io.params import parse_id
from fazhi.io.uploads import uploaded_file
from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role, UnitKind

from . import policies, services
from .models import ImportKind

OFFICE, SURVEY = Role.OFFICE, Role.SURVEY


@org_policies.role_required(OFFICE, SURVEY)
def round_list(request):
    rounds = policies.rounds_for(request.user).select_related("campaign", "indicator", "institute").order_by("-pk")
    page = Paginator(rounds, 30).get_page(request.GET.get("page"))
    return render(request, "surveys/list.html", {"page": page, "is_office": request.user.role == OFFICE})


@org_policies.role_required(OFFICE)
@require_http_methods(["GET", "POST"])
def round_new(request):
    campaigns = assessment_policies.managed_campaigns(request.user)
    indicators = Indicator.objects.filter(campaign__in=campaigns, method=Method.SURVEY, points__isnull=False
                                          ).select_related("campaign").order_by("-campaign__year", "sort")
    institutes = org_policies.managed_units(request.user).filter(kind=UnitKind.THIRD_PARTY).order_by("name")
    errors = []
    if request.method == "POST":
        indicator = indicators.filter(pk=parse_id(request.POST.get("indicator"))).first()
        institute = institutes.filter(pk=parse_id(request.POST.get("institute"))).first()
        if indicator is None or institute is None:
            errors.append(_("请选择考核指标和第三方调查机构"))
        else:
            try:
                weights = {k: request.POST.get(f"w_{k}") or d for k, d in
                           (("survey", "0.5"), ("mystery", "0.2"), ("rating", "0.2"), ("opinion", "0.1"))}
                survey_round = services.round_create(
                    user=request.user, campaign=indicator.campaign, indicator=indicator, institute=institute,
                    title=request.POST.get("title", ""), weights=weights,
                    opinion_penalty=request.POST.get("opinion_penalty") or "5")
            except (ValidationError, ArithmeticError) as exc:
                errors = [str(m) for m in exc.messages] if isinstance(exc, ValidationError) else [_("权重应为数字")]
            else:
                return redirect("surveys:detail", survey_round.pk)
    return render(request, "surveys/new.html", {"indicators": indicators[:200], "institutes": institutes[:100],
                                                "errors": errors}, status=400 if errors else 200)


@org_policies.role_required(OFFICE, SURVEY)
def round_detail(request, pk: int):
    survey_round = policies.get_round_or_404(request.user, pk)
    is_office = policies.rounds_for(request.user, "manage").filter(pk=pk).exists()
    rows = services.unit_inputs(survey_round)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    for row in page:  # the calculation in the reader's language
        row["steps_text"] = steps.render_all(row["steps"])
    return render(request, "surveys/detail.html", {
        "round": survey_round, "is_office": is_office, "page": page,
        "batches": policies.batches_for(request.user, survey_round)[:100], "kinds": ImportKind.choices,
        "can_import": policies.rounds_for(request.user, "import").filter(pk=pk).exists(),
        "can_write": policies.can_write_indicator(request.user, survey_round)})


def _kind(kind: str) -> str:
    if kind not in ImportKind.values:
        raise Http404
    return kind


@org_policies.role_required(SURVEY)
@require_POST
def data_import(request, pk: int, kind: str):
    survey_round = policies.get_round_or_404(request.user, pk, "import")
    upload, errors = uploaded_file(request)
    if upload is not None:
        try:
            batch = services.data_import(user=request.user, survey_round=survey_round, kind=_kind(kind),
                                         data=upload.read(), filename=upload.name)
        except ImportFailed as exc:
            errors = [str(e) for e in exc.errors]
        else:
            messages.success(request, _("已导入 %(n)s 行%(kind)s") % {"n": batch.rows, "kind": batch.get_kind_display()})
            return redirect("surveys:detail", pk)
    return render(request, "assessment/import_errors.html", {
        "errors": errors, "back": reverse("surveys:detail", args=[pk])}, status=400)


@org_policies.role_required(SURVEY, OFFICE)
def data_template(request, pk: int, kind: str):
    policies.get_round_or_404(request.user, pk)
    kind = _kind(kind)
    return xlsx_response(services.template(kind), f"{ImportKind(kind).label}.xlsx")


@org_policies.role_required(SURVEY)
@require_POST
def indicator_write(request, pk: int):
    survey_round = policies.get_round_or_404(request.user, pk, "import")
    try:
        count = services.indicator_write(user=request.user, survey_round=survey_round)
    except ValidationError as exc:
        messages.error(request, "；".join(str(m) for m in exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已将 %(n)s 个单位的指标得分写入考核评分（草稿），请在考核评分中核对后提交") % {"n": count})
    return redirect("surveys:detail", pk)
