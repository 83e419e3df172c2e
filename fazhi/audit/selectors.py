"""Reads of the audit log, scoped by ``fazhi.orgs.policies`` (fail closed), filtered and paged in SQL."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from . import describe
from . import policies as audit_policies

events_visible_to = audit_policies.events_for  # the scope lives in policies


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))  # Asia/Shanghai midnight


def event_list(*, user, target_type: str = "", target_id: str = "", action: str = "", unit_code: str = "",
               actor: str = "", kind: str = "", date_from: dt.date | None = None, date_to: dt.date | None = None):
    """Newest first. ``unit_code``: a unit's code, or part of its name; ``actor``: part of the person's name or
    unit; ``kind``: a key of ``describe.KINDS``; dates inclusive, in Asia/Shanghai."""
    events = audit_policies.events_for(user)
    if target_type:
        events = events.filter(target_type=target_type)
    if target_id:
        events = events.filter(target_id=target_id)
    if action:
        events = events.filter(action=action)
    if unit_code:
        events = events.filter(Q(unit__code=unit_code) | Q(unit_name__contains=unit_code))
    if actor:
        events = events.filter(Q(actor_name__contains=actor) | Q(actor_unit__contains=actor))
    if kind:
        prefixes = Q()
        for prefix in describe.kind_prefixes(kind):
            prefixes |= Q(action__startswith=prefix)
        events = events.filter(prefixes) if prefixes else events.none()
    if date_from:
        events = events.filter(created_at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(created_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    return events.order_by("-id")
