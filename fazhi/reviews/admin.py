from django.contrib import admin

from .models import CalendarOverride, CalendarYear, Feedback, LetterTemplate, Rectification, ReviewRequest


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Platform admins may correct any jurisdiction's calendar; offices use /reviews/calendar/ (audited)."""

    list_display = ("date", "is_working_day", "note", "owner")
    list_filter = ("is_working_day", "owner")
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "owner", "note")


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Read-only: feedback changes go through the services (deadlines, audit)."""

    list_display = ("campaign", "unit", "indicator", "status", "deadline")
    list_filter = ("status",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


admin.site.register([ReviewRequest, Rectification, LetterTemplate])
