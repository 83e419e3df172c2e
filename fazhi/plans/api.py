"""REST endpoints (read-only) for plans and tasks, scoped by ``fazhi.plans.policies``."""

from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from . import policies, selectors
from .models import Plan, Task


class PlanSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "title", "year", "kind", "status", "owner", "created_at"]


class TaskSerializer(serializers.ModelSerializer):
    lead_unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    cooperating_units = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Task
        fields = ["id", "plan", "parent", "level", "label", "ordinal", "title", "deadline", "deadline_rule",
                  "lead_unit", "cooperating_units", "status", "sort"]


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """计划 — the plans of the caller's jurisdiction (offices only)."""

    serializer_class = PlanSerializer
    filterset_fields = ["year", "kind", "status"]

    def get_queryset(self):
        return policies.manageable_plans(self.request.user).select_related("owner")

    @action(detail=True)
    def dashboard(self, request, pk=None):
        """督导看板数据 — completion by unit, chapter and node; overdue; timeline; map."""
        return Response(selectors.dashboard(self.get_object()))


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    """任务 — an office: its plans' tasks; a unit: the tasks assigned to it."""

    serializer_class = TaskSerializer
    filterset_fields = ["plan", "status", "level"]

    def get_queryset(self):
        return (policies.visible_tasks(self.request.user).select_related("lead_unit")
                .prefetch_related("cooperating_units").order_by("plan", "sort"))


router = DefaultRouter()
router.register("plans", PlanViewSet, basename="plan")
router.register("tasks", TaskViewSet, basename="task")
urlpatterns = [path("", include(router.urls))]
