"""Appending to and verifying the audit chain.

``record_event`` is called by every service that changes something that matters, inside the caller's
transaction (if the change rolls back, so does its audit row).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from . import context, signing
from .keyfile import new_key_line, read_key_file
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


def _dumps(data: dict) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical_payload(event) -> str:
    """The exact text that is signed: every field of the row — who (id, name, unit), from where, to what (target
    and its unit), when, the values before and after, why — plus the key, the algorithm and ``prev_hash``."""
    return _dumps({
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "actor_unit": event.actor_unit,
        "ip_address": event.ip_address,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "target_repr": event.target_repr,
        "unit_id": event.unit_id,
        "unit_name": event.unit_name,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "created_at": _timestamp(event.created_at),
        "key_id": event.key_id,
        "algorithm": event.algorithm,
        "prev_hash": event.prev_hash,
    })


def legacy_hash(event) -> str:
    """The unkeyed SHA-256 of the first version (before migration audit 0002), kept to check old rows once."""
    return hashlib.sha256(_dumps({
        "actor_name": event.actor_name, "action": event.action, "target_type": event.target_type,
        "target_id": event.target_id, "target_repr": event.target_repr, "before": event.before,
        "after": event.after, "reason": event.reason, "created_at": _timestamp(event.created_at),
        "prev_hash": event.prev_hash,
    }).encode("utf-8")).hexdigest()


def compute_hash(event) -> str:
    """HMAC of the canonical payload with the row's own key and algorithm; ``UnknownKey`` if the key is gone."""
    key = signing.key_named(event.key_id)
    return signing.mac(event.algorithm, key.secret, canonical_payload(event).encode("utf-8"))


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


def _last_event(model=AuditEvent):
    query = model.objects.order_by("-id")
    if connection.features.has_select_for_update:
        query = query.select_for_update()
    return query.only("hash").first()


def _actor_fields(actor) -> dict:
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    if actor_obj is not None:
        unit = getattr(actor_obj, "unit", None)
        return {
            "actor": actor_obj,
            "actor_name": (getattr(actor_obj, "display_name", "") or actor_obj.get_username())[:150],
            "actor_unit": (getattr(unit, "name", "") or "")[:200],
        }
    return {"actor": None, "actor_name": actor[:150] if isinstance(actor, str) else "", "actor_unit": ""}


def _append(model, **fields):
    """Append one row to the chain of ``model`` (the real model, or a migration's historical one), signed with the
    current key. Locks the last row (``SELECT … FOR UPDATE`` where supported); ``prev_hash`` is unique, so a
    concurrent append cannot fork the chain: a lost race is retried inside a savepoint."""
    key = signing.current_key()
    last_error: IntegrityError | None = None
    for _attempt in range(_RETRIES):
        try:
            with transaction.atomic():
                last = _last_event(model)
                event = model(**fields, created_at=timezone.now(), key_id=key.key_id,
                              algorithm=signing.algorithm(), prev_hash=last.hash if last else GENESIS)
                event.hash = signing.mac(event.algorithm, key.secret, canonical_payload(event).encode("utf-8"))
                event.save(force_insert=True)
                _anchor_on_commit()
                return event
        except IntegrityError as exc:  # another append took the same prev_hash first
            last_error = exc
    raise last_error  # type: ignore[misc]


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

    ``actor``: the user (or a string for a system actor, e.g. ``"system"``); ``unit`` (optional) overrides the
    unit the event is scoped to, by default derived from ``target``. The client's address comes from the
    request being served (``AuditContextMiddleware``).

    Action names are ``<area>.<verb>`` (``describe.py`` turns them into sentences). Security events use these
    names (the sign-in code records them through this function or ``record_security_event``):
    ``auth.login``, ``auth.logout``, ``auth.login_failed`` (actor: the name tried, as a string),
    ``auth.permission_denied`` (target: the page or object refused), ``admin.add`` / ``admin.change`` /
    ``admin.delete`` (Django admin), ``export.download`` and ``evidence.download`` (``record_download``).
    """
    if not action:
        raise ValueError("action is required")
    target_type, target_id, target_repr = _target_label(target)
    scope = unit if unit is not None else _unit_of(target)
    return _append(
        AuditEvent,
        **_actor_fields(actor),
        ip_address=context.current_address(),
        action=action[:64],
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        unit=scope,
        unit_name=(getattr(scope, "name", "") or "")[:200],
        before=canonical_value(before) if before is not None else None,
        after=canonical_value(after) if after is not None else None,
        reason=reason or "",
    )


def record_security_event(*, actor, action: str, target=None, detail: dict | None = None, reason: str = "",
                          unit=None) -> AuditEvent:
    """A security event (sign-in, sign-out, failed sign-in, refusal, admin action) — nothing changed, so only
    ``detail`` (e.g. ``{"path": "/audit/"}``) is kept, as the event's "after"."""
    return record_event(actor=actor, action=action, target=target, before=None, after=detail, reason=reason,
                        unit=unit)


