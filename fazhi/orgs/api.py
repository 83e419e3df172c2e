"""REST endpoints for units, scoped by ``policies.visible_units``."""

from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.routers import DefaultRouter

from . import policies
from .models import Unit


class UnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Unit
        fields = ["code", "name", "short_name", "level", "kind", "category", "parent", "region", "is_demo"]


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """单位 — the units the caller may see (an office: its subtree; others: their own unit)."""

    serializer_class = UnitSerializer
    lookup_field = "code"
    filterset_fields = ["level", "kind", "category"]

    def get_queryset(self):
        return policies.visible_units(self.request.user).select_related("parent")


router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
urlpatterns = [path("", include(router.urls))]
