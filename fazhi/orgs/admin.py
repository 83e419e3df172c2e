"""Admin pages; a staff member who is an office sees only its own subtree."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import policies
from .models import LoginRecord, Unit, User


class ScopedAdmin(admin.ModelAdmin):
    unit_field = "pk"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        allowed = policies.managed_units(request.user).values("pk")
        return queryset.filter(**{f"{self.unit_field}__in": allowed})


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ["name", "code", "level", "kind", "category", "parent", "is_demo"]
    list_filter = ["level", "kind", "category", "is_demo"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]
    readonly_fields = ["path"]


@admin.register(User)
class UserAdmin(BaseUserAdmin, ScopedAdmin):
    unit_field = "unit"
    list_display = ["username", "display_name", "unit", "role", "is_active"]
    list_filter = ["role", "is_active"]
    raw_id_fields = ["unit"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("单位与角色"), {"fields": ("unit", "role", "display_name", "phone")}))


@admin.register(LoginRecord)
class LoginRecordAdmin(admin.ModelAdmin):
    list_display = ["created_at", "username", "succeeded", "ip_address"]
    list_filter = ["succeeded"]
    search_fields = ["username"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