def record_download(*, user, target, what: str, filename: str, evidence: bool = False, unit=None) -> AuditEvent:
    """An export or evidence download (导出 / 下载证明材料): who took which file of what, from where."""
    return record_event(
        actor=user, action="evidence.download" if evidence else "export.download", target=target, before=None,
        after={"what": str(what)[:100], "file": str(filename)[:200]}, unit=unit,
    )


# ---------------------------------------------------------------- outside the database: anchor and checkpoints


def _anchor_path() -> Path | None:
    path = getattr(settings, "FAZHI_AUDIT_ANCHOR", None)
    return Path(path) if path else None


def _checkpoint_dir() -> Path | None:
    path = getattr(settings, "FAZHI_AUDIT_CHECKPOINT_DIR", None)
    return Path(path) if path else None


def _sign_record(record: dict) -> dict:
    key = signing.current_key()
    body = {**record, "key_id": key.key_id, "algorithm": signing.algorithm()}
    body["signature"] = signing.mac(body["algorithm"], key.secret, _dumps(body).encode("utf-8"))
    return body


def signed_anchor(*, event_id: int, event_hash: str) -> dict:
    """An anchor naming ``event_id`` as the head, signed now (for a backup: the head of its snapshot)."""
    return _sign_record({"id": event_id, "hash": event_hash, "written_at": _timestamp(timezone.now())})


def record_signature_ok(record: dict) -> bool:
    """True when an anchor or checkpoint was signed with a key of the key file (not forged, not edited)."""
    body = {k: v for k, v in record.items() if k != "signature" and not k.startswith("_")}
    try:
        key = signing.key_named(str(record.get("key_id")))
        expected = signing.mac(str(record.get("algorithm")), key.secret, _dumps(body).encode("utf-8"))
    except (signing.UnknownKey, ValueError):
        return False
    return hmac.compare_digest(expected, str(record.get("signature", "")))


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".audit-")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(data, stream, ensure_ascii=False)
    os.replace(temporary, path)


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
    """Write the chain's head (id and hash of the newest event), signed, to the anchor file, atomically.

    The file lives in ``FAZHI_AUDIT_DIR``, not in the database: someone who deletes the newest audit rows leaves an
    anchor pointing at an event that no longer exists, and ``verify_chain`` reports it. A head older than the
    one on file (a slower concurrent commit) is not written over it.
    """
    path = _anchor_path()
    if path is None:
        return
    last = AuditEvent.objects.order_by("-id").only("id", "hash").first()
    if last is None:
        return
    current = read_anchor(path) or {}
    if isinstance(current.get("id"), int) and current["id"] > last.id and record_signature_ok(current):
        return
    _write_json(path, signed_anchor(event_id=last.id, event_hash=last.hash))


def _anchor_on_commit() -> None:
    """Register one anchor write for the current transaction (not one per event)."""
    if _anchor_path() is None:
        return
    pending = getattr(connection, "run_on_commit", [])
    if any(item[1] is write_anchor for item in pending):
        return
    transaction.on_commit(write_anchor)


def write_checkpoint() -> Path | None:
    """A signed checkpoint of the head — event id, hash and position in the chain — written to the checkpoint
    folder (a second location). Run on a schedule (Celery beat ``fazhi.audit.tasks.write_checkpoint``, or
    ``fazhi audit checkpoint``); nothing is written when the head has not moved since the last checkpoint.

    A checkpoint lets ``verify`` catch, for all history before it, a rewrite made even *with* the key (the
    second location is out of the database's reach) and a deletion of rows at any place."""
    folder = _checkpoint_dir()
    if folder is None:
        raise ImproperlyConfigured("FAZHI_AUDIT_CHECKPOINT_DIR is not set (设置 FAZHI_AUDIT_DIR 未设置)")
    last = AuditEvent.objects.order_by("-id").only("id", "hash").first()
    if last is None:
        return None
    path = folder / f"checkpoint-{last.id:012d}.json"
    if path.exists():
        return path
    position = AuditEvent.objects.filter(id__lte=last.id).count()
    _write_json(path, _sign_record({"id": last.id, "hash": last.hash, "position": position,
                                    "written_at": _timestamp(timezone.now())}))
    return path


