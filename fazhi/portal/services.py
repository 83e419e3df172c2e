"""Writes of the public portal: public opinions (社情民意) and their moderation.

Rules: anyone may send an opinion (no login); at most ``RATE_LIMIT`` per ``RATE_WINDOW`` seconds from one
source (a salted hash of the IP address: the address itself is never stored); the office moderates opinions
about units of its subtree; approved opinions are shown on the portal and counted per unit for the
satisfaction score (DOMAIN.md §5.1 method 6: 社情民意 combined with the service ratings).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import record_event
from fazhi.orgs import policies
from fazhi.orgs.models import Role, Unit

from . import policies as portal_policies
from .models import OpinionStatus, PublicOpinion

RATE_LIMIT = 5
RATE_WINDOW = 3600


class RateLimited(Exception):
    """Too many opinions from one source."""


def ip_hash(ip: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:opinion:{ip}".encode()).hexdigest()


def _hit(key: str) -> int:
    cache_key = f"portal:opinion-rate:{key}"
    if cache.add(cache_key, 1, RATE_WINDOW):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, RATE_WINDOW)
        return 1


def rate_limited(source: str) -> bool:
    """True when ``source`` (an ip hash) already sent ``RATE_LIMIT`` opinions in the window (a hint for the page;
    the limit itself is ``take_slot``)."""
    return (cache.get(f"portal:opinion-rate:{source}") or 0) >= RATE_LIMIT


def take_slot(source: str) -> bool:
    """Count one opinion for ``source`` and say whether it is within the limit. One atomic increment in the
    shared cache (Redis in production): concurrent posts cannot all pass a check made before any of them counts."""
    return _hit(source) <= RATE_LIMIT


@transaction.atomic
def opinion_submit(*, text: str, contact: str = "", about_unit: Unit | None = None, ip: str) -> PublicOpinion:
    """``ip``: the client's address as ``fazhi.accounts.network`` settled it (behind our proxies, the forwarded
    one)."""
    source = ip_hash(ip)
    opinion = PublicOpinion(text=text.strip(), contact=contact.strip(), about_unit=about_unit, ip_hash=source)
    opinion.full_clean()
    if not take_slot(source):
        raise RateLimited
    opinion.save()
    # the public send anonymously: the actor is "公众"; the text stays in the opinion, not copied into the chain
    record_event(actor="公众", action="portal.opinion_submit", target=opinion, before=None,
                 after={"status": opinion.status}, unit=about_unit)
    return opinion


opinions_for = portal_policies.opinions_for  # moved to policies; the name stays for existing callers


@transaction.atomic
def opinion_moderate(*, user, opinion: PublicOpinion, status: str, note: str = "") -> PublicOpinion:
    if not policies.has_role(user, Role.OFFICE) or not opinions_for(user).filter(pk=opinion.pk).exists():
        raise PermissionDenied
    if status not in (OpinionStatus.APPROVED, OpinionStatus.REJECTED):
        raise ValidationError({"status": "未知操作"})
    before = opinion.status
    opinion.status = status
    opinion.moderation_note = note[:500]
    opinion.moderated_by = user
    opinion.moderated_at = timezone.now()
    opinion.full_clean()
    opinion.save(update_fields=["status", "moderation_note", "moderated_by", "moderated_at"])
    record_event(actor=user, action="portal.opinion_moderate", target=opinion, before={"status": before},
                 after={"status": status, "moderation_note": opinion.moderation_note or None},
                 unit=opinion.about_unit or policies.jurisdiction(user))
    return opinion
