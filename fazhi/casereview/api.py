"""REST endpoints (read-only) of 集中评查, scoped by ``policies`` exactly as the pages are:

- ``GET /api/casereview/reviews/`` — the office's reviews; an assessed unit's reviews (those it registers for).
- ``GET /api/casereview/reviews/{id}/sample/`` — the published draw; a unit gets its own stratum only.
- ``GET /api/casereview/reviews/{id}/files/`` — the office: every file with its expert and score; a unit: its own
  files (drawn or not), without scores.
- ``GET /api/casereview/reviews/{id}/outcomes/`` — the office: each unit's indicator value and its calculation.
- ``GET /api/casereview/assignments/`` — an expert: the files assigned to them, never another expert's.
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
from .models import Assignment, CaseFile, CaseReview


class CaseReviewSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = CaseReview
        fields = ["id", "campaign", "indicator", "title", "case_types", "files_per_unit", "rule", "pass_mark",
                  "status"]


class CaseFileSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = CaseFile
        fields = ["id", "unit", "number", "case_type", "title", "closed_on", "drawn", "draw_rank"]


class CaseFileOfficeSerializer(CaseFileSerializer):
    expert = serializers.CharField(source="assignment.expert.user.username", default=None, read_only=True)
    score = serializers.DecimalField(source="assignment.score", max_digits=5, decimal_places=2, default=None,
                                     read_only=True)

    class Meta(CaseFileSerializer.Meta):
        fields = [*CaseFileSerializer.Meta.fields, "expert", "score"]


class CaseDeductionSerializer(serializers.Serializer):
    item = serializers.CharField(source="item.text")
    points = serializers.DecimalField(max_digits=5, decimal_places=2)
    reason = serializers.CharField()


class CaseAssignmentSerializer(serializers.ModelSerializer):
    review = serializers.IntegerField(source="file.review_id", read_only=True)
    review_title = serializers.CharField(source="file.review.title", read_only=True)
    file = CaseFileSerializer(read_only=True)
    deductions = CaseDeductionSerializer(many=True, read_only=True)

    class Meta:
        model = Assignment
        fields = ["id", "review", "review_title", "file", "assigned_at", "score", "comment", "submitted_at",
                  "deductions"]


class CaseReviewOutcomeSerializer(serializers.Serializer):
    """One unit's indicator value by the review's rule, with the calculation."""

    unit = serializers.CharField()
    unit_name = serializers.CharField()
    drawn = serializers.IntegerField()
    scored = serializers.IntegerField()
    pending = serializers.IntegerField()
    value = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    steps = steps.StepSerializer(many=True)


class ReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """集中评查 — the office's reviews, or the reviews an assessed unit registers its files for."""

    serializer_class = CaseReviewSerializer
    filterset_fields = ["campaign", "status"]
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        return policies.reviews_for(self.request.user).select_related("indicator").order_by("-pk")

    def _is_office(self, review) -> bool:
        return policies.reviews_for(self.request.user, "manage").filter(pk=review.pk).exists()

    @extend_schema(responses=PublishedDrawSerializer, summary="抽样记录（单位只见本单位部分）")
    @action(detail=True)
    def sample(self, request, pk=None):
        review = self.get_object()
        record = getattr(review, "sample", None)
        if record is None:
            raise Http404
        strata = None if self._is_office(review) else {request.user.unit.code}
        return Response(sample_data(record, strata=strata))

    @extend_schema(responses=CaseFileOfficeSerializer(many=True), summary="案卷（考核办：全部及得分；单位：本单位）")
    @action(detail=True)
    def files(self, request, pk=None):
        review = self.get_object()
        files = policies.files_for(request.user, review).select_related("assignment__expert__user").order_by(
            "unit__sort_order", "unit_id", "number")
        serializer = CaseFileOfficeSerializer if self._is_office(review) else CaseFileSerializer
        page = self.paginate_queryset(files)
        return self.get_paginated_response(serializer(page, many=True).data)

    @extend_schema(responses=CaseReviewOutcomeSerializer(many=True), summary="指标得分计算（仅组织评查的考核办）")
    @action(detail=True)
    def outcomes(self, request, pk=None):
        review = self.get_object()
        if not self._is_office(review):
            raise Http404
        page = self.paginate_queryset(services.unit_outcomes(review))
        return self.get_paginated_response(CaseReviewOutcomeSerializer([
            {"unit": o["unit"].code, "unit_name": o["unit"].name, "drawn": o["drawn"], "scored": o["scored"],
             "pending": o["pending"], "value": o["value"], "steps": steps.steps_data(o["steps"])}
            for o in page], many=True).data)


class AssignmentViewSet(viewsets.ReadOnlyModelViewSet):
    """评查案卷 — an expert's assigned files with their checklist scores (an expert sees only their own)."""

    serializer_class = CaseAssignmentSerializer
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        return (policies.assignments_for(self.request.user).prefetch_related("deductions__item")
                .order_by("file__review_id", "file__draw_rank", "pk"))


router = DefaultRouter()
router.register("reviews", ReviewViewSet, basename="casereview-review")
router.register("assignments", AssignmentViewSet, basename="casereview-assignment")
urlpatterns = [path("", include(router.urls))]