def read_checkpoints(folder: Path | None = None) -> list[dict]:
    """Every checkpoint of the folder (oldest first); an unreadable file is returned as a forged one."""
    folder = folder or _checkpoint_dir()
    if folder is None or not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("checkpoint-*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        found.append({**(data if isinstance(data, dict) else {"signature": ""}), "_file": path.name})
    return found


# ---------------------------------------------------------------- verification


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    position: int  # 1-based position in the chain
    kind: str  # edited | broken_link | truncated | unknown_key | key_order | checkpoint_forged | checkpoint_mismatch
    message: str


@dataclass(frozen=True)
class ChainReport:
    count: int
    problem: ChainProblem | None
    checkpoints: int = 0

    @property
    def ok(self) -> bool:
        return self.problem is None


def _checkpoint_problems(checkpoints: list[dict]) -> tuple[dict[int, dict], ChainProblem | None]:
    by_id: dict[int, dict] = {}
    for item in checkpoints:
        if not record_signature_ok(item) or not isinstance(item.get("id"), int):
            return by_id, ChainProblem(0, 0, "checkpoint_forged", (
                f"checkpoint {item.get('_file')} is not signed with a key of the key file: it was forged or edited "
                "(检查点签名无效：检查点被伪造或篡改)"))
        by_id[item["id"]] = item
    return by_id, None


def verify_chain(*, batch: int = 2000, expect_hash: str | None = None) -> ChainReport:
    """Walk the chain in insertion order; return the first problem found.

    - a row signed with a key not in the key file → ``unknown_key`` (forged, or the key was lost);
    - a row signed with a key older than the row before it → ``key_order`` (keys only move forward at rotation);
    - a row whose stored MAC differs from the MAC of its content → ``edited`` — also a row rewritten with hashes
      recomputed by someone without the key;
    - a row whose ``prev_hash`` is not the previous row's MAC → ``broken_link``: a row before it was deleted,
      inserted or the rows were reordered;
    - a signed checkpoint (second location) whose event is missing, moved or changed → ``checkpoint_mismatch``;
      an unsigned or edited checkpoint → ``checkpoint_forged``;
    - the head recorded outside the database (the signed anchor, or ``expect_hash`` — a head printed earlier) is
      not in the chain → ``truncated``: the newest rows were deleted.
    """
    checkpoints, problem = _checkpoint_problems(read_checkpoints())
    if problem:
        return ChainReport(0, problem)
    anchor = read_anchor()
    if anchor is not None and not record_signature_ok(anchor):
        return ChainReport(0, ChainProblem(0, 0, "anchor_forged", (
            "the anchor file is not signed with a key of the key file: it was forged or edited "
            "(锚点签名无效：锚点被伪造或篡改)")))
    previous, position, last_id, rank = GENESIS, 0, 0, -1
    anchor_hash = (anchor or {}).get("hash")
    seen_expected = seen_anchor = False
    seen_checkpoints: set[int] = set()
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            break
        for event in rows:
            position += 1
            last_id = event.id
            problem = _row_problem(event, position, previous, rank)
            if problem:
                return ChainReport(position - 1, problem, len(seen_checkpoints))
            rank = signing.key_rank(event.key_id)
            point = checkpoints.get(event.id)
            if point is not None:
                if point.get("hash") != event.hash or point.get("position") != position:
                    return ChainReport(position - 1, ChainProblem(event.id, position, "checkpoint_mismatch", (
                        f"event #{event.id} (position {position}) differs from the signed checkpoint "
                        f"{point.get('_file')} (position {point.get('position')}): the chain was rewritten or rows "
                        "before it were deleted (与已签名的检查点不符：日志被改写或此前的记录被删除)")),
                        len(seen_checkpoints))
                seen_checkpoints.add(event.id)
            previous = event.hash
            seen_expected = seen_expected or event.hash == expect_hash
            seen_anchor = seen_anchor or event.hash == anchor_hash
    missing = sorted(set(checkpoints) - seen_checkpoints)
    if missing:
        point = checkpoints[missing[0]]
        return ChainReport(position, ChainProblem(missing[0], point.get("position") or 0, "truncated", (
            f"the signed checkpoint {point.get('_file')} names event #{missing[0]}, which is not in the chain: "
            "events were deleted (已签名检查点记录的事件不在链中：记录被删除)")), len(seen_checkpoints))
    if expect_hash and not seen_expected:
        return ChainReport(position, ChainProblem(0, position + 1, "truncated", (
            f"the expected head {expect_hash[:16]}… is not in the chain: the newest events were deleted "
            "(预期的最新记录不在链中：最新的记录被删除)")), len(seen_checkpoints))
    if anchor is not None and not seen_anchor:
        return ChainReport(position, ChainProblem(anchor.get("id") or 0, position + 1, "truncated", (
            f"the anchor written after the last commit names event #{anchor.get('id')}, which is not in the chain: "
            "the newest events were deleted (锚点记录的最新事件不在链中：最新的记录被删除)")), len(seen_checkpoints))
    return ChainReport(position, None, len(seen_checkpoints))


def _row_problem(event, position: int, previous: str, rank: int) -> ChainProblem | None:
    where = f"event #{event.id} (position {position})"
    if event.prev_hash != previous:
        return ChainProblem(event.id, position, "broken_link", (
            f"{where} does not follow the previous event: a row before it was deleted, inserted or reordered "
            "(链条断裂：此前的记录被删除、插入或调换)"))
    try:
        expected = compute_hash(event)
        row_rank = signing.key_rank(event.key_id)
    except signing.UnknownKey:
        return ChainProblem(event.id, position, "unknown_key", (
            f"{where} names key {event.key_id[:32]!r}, which is not in the key file: the row was forged or the key "
            "was lost (记录使用的密钥不在密钥文件中：记录被伪造或密钥丢失)"))
    except ValueError:
        expected, row_rank = "", rank
    if row_rank < rank:
        return ChainProblem(event.id, position, "key_order", (
            f"{where} is signed with a key retired before the previous event: it was written afterwards with an "
            "old key (记录使用了已轮换停用的密钥)"))
    if not hmac.compare_digest(expected, event.hash):
        return ChainProblem(event.id, position, "edited", (
            f"{where} was changed after it was written (记录内容被篡改)"))
    return None


# ---------------------------------------------------------------- key rotation and re-chaining


def checkpoint_event(*, actor, action: str, detail: dict) -> AuditEvent:
    """An event of the chain's own life (key rotated, re-chained), followed by a checkpoint once committed."""
    event = record_event(actor=actor, action=action, target=None, before=None, after=detail)
    if _checkpoint_dir() is not None:
        transaction.on_commit(write_checkpoint)
    return event


def rechain(*, model=AuditEvent, note: str, actor: str = "system") -> dict:
    """Re-sign every row with the current key, then record why (重新签名链).

    For the move from the unkeyed chain (migration audit 0002) or after the keys were lost. The old chain is
    checked first — with the legacy SHA-256 for legacy rows, else with the keys at hand — and the result is kept
    in the ``audit.rechain`` event with ``note``, the old head and the row count. Checkpoints of the old chain
    are moved to ``superseded-<time>/`` beside the new ones (they name hashes that no longer exist).
    """
    if not note.strip():
        raise ValueError("a re-chain needs a note saying why")
    key = signing.current_key()
    algo = signing.algorithm()
    previous_old, previous_new, count, broken, old_head = GENESIS, GENESIS, 0, "", ""
    for event in model.objects.order_by("id").iterator(chunk_size=2000):
        count += 1
        if not broken:
            broken = _old_row_problem(event, previous_old)
        previous_old = old_head = event.hash
        event.prev_hash, event.key_id, event.algorithm = previous_new, key.key_id, algo
        event.hash = signing.mac(algo, key.secret, canonical_payload(event).encode("utf-8"))
        model.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash, key_id=event.key_id,
                                                 algorithm=algo, hash=event.hash)
        previous_new = event.hash
    _supersede_checkpoints()
    detail = {"rows": count, "old_head": old_head, "old_chain": broken or "intact", "note": note.strip()[:500]}
    _append(model, actor=None, actor_name=actor[:150], actor_unit="", ip_address=context.current_address(),
            action="audit.rechain", target_type="", target_id="", target_repr="", unit=None, unit_name="",
            before=None, after=canonical_value(detail), reason=note.strip()[:500])
    return detail


