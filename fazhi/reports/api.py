"""REST endpoints for annual reports.

- ``/api/reports/reports/``: reports the caller may see (an office: its subtree's; an assessed unit: its own),
  with the check result and figures;
- ``/api/reports/public/``: published reports, no login; ``?q=`` searches them (same index as the portal).
"""

from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from fazhi.portal import search

from . import selectors
from .models import AnnualReport, ReportFigure


class FigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportFigure
        fields = ["key", "label", "value", "unit", "numerator", "denominator", "sentence", "offset", "low_confidence"]


class ReportSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    figures = FigureSerializer(many=True, read_only=True)

    class Meta:
        model = AnnualReport
        fields = ["id", "unit", "unit_name", "year", "title", "published_on", "publication_url", "status",
                  "check_result", "figures"]


class PublicReportSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    figures = FigureSerializer(many=True, read_only=True)

    class Meta:
        model = AnnualReport
        fields = ["id", "unit", "unit_name", "year", "title", "published_on", "publication_url", "figures"]


class ReportViewSet(viewsets.ReadOnlyModelViewSet):
    """年度报告 — reports in the caller's scope."""

    serializer_class = ReportSerializer
    filterset_fields = ["year", "status"]

    def get_queryset(self):
        return selectors.reports_for(self.request.user).select_related("unit").prefetch_related("figures")


class PublicReportViewSet(viewsets.ReadOnlyModelViewSet):
    """公开的年度报告 — published reports for anyone; ``?q=`` full-text search (jieba words + bigrams)."""

    serializer_class = PublicReportSerializer
    permission_classes = [AllowAny]
    authentication_classes: list = []
    filterset_fields = ["year"]

    def get_queryset(self):
        published = AnnualReport.objects.published().select_related("unit").prefetch_related("figures")
        query = self.request.query_params.get("q", "").strip()[:100]
        if query and self.action == "list":
            ids = [report.pk for report in search.search_reports(query)]
            return published.filter(pk__in=ids)
        return published.order_by("-year", "unit__path")


router = DefaultRouter()
router.register("reports", ReportViewSet, basename="report")
router.register("public", PublicReportViewSet, basename="public-report")
urlpatterns = [path("", include(router.urls))]
