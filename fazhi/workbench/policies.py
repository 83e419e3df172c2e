"""What the workbench shows whom (the vocabulary of every app: ``activity_for``, ``get_activity_or_404``). Fails
closed: anyone unknown gets nothing.

- recent activity, ``view``: for an office (or a platform administrator) the audit events of its scope (as the
  audit page shows them); for anyone else signed in, the person's own acts; nothing for the public.
"""

from __future__ import annotations

from django.http import Http404

from fazhi.audit.models import AuditEvent
from fazhi.audit.policies import events_for
from fazhi.orgs import policies
from fazhi.orgs.models import Role


def activity_for(user, action: str = "view"):
    if action != "view":
        raise ValueError(f"unknown action {action!r}")
    if not user.is_authenticated or (user.role == Role.PUBLIC and not user.is_superuser):
        return AuditEvent.objects.none()
    if policies.is_platform_admin(user) or policies.has_role(user, Role.OFFICE):
        return events_for(user)
    return AuditEvent.objects.filter(actor_id=user.pk)


def get_activity_or_404(user, pk: int, action: str = "view") -> AuditEvent:
    event = activity_for(user, action).filter(pk=pk).first()
    if event is None:
        raise Http404
    return event
