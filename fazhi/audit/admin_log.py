"""Admin actions into the chain (管理操作审计): every add, change and delete made in Django's admin.

The admin writes a ``LogEntry`` in the same transaction as the change; its ``post_save`` appends the audit row
(``admin.add`` / ``admin.change`` / ``admin.delete``). A delete of several objects at once writes its log entries
with ``bulk_create`` (no signal), so the site-wide "delete selected" action is replaced by one that records each
deleted object after Django's own action has deleted them.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.actions import delete_selected
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db.models.signals import post_save

from .services import record_event

ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}


def _detail(entry: LogEntry) -> dict:
    model = entry.content_type.model_class() if entry.content_type_id else None
    return {
        "model": str(model._meta.verbose_name) if model else "",
        "object": entry.object_repr,
        "change": entry.get_change_message()[:500],
    }


def _on_log_entry(sender, instance: LogEntry, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw:
        return
    target = None
    if instance.action_flag != DELETION:
        try:
            target = instance.get_edited_object()
        except Exception:  # a log entry of an object that is gone: record it without the target
            target = None
    record_event(actor=instance.user, action=ACTIONS.get(instance.action_flag, "admin.change"), target=target,
                 before=None, after=_detail(instance))


def audited_delete_selected(modeladmin, request, queryset):
    objects = [(str(obj)[:200], obj.pk) for obj in queryset] if request.POST.get("post") else []
    response = delete_selected(modeladmin, request, queryset)
    if objects and len(objects) > 1 and response is None:  # one object: its LogEntry was saved (signal above)
        name = str(modeladmin.model._meta.verbose_name)
        for label, pk in objects:
            record_event(actor=request.user, action="admin.delete", target=None, before={"id": pk},
                         after={"model": name, "object": label, "change": ""})
    return response


audited_delete_selected.allowed_permissions = delete_selected.allowed_permissions
audited_delete_selected.short_description = delete_selected.short_description


def connect() -> None:
    post_save.connect(_on_log_entry, sender=LogEntry, dispatch_uid="fazhi-audit-admin-log")
    admin.site.add_action(audited_delete_selected, "delete_selected")
