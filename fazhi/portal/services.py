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
from django.utils.translation import gettext_noop

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


def _require_handler(user, opinion: PublicOpinion) -> None:
    if not policies.has_role(user, Role.OFFICE) or not opinions_for(user).filter(pk=opinion.pk).exists():
        raise PermissionDenied


@transaction.atomic
def opinion_moderate(*, user, opinion: PublicOpinion, status: str, note: str = "") -> PublicOpinion:
    """采纳 / 不予采纳 — whether the office adopts the opinion (for satisfaction scoring); publishing it on the
    portal is a separate decision (``opinion_set_public``)."""
    _require_handler(user, opinion)
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


@transaction.atomic
def opinion_set_public(*, user, opinion: PublicOpinion, public: bool) -> PublicOpinion:
    """公开 / 不公开 on the portal — apart from adopting (an opinion may be published and not adopted)."""
    _require_handler(user, opinion)
    before = opinion.is_public
    opinion.is_public = public
    opinion.save(update_fields=["is_public"])
    record_event(actor=user, action="portal.opinion_set_public", target=opinion, before={"is_public": before},
                 after={"is_public": public}, unit=opinion.about_unit or policies.jurisdiction(user))
    return opinion


@transaction.atomic
def opinion_forward(*, user, opinion: PublicOpinion, unit: Unit) -> PublicOpinion:
    """转办 — hand the opinion to a unit of the office's scope to act on it."""
    _require_handler(user, opinion)
    if not policies.can_manage(user, unit):
        raise PermissionDenied
    before = opinion.assigned_unit.name if opinion.assigned_unit_id else None
    opinion.assigned_unit = unit
    opinion.assigned_at = timezone.now()
    opinion.save(update_fields=["assigned_unit", "assigned_at"])
    record_event(actor=user, action="portal.opinion_forward", target=opinion, before={"unit": before},
                 after={"unit": unit.name}, unit=opinion.about_unit or policies.jurisdiction(user))
    return opinion


@transaction.atomic
def opinion_reply(*, user, opinion: PublicOpinion, text: str) -> PublicOpinion:
    """答复 — the answer the submitter reads with the reference number (replacing an earlier one)."""
    _require_handler(user, opinion)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"reply": gettext_noop("请填写答复内容")})
    if len(text) > PublicOpinion.MAX_TEXT:
        raise ValidationError({"reply": gettext_noop("答复过长")})
    before = opinion.reply or None
    opinion.reply, opinion.replied_by, opinion.replied_at = text, user, timezone.now()
    opinion.save(update_fields=["reply", "replied_by", "replied_at"])
    record_event(actor=user, action="portal.opinion_reply", target=opinion, before={"reply": before},
                 after={"reply": text[:500]}, unit=opinion.about_unit or policies.jurisdiction(user))
    return opinion


def opinion_lookup(reference: str) -> PublicOpinion | None:
    """The opinion with this reference number (exact, case-insensitive), for the submitter's status lookup."""
    reference = (reference or "").strip().upper()[:20]
    return PublicOpinion.objects.filter(reference=reference).select_related("assigned_unit").first() if reference \
        else None
