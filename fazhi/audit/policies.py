"""Who may read which audit events (data scope). Fails closed.

Vocabulary of every app: ``events_for(user, action)``, ``get_event_or_404(user, pk, action)``.
``view``: a platform admin everything; an office the events scoped to a unit of its subtree; anyone else none.
"""

from __future__ import annotations

from django.http import Http404

from fazhi.orgs import policies

from .models import AuditEvent


def events_for(user, action: str = "view"):
    if action != "view":
        raise ValueError(f"unknown action {action!r}")
    if policies.is_platform_admin(user):
        return AuditEvent.objects.all()
    if policies.jurisdiction(user) is None:
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(unit__in=policies.managed_units(user))


def get_event_or_404(user, pk: int, action: str = "view") -> AuditEvent:
    event = events_for(user, action).filter(pk=pk).first()
    if event is None:
        raise Http404
    return event