def _old_row_problem(event, previous: str) -> str:
    if event.prev_hash != previous:
        return f"broken at event #{event.id}"
    try:
        ok = (legacy_hash(event) if event.algorithm not in signing.ALGORITHMS else compute_hash(event)) == event.hash
    except signing.UnknownKey:
        ok = False
    return "" if ok else f"edited at event #{event.id}"


def _supersede_checkpoints() -> None:
    folder = _checkpoint_dir()
    if folder is None or not folder.is_dir():
        return
    old = sorted(folder.glob("checkpoint-*.json"))
    if not old:
        return
    target = folder / f"superseded-{timezone.now():%Y%m%dT%H%M%S%f}"
    target.mkdir()
    for path in old:
        path.replace(target / path.name)


def rotate_key(*, key_file: Path, key_id: str, actor) -> AuditEvent:
    """Add a new key to the key file (it signs from now on) and record the rotation, followed by a checkpoint.

    The old keys stay in the file to verify the rows they signed; once a row is signed with the new key no later
    row may use an older one (``verify`` reports ``key_order``)."""
    existing = read_key_file(key_file) if key_file.exists() else ()
    if any(key.key_id == key_id for key in existing):
        raise ValueError(f"key id {key_id!r} is already in {key_file}")
    previous = existing[-1].key_id if existing else ""
    line = new_key_line(key_id)
    fd = os.open(key_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as stream:
        stream.write(line)
    os.utime(key_file)
    return checkpoint_event(actor=actor, action="audit.key_rotated",
                            detail={"from": previous, "to": key_id, "algorithm": signing.algorithm()})
