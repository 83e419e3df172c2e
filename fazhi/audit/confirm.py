"""Server-enforced confirmation of irreversible actions (确认操作后果): a preview says what the action will do in
numbers and issues a one-time token; the action runs only with that token, once, by the same person, for the same
action and target, while the consequences are still the same. A browser dialog alone proves nothing: a forged or
replayed POST has no valid token.

Usage (in a service)::

    consequences = ["将提交 185 项评分，其中 133 项尚未评分……"]
    confirmation_redeem(user=user, token=token, action="assessment.scores_submit", target=campaign,
                        consequences=consequences)       # inside the service's transaction; raises ValidationError

and in the view that shows the preview: ``confirmation_issue(user=…, action=…, target=…, consequences=…)``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Confirmation
from .services import record_event

#: how long a preview stays valid (long enough to read it, short enough that it is about the present)
TTL = dt.timedelta(minutes=30)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def fingerprint(consequences: list[str]) -> str:
    return hashlib.sha256(json.dumps([str(c) for c in consequences], ensure_ascii=False).encode()).hexdigest()


def _target(target) -> tuple[str, str]:
    return target._meta.label_lower, str(target.pk)


class Issued:
    """A token handed to the preview page (the plain token exists only here and in the page)."""

    def __init__(self, token: str, consequences: list[str]):
        self.token, self.consequences = token, consequences


@transaction.atomic
def confirmation_issue(*, user, action: str, target, consequences: list[str]) -> Issued:
    """Issue a one-time token for ``action`` on ``target`` with these consequences (audited)."""
    token = secrets.token_urlsafe(24)
    kind, pk = _target(target)
    item = Confirmation.objects.create(token_hash=_hash(token), user=user, action=action, target_type=kind,
                                       target_id=pk, fingerprint=fingerprint(consequences),
                                       consequences=[str(c) for c in consequences])
    record_event(actor=user, action="confirmation.issue", target=item, before=None,
                 after={"action": action, "target": f"{kind}:{pk}", "consequences": item.consequences})
    return Issued(token, item.consequences)


def confirmation_redeem(*, user, token, action: str, target, consequences: list[str]) -> Confirmation:
    """Use ``token`` for ``action`` on ``target`` (in the caller's transaction). Refused with a message when it is
    missing, unknown, someone else's, for another action or target, already used, expired, or the consequences
    changed since the preview. The caller's audit row of the action is the record of its use."""
    if not token or not isinstance(token, str) or len(token) > 200:
        raise ValidationError(_("此操作不可撤销，须先查看操作后果并确认"))
    item = Confirmation.objects.select_for_update().filter(token_hash=_hash(token)).first()
    kind, pk = _target(target)
    if item is None or item.user_id != user.pk or (item.action, item.target_type, item.target_id) != (action, kind,
                                                                                                       pk):
        raise ValidationError(_("确认无效（不是为本人、本操作或本对象生成的），请重新查看操作后果并确认"))
    if item.used_at is not None:
        raise ValidationError(_("该确认已使用过，不能重复提交；如需再次办理，请重新查看操作后果并确认"))
    if timezone.now() - item.created_at > TTL:
        raise ValidationError(_("确认已过期（%(minutes)d 分钟内有效），请重新查看操作后果并确认")
                              % {"minutes": int(TTL.total_seconds() // 60)})
    if item.fingerprint != fingerprint(consequences):
        raise ValidationError(_("确认后情况已有变化，请重新查看操作后果并确认"))
    item.used_at = timezone.now()
    item.save(update_fields=["used_at"])
    return item


def record_refusal(*, user, target, action: str, exc: Exception) -> None:
    """Write the trace of a refused confirmed action (call it outside the rolled-back transaction)."""
    messages = getattr(exc, "messages", None) or [str(exc)]
    record_event(actor=user, action="confirmation.refused", target=target, before=None,
                 after={"action": action[:80], "message": "；".join(str(m) for m in messages)[:500]})
