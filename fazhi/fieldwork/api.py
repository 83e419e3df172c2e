"""REST endpoints (read-only) of 实地考核, scoped by ``policies`` exactly as the pages are: the office its visits,
a field team its own, the assessed unit its own visit only once completed (the sample is fixed before the visit
and shown to the unit after it).

- ``GET /api/fieldwork/visits/`` and ``/{id}/``.
- ``GET /api/fieldwork/visits/{id}/sample/`` — the published draw and the units drawn.
- ``GET /api/fieldwork/visits/{id}/theory/`` — the 法治理论测试: per-unit averages and the rule's calculation.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import include, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from fazhi.assessment import steps
from fazhi.draws.api import PublishedDrawSerializer, sample_data

from . import policies, services
from .models import FieldVisit


class FieldVisitSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    team_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = FieldVisit
        fields = ["id", "campaign", "indicator", "unit", "team_unit", "start_date", "end_date", "departments_k",
                  "governments_k", "required_count", "min_rate", "status"]


class FieldSampledUnitSerializer(serializers.Serializer):
    stratum = serializers.CharField(help_text="department or government")
    rank = serializers.IntegerField()
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")


class FieldVisitSampleSerializer(PublishedDrawSerializer):
    units = FieldSampledUnitSerializer(many=True)


class FieldTheoryUnitSerializer(serializers.Serializer):
    unit_name = serializers.CharField()
    count = serializers.IntegerField()
    average = serializers.DecimalField(max_digits=5, decimal_places=2)


class FieldTheorySerializer(serializers.Serializer):
    """法治理论测试 — who sat it, per unit, and the indicator value by the documented rule."""

    required_count = serializers.IntegerField()
    sat = serializers.IntegerField()
    by_unit = FieldTheoryUnitSerializer(many=True)
    value = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    steps = steps.StepSerializer(many=True)


class VisitViewSet(viewsets.ReadOnlyModelViewSet):
    """实地考核 — the office's visits, a field team's own, an assessed unit's completed ones."""

    serializer_class = FieldVisitSerializer
    filterset_fields = ["campaign", "status"]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        return policies.visits_for(self.request.user).select_related("indicator", "unit", "team_unit").order_by(
            "-start_date", "-pk")

    @extend_schema(responses=FieldVisitSampleSerializer, summary="抽样记录与被抽中单位")
    @action(detail=True)
    def sample(self, request, pk=None):
        visit = self.get_object()
        record = getattr(visit, "sample", None)
        if record is None:
            raise Http404
        data = dict(sample_data(record))
        data["units"] = FieldSampledUnitSerializer(visit.sampled.select_related("unit"), many=True).data
        return Response(data)

    @extend_schema(responses=FieldTheorySerializer, summary="法治理论测试成绩汇总与计算")
    @action(detail=True)
    def theory(self, request, pk=None):
        visit = self.get_object()
        by_unit = [{"unit_name": row["unit__name"], "count": row["n"], "average": row["average"]}
                   for row in services.theory_by_unit(visit)]
        outcome = services.theory_outcome(visit) if by_unit else None
        return Response(FieldTheorySerializer({
            "required_count": visit.required_count, "sat": sum(row["count"] for row in by_unit), "by_unit": by_unit,
            "value": outcome.value if outcome else None,
            "steps": steps.steps_data(outcome.steps) if outcome else []}).data)


router = DefaultRouter()
router.register("visits", VisitViewSet, basename="fieldwork-visit")
urlpatterns = [path("", include(router.urls))]
