"""REST endpoints of the assessment app.

- ``POST /api/assessment/compute/`` — the scoring engine as a service: engine JSON in, engine JSON out
  (the same computation as ``fazhi assess compute FILE.json``); an engine error answers 400 with its message.
- ``GET /api/assessment/campaigns/`` — campaigns the caller runs (office) or scores in (assessing unit).
- ``GET /api/assessment/campaigns/{id}/results/`` — results as ``disclosure`` lets the caller see them: all of them
  for the office and the approver in scope, an assessed unit's own row once released, the public view of a
  published campaign for anyone else signed in; a hidden figure is null.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import include, path
from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError, PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from fazhi.core.scoring import ScoringError
from fazhi.io.params import parse_int
from fazhi.io.parsers import DecimalJSONParser
from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role

from . import policies, services
from .models import Campaign, Result

_NUMBER = serializers.CharField(help_text="number or numeric string, e.g. 9.5 or \"9.50\"")

ENGINE_INPUT = inline_serializer("AssessmentEngineInput", fields={
    "settings": inline_serializer("AssessmentEngineSettings", fields={
        "grades": serializers.DictField(child=serializers.DecimalField(max_digits=6, decimal_places=2),
                                        help_text="{\"优秀\": 90, \"良好\": 80, \"合格\": 60}"),
        "bonus_cap": serializers.DecimalField(max_digits=6, decimal_places=2, required=False),
        "deduction_cap": serializers.DecimalField(max_digits=6, decimal_places=2, required=False),
        "excellent_quota": serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True, required=False),
        "ranked_categories": serializers.ListField(child=serializers.IntegerField(), required=False),
        "warning_rank_drop": serializers.IntegerField(required=False),
        "method_weights": serializers.DictField(child=_NUMBER, required=False, allow_null=True,
                                                help_text="{\"daily_work\": 60, \"field_work\": 20, \"survey\": 20}"),
        "missing_subunits": inline_serializer("AssessmentEngineMissingRule", required=False, fields={
            "rule": serializers.ChoiceField(choices=["block", "zero", "exclude"]),
            "reason": serializers.CharField(required=False)}),
    }, required=False),
    "indicators": inline_serializer("AssessmentEngineIndicator", many=True, fields={
        "code": serializers.CharField(), "points": _NUMBER,
        "categories": serializers.ListField(child=serializers.IntegerField()),
        "method": serializers.ChoiceField(choices=["daily", "supervision", "review", "web", "field", "survey"],
                                          required=False)}),
    "units": inline_serializer("AssessmentEngineUnit", many=True, fields={
        "code": serializers.CharField(), "category": serializers.IntegerField(),
        "add": serializers.ListField(child=serializers.CharField(), required=False),
        "remove": serializers.ListField(child=serializers.CharField(), required=False)}),
    "scores": inline_serializer("AssessmentEngineScore", many=True, fields={
        "unit": serializers.CharField(), "indicator": serializers.CharField(), "score": _NUMBER,
        "subunit": serializers.CharField(required=False, allow_null=True)}),
    "adjustments": inline_serializer("AssessmentEngineAdjustment", many=True, required=False, fields={
        "unit": serializers.CharField(), "kind": serializers.ChoiceField(choices=["bonus", "deduction"]),
        "points": _NUMBER, "reason": serializers.CharField(), "source": serializers.CharField(required=False),
        "serious": serializers.BooleanField(required=False), "exceed_cap": serializers.BooleanField(required=False)}),
    "previous": inline_serializer("AssessmentEnginePrevious", many=True, required=False, fields={
        "unit": serializers.CharField(), "grade": serializers.CharField(allow_null=True),
        "rank": serializers.IntegerField(allow_null=True)}),
    "expected": inline_serializer("AssessmentEngineExpected", many=True, required=False, fields={
        "unit": serializers.CharField(), "indicator": serializers.CharField(),
        "subunits": serializers.ListField(child=serializers.CharField())}),
})

ENGINE_OUTPUT = inline_serializer("AssessmentEngineOutput", fields={
    "units": inline_serializer("AssessmentEngineUnitResult", many=True, fields={
        "unit": serializers.CharField(), "category": serializers.IntegerField(),
        "applicable_points": serializers.CharField(), "earned": serializers.CharField(),
        "base": serializers.CharField(), "bonus": serializers.CharField(), "deduction": serializers.CharField(),
        "total": serializers.CharField(help_text="2 decimal places, as a string: \"93.50\""),
        "grade": serializers.CharField(), "rank": serializers.IntegerField(allow_null=True),
        "serious": serializers.BooleanField(),
        "subtotals": inline_serializer("AssessmentEngineSubtotals", fields={
            name: serializers.CharField() for name in ("daily_work", "field_work", "survey", "adjustment")},
            help_text="日常工作落实 / 实地考核 / 满意度 / 加减分; they add up to total"),
        "notes": serializers.ListField(child=serializers.CharField())}),
    "lists": inline_serializer("AssessmentEngineLists", fields={
        "commendation": serializers.ListField(child=serializers.CharField()),
        "warning": serializers.ListField(child=serializers.CharField()),
        "recommendation_letter": serializers.ListField(child=serializers.CharField())}),
})

ENGINE_ERROR = inline_serializer("AssessmentEngineError", fields={
    "detail": serializers.CharField(), "message_zh": serializers.CharField(), "message_en": serializers.CharField(),
    "unit": serializers.CharField(allow_null=True), "indicator": serializers.CharField(allow_null=True),
    "path": serializers.CharField(allow_null=True)})

EXAMPLE = {
    "settings": {"grades": {"优秀": 90, "良好": 80, "合格": 60}, "bonus_cap": 5, "deduction_cap": 10,
                 "excellent_quota": None, "ranked_categories": [1, 4, 7], "warning_rank_drop": 5},
    "indicators": [{"code": "A1", "points": 60, "categories": [1]}, {"code": "A2", "points": 40, "categories": [1]}],
    "units": [{"code": "410100", "category": 1, "add": [], "remove": []}],
    "scores": [{"unit": "410100", "indicator": "A1", "score": 57}, {"unit": "410100", "indicator": "A2", "score": 35}],
    "adjustments": [{"unit": "410100", "kind": "bonus", "points": 2, "reason": "国家级示范", "serious": False,
                     "exceed_cap": False}],
    "previous": [],
}


def _input_error(zh: str, en: str) -> Response:
    """A 400 of the documented shape (AssessmentEngineError) for a body the engine never saw."""
    return Response({"detail": f"{zh} / {en}", "message_zh": zh, "message_en": en, "unit": None, "indicator": None,
                     "path": None}, status=status.HTTP_400_BAD_REQUEST)


class ComputeView(APIView):
    """Compute a campaign's results with the scoring engine (no database access)."""

    parser_classes = [DecimalJSONParser]

    def handle_exception(self, exc):
        if isinstance(exc, ParseError):  # not JSON at all: the same shape as every other refused input
            return _input_error("请求体不是有效的 JSON", f"the body is not valid JSON: {exc.detail}")
        return super().handle_exception(exc)

    @extend_schema(
        operation_id="assessment_compute", request=ENGINE_INPUT, responses={200: ENGINE_OUTPUT, 400: ENGINE_ERROR},
        summary="计算考核结果（计分引擎）", description=(
            "Engine JSON in, engine JSON out — the same computation as `fazhi assess compute FILE.json`. "
            "Numbers may be JSON numbers or strings; output decimals are strings with 2 places. Only offices "
            "may call it. An invalid input answers 400 with the engine's message (Chinese and English) and the "
            "unit, indicator and JSON path concerned."),
        examples=[OpenApiExample("1 unit, 2 indicators", value=EXAMPLE, request_only=True)],
    )
    def post(self, request):
        if not org_policies.has_role(request.user, Role.OFFICE):
            raise PermissionDenied("只有考核办可以使用计分接口 / offices only")
        if not isinstance(request.data, dict):
            return _input_error("请求体须为 JSON 对象", "the body must be a JSON object")
        try:
            output = services.run_engine(request.data)
        except ScoringError as exc:
            return Response({"detail": str(exc), **exc.as_dict()}, status=status.HTTP_400_BAD_REQUEST)
        return Response(output)


class CampaignSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Campaign
        fields = ["id", "owner", "year", "name", "status", "frozen", "excellent_min", "good_min", "pass_min",
                  "bonus_cap", "deduction_cap", "excellent_quota", "ranked_categories", "warning_rank_drop",
                  "computed_at"]


class ResultSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Result
        fields = ["unit", "unit_name", "category", "applicable_points", "earned", "base", "bonus", "deduction",
                  "daily_work", "field_work", "survey", "adjustment", "total", "grade", "rank", "serious", "notes", "commendation", "warning", "recommendation_letter",
                  "computed_at"]


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    """年度考核 — campaigns the caller runs (office: its level and below) or scores in (assessing unit)."""

    serializer_class = CampaignSerializer
    filterset_fields = ["year", "status"]
    lookup_value_regex = "[0-9]{1,18}"  # "/campaigns/abc/results/" is not a URL (404), not a ValueError (500)

    def get_queryset(self):
        user = self.request.user
        scope = Q(pk__in=policies.managed_campaigns(user).values("pk")) | Q(
            pk__in=policies.scoring_campaigns(user).values("pk"))
        return Campaign.objects.filter(scope).select_related("owner").order_by("-year", "pk")

    @extend_schema(responses=ResultSerializer(many=True), summary="考核结果（按公布范围：考核办和审定人全部，考核对象本单位，公众只看公布的）",
                   description=(
                       "What the caller may see of the campaign's results (``fazhi.assessment.disclosure``): the "
                       "office of its level or above and its approver every figure; an assessed unit, once the "
                       "results are released (公布 or 通报), its own row in full and, of a published campaign, the "
                       "others as the public sees them; anyone else the public view of a published campaign "
                       "(grade; total and rank only for ranked categories and only if the office publishes "
                       "scores). A hidden figure is null. A campaign the caller may see nothing of answers 404."))
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        from . import disclosure

        user = request.user
        campaign = get_object_or_404(Campaign.objects.select_related("owner"), pk=pk)
        scoped = disclosure.in_scope(user, campaign)
        rows = Result.objects.filter(campaign=campaign).select_related("unit", "campaign").order_by("category", "-total")
        if not scoped:
            own = disclosure.own_unit_id(user) if disclosure.is_released(campaign) else None
            if not disclosure.is_public(campaign):
                rows = rows.filter(unit_id=own) if own else rows.none()
            if not rows.exists():
                raise Http404
        raw = request.query_params.get("category", "").strip()
        if raw:
            category = parse_int(raw, minimum=1, maximum=7)
            if category is None:
                return Response({"detail": f"category 须为 1–7 的整数 / category must be an integer 1–7, got {raw!r}"},
                                status=status.HTTP_400_BAD_REQUEST)
            rows = rows.filter(category=category)
        if not scoped:  # never sorted by a total the caller may not see
            rows = disclosure.public_order(rows)
        page = self.paginate_queryset(rows)
        data = []
        for result, row in zip(page, ResultSerializer(page, many=True).data, strict=True):
            data.append(_disclosed(row, disclosure.visible(user, result, scoped=scoped)))
        return self.get_paginated_response(data)


#: the serializer's fields each part of ``disclosure.Visible`` lets through (the unit and category always)
_DETAIL_FIELDS = ("applicable_points", "earned", "base", "bonus", "deduction", "daily_work", "field_work", "survey",
                  "adjustment", "serious", "commendation", "warning", "recommendation_letter", "computed_at")


def _disclosed(row: dict, seen) -> dict:
    """The row with every figure the caller may not see set to null."""
    out = dict(row)
    hidden = set()
    if not seen.grade:
        hidden.add("grade")
    if not seen.total:
        hidden.add("total")
    if not seen.rank:
        hidden.add("rank")
    if not seen.indicators:
        hidden.update(_DETAIL_FIELDS)
    if not seen.reasons:
        hidden.add("notes")
    for key in hidden:
        out[key] = None
    return out


router = DefaultRouter()
router.register("campaigns", CampaignViewSet, basename="assessment-campaign")
urlpatterns = [
    path("compute/", ComputeView.as_view(), name="assessment-compute"),
    path("", include(router.urls)),
]
