"""The Django admin's user pages, with the password rules of 等保 身份鉴别: a password an admin sets (a new
account, or "change password" on someone else) is an initial password — the person must change it at the next
sign-in. The admin pages themselves stay those of ``fazhi.orgs.admin``."""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from fazhi.orgs.admin import UserAdmin as OrgsUserAdmin
from fazhi.orgs.models import User

from . import services
from .models import ApiToken


class UserAdmin(OrgsUserAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and obj.has_usable_password():
            services.password_set_by_admin(user=request.user, person=obj, created=True)

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                person = self.get_object(request, id)
                if person is not None:
                    services.password_set_by_admin(user=request.user, person=person)
        return response


admin.site.unregister(User)
admin.site.register(User, UserAdmin)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be seen and revoked here by a superuser; never made or read (only the digest is stored)."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "name", "prefix"]
    readonly_fields = ["user", "name", "prefix", "digest", "created_at", "expires_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_module_permission(self, request) -> bool:
        return request.user.is_superuser
