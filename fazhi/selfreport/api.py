"""REST endpoints (read-only) of 自评填报, scoped by ``policies.reports_for`` as the pages are: the office the
reports of its campaigns; an assessed unit only its own (once the material list is published); a scorer the
submitted or returned reports on the cells it scores — never a unit's unfinished draft.

- ``GET /api/selfreport/reports/`` (filters: campaign, status, indicator code, unit code) and ``/{id}/`` (with the
  material still missing).
"""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from . import policies, services
from .models import SelfReport


class SelfReportSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    deadline = serializers.DateField(source="requirement.deadline", read_only=True, allow_null=True)

    class Meta:
        model = SelfReport
        fields = ["id", "campaign", "indicator", "unit", "status", "deadline", "submitted_at", "returned_at",
                  "return_count", "updated_at"]


class SelfReportDetailSerializer(SelfReportSerializer):
    missing = serializers.SerializerMethodField(help_text="required material with no file yet")

    class Meta(SelfReportSerializer.Meta):
        fields = [*SelfReportSerializer.Meta.fields, "account", "return_reason", "missing"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_missing(self, report) -> list[str]:
        return [item.title for item in services.missing_items(report)]


class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    """自评填报 — status by unit and indicator, within the caller's scope."""

    filterset_fields = {"campaign": ["exact"], "status": ["exact"], "indicator__code": ["exact"],
                        "unit__code": ["exact"]}
    lookup_value_regex = "[0-9]{1,18}"

    def get_serializer_class(self):
        return SelfReportDetailSerializer if self.action == "retrieve" else SelfReportSerializer

    def get_queryset(self):
        return (policies.reports_for(self.request.user).select_related("indicator", "unit", "requirement")
                .order_by("campaign_id", "indicator__sort", "indicator__code", "unit__path"))


router = DefaultRouter()
router.register("reports", ReportViewSet, basename="selfreport-report")
urlpatterns = [path("", include(router.urls))]
