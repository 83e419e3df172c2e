"""Appending to and verifying the audit chain.

``record_event`` is called by every service that changes something that matters, inside the caller's
transaction (if the change rolls back, so does its audit row).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from .models import AuditEvent

GENESIS = ""  # prev_hash of the first event
_RETRIES = 3


def canonical_value(value: Any) -> Any:
    """A JSON-safe value written the same way every time: Decimal → its plain string ("92.50" stays "92.50"),
    date/datetime → ISO 8601 (datetimes in UTC), sets sorted, model instances → their primary key."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): canonical_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical_value(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((canonical_value(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, Model):
        return value.pk
    return str(value)


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_payload(event: AuditEvent) -> str:
    """The exact text that is hashed: the event's own fields plus ``prev_hash``, sorted keys, no spaces."""
    data = {
        "actor_name": event.actor_name,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "created_at": _timestamp(event.created_at),
        "prev_hash": event.prev_hash,
    }
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical_payload(event).encode("utf-8")).hexdigest()


def _unit_of(target) -> Any:
    """The unit an event is scoped to: the target itself if it is a unit, ``target.get_audit_unit()``,
    or its ``unit`` / ``assessed_unit`` / ``owner`` attribute."""
    from fazhi.orgs.models import Unit

    if target is None:
        return None
    if isinstance(target, Unit):
        return target
    hook = getattr(target, "get_audit_unit", None)
    if callable(hook):
        return hook()
    for name in ("unit", "assessed_unit", "owner", "office"):
        value = getattr(target, name, None)
        if isinstance(value, Unit):
            return value
    campaign = getattr(target, "campaign", None)  # e.g. an indicator: the campaign's jurisdiction
    owner = getattr(campaign, "owner", None)
    return owner if isinstance(owner, Unit) else None


def _target_label(target) -> tuple[str, str, str]:
    if target is None:
        return "", "", ""
    meta = getattr(target, "_meta", None)
    label = meta.label_lower if meta is not None else type(target).__name__
    return label, str(getattr(target, "pk", "") or ""), str(target)[:255]


def _last_event():
    query = AuditEvent.objects.order_by("-id")
    if connection.features.has_select_for_update:
        query = query.select_for_update()
    return query.only("hash").first()


def record_event(
    *,
    actor,
    action: str,
    target,
    before: dict | None,
    after: dict | None,
    reason: str = "",
    unit=None,
) -> AuditEvent:
    """Append one event to the chain and return it. Call inside the transaction that makes the change.

    ``unit`` (optional) overrides the unit the event is scoped to; by default it is derived from ``target``.
    The last row is locked (``SELECT … FOR UPDATE`` where supported) and ``prev_hash`` is unique, so a concurrent
    append cannot fork the chain; a lost race is retried inside a savepoint.
    """
    if not action:
        raise ValueError("action is required")
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    actor_name = ""
    if actor_obj is not None:
        actor_name = (getattr(actor_obj, "display_name", "") or actor_obj.get_username())[:150]
    elif isinstance(actor, str):
        actor_name = actor[:150]  # a system actor, e.g. "system"
    target_type, target_id, target_repr = _target_label(target)
    scope = unit if unit is not None else _unit_of(target)
    before_c = canonical_value(before) if before is not None else None
    after_c = canonical_value(after) if after is not None else None
    last_error: IntegrityError | None = None
    for _attempt in range(_RETRIES):
        try:
            with transaction.atomic():
                last = _last_event()
                event = AuditEvent(
                    actor=actor_obj,
                    actor_name=actor_name,
                    action=action[:64],
                    target_type=target_type,
                    target_id=target_id,
                    target_repr=target_repr,
                    unit=scope,
                    before=before_c,
                    after=after_c,
                    reason=reason or "",
                    created_at=timezone.now(),
                    prev_hash=last.hash if last else GENESIS,
                )
                event.hash = compute_hash(event)
                event.save(force_insert=True)
                _anchor_on_commit()
                return event
        except IntegrityError as exc:  # another append took the same prev_hash first
            last_error = exc
    raise last_error  # type: ignore[misc]


