"""REST endpoints (read-only) of 满意度测评, scoped by ``policies`` exactly as the pages are: the office its
rounds with every input; a survey institute the rounds it was named for and only its own imports; nobody else.

- ``GET /api/surveys/rounds/`` and ``/{id}/``.
- ``GET /api/surveys/rounds/{id}/results/`` — per unit: the inputs beside the value and its calculation.
- ``GET /api/surveys/rounds/{id}/batches/`` — the import batches (an institute: its own unit's only).
"""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.routers import DefaultRouter

from fazhi.assessment import steps

from . import policies, services
from .models import ImportBatch, SurveyRound


class SurveyRoundSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    institute = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = SurveyRound
        fields = ["id", "campaign", "indicator", "institute", "title", "w_survey", "w_mystery", "w_rating",
                  "w_opinion", "opinion_penalty"]


class SurveyResultRowSerializer(serializers.Serializer):
    sample_size = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=5, decimal_places=2)
    margin = serializers.DecimalField(max_digits=5, decimal_places=2)
    mode = serializers.CharField(help_text="phone, online or onsite")


class SurveyUnitResultSerializer(serializers.Serializer):
    """One unit's satisfaction inputs and the resulting indicator value (null: no data, a gap)."""

    unit = serializers.CharField()
    unit_name = serializers.CharField()
    surveys = SurveyResultRowSerializer(many=True)
    mystery_visits = serializers.IntegerField()
    good = serializers.IntegerField()
    ratings = serializers.IntegerField()
    opinions = serializers.IntegerField(allow_null=True, help_text="accepted 社情民意; null: not collected")
    value = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    steps = steps.StepSerializer(many=True)


class SurveyBatchSerializer(serializers.ModelSerializer):
    imported_by_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ImportBatch
        fields = ["id", "kind", "filename", "rows", "imported_by_unit", "imported_at"]


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """满意度测评 — the office's rounds, or the rounds a survey institute was named for."""

    serializer_class = SurveyRoundSerializer
    filterset_fields = ["campaign"]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        return policies.rounds_for(self.request.user).select_related("indicator", "institute").order_by("-pk")

    @extend_schema(responses=SurveyUnitResultSerializer(many=True), summary="各单位满意度输入与指标得分计算")
    @action(detail=True)
    def results(self, request, pk=None):
        rows = self.paginate_queryset(services.unit_inputs(self.get_object()))
        return self.get_paginated_response(SurveyUnitResultSerializer([{
            "unit": row["unit"].code, "unit_name": row["unit"].name,
            "surveys": [{"sample_size": n, "score": score, "margin": margin, "mode": mode}
                        for n, score, margin, mode in row["surveys"]],
            "mystery_visits": row["visits"], "good": row["good"], "ratings": row["total"], "opinions": row["opinions"],
            "value": row["value"], "steps": steps.steps_data(row["steps"]) if row["has_data"] else []}
            for row in rows], many=True).data)

    @extend_schema(responses=SurveyBatchSerializer(many=True), summary="导入批次（调查机构只见本机构的）")
    @action(detail=True)
    def batches(self, request, pk=None):
        batches = policies.batches_for(request.user, self.get_object()).order_by("-imported_at", "-pk")
        page = self.paginate_queryset(batches)
        return self.get_paginated_response(SurveyBatchSerializer(page, many=True).data)


router = DefaultRouter()
router.register("rounds", RoundViewSet, basename="surveys-round")
urlpatterns = [path("", include(router.urls))]
