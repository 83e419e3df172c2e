"""Reads of the audit log, scoped by ``fazhi.orgs.policies`` (fail closed)."""

from __future__ import annotations

from fazhi.orgs import policies

from .models import AuditEvent


def events_visible_to(user):
    """Platform admins: everything. An office: events scoped to a unit of its subtree. Anyone else: none."""
    if policies.is_platform_admin(user):
        return AuditEvent.objects.all()
    if policies.jurisdiction(user) is None:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(unit__in=policies.managed_units(user))


def event_list(*, user, target_type: str = "", target_id: str = "", action: str = "", unit_code: str = ""):
    events = events_visible_to(user).select_related("unit")
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    if action:
        events = events.filter(action=action)
    if unit_code:
        events = events.filter(unit__code=unit_code)
    return events.order_by("-id")