def _anchor_path() -> Path | None:
    path = getattr(settings, "FAZHI_AUDIT_ANCHOR", None)
    return Path(path) if path else None


def read_anchor(path: Path | None = None) -> dict | None:
    """The last anchor written, or None when there is none (or anchoring is off)."""
    path = path or _anchor_path()
    if path is None or not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"id": None, "hash": None, "error": f"unreadable anchor file {path}"}
    return data if isinstance(data, dict) else None


def write_anchor() -> None:
    """Write the chain's head (id and hash of the newest event) to the anchor file, atomically.

    The file lives beside the database, not in it: someone who deletes the newest audit rows in the database
    leaves an anchor pointing at an event that no longer exists, and ``verify_chain`` reports it. A head older
    than the one on file (a slower concurrent commit) is not written over it.
    """
    path = _anchor_path()
    if path is None:
        return
    last = AuditEvent.objects.order_by("-id").only("id", "hash").first()
    if last is None:
        return
    current = read_anchor(path) or {}
    if isinstance(current.get("id"), int) and current["id"] > last.id:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".audit-anchor-")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump({"id": last.id, "hash": last.hash, "written_at": _timestamp(timezone.now())}, stream)
    os.replace(temporary, path)


def _anchor_on_commit() -> None:
    """Register one anchor write for the current transaction (not one per event)."""
    if _anchor_path() is None:
        return
    pending = getattr(connection, "run_on_commit", [])
    if any(item[1] is write_anchor for item in pending):
        return
    transaction.on_commit(write_anchor)


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    position: int  # 1-based position in the chain
    kind: str  # "edited" | "broken_link"
    message: str


@dataclass(frozen=True)
class ChainReport:
    count: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_chain(*, batch: int = 2000, expect_hash: str | None = None) -> ChainReport:
    """Walk the chain in insertion order; return the first broken link or edited row.

    - a row whose stored hash differs from the hash of its content → edited;
    - a row whose ``prev_hash`` is not the previous row's hash → a row before it was deleted, inserted or the rows
      were reordered;
    - the head recorded outside the database (the anchor file, or ``expect_hash`` — e.g. a hash printed in an
      earlier report) is not in the chain → the newest rows were deleted.
    """
    previous = GENESIS
    position = 0
    last_id = 0
    anchor = read_anchor()
    anchor_hash = (anchor or {}).get("hash")
    expected = expect_hash
    seen_expected = seen_anchor = False
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for event in rows:
            position += 1
            last_id = event.id
            if event.prev_hash != previous:
                return ChainReport(position - 1, ChainProblem(
                    event.id, position, "broken_link",
                    f"event #{event.id} (position {position}) does not follow the previous event: a row before it "
                    "was deleted, inserted or reordered (链条断裂：此前的记录被删除、插入或调换)",
                ))
            if compute_hash(event) != event.hash:
                return ChainReport(position - 1, ChainProblem(
                    event.id, position, "edited",
                    f"event #{event.id} (position {position}) was changed after it was written "
                    "(记录内容被篡改)",
                ))
            previous = event.hash
            seen_expected = seen_expected or event.hash == expected
            seen_anchor = seen_anchor or event.hash == anchor_hash
    if expected and not seen_expected:
        return ChainReport(position, ChainProblem(
            0, position + 1, "truncated",
            f"the expected head {expected[:16]}… is not in the chain: the newest events were deleted "
            "(预期的最新记录不在链中：最新的记录被删除)",
        ))
    if anchor is not None and not seen_anchor:
        return ChainReport(position, ChainProblem(
            anchor.get("id") or 0, position + 1, "truncated",
            f"the anchor written after the last commit names event #{anchor.get('id')}, which is not in the chain: "
            "the newest events were deleted (锚点记录的最新事件不在链中：最新的记录被删除)",
        ))
    return ChainReport(position, None)
