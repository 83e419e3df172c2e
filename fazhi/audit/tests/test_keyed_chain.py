"""Finding 7 of issue 14 and the keyed chain: an attacker with the database but not the key cannot rewrite history.

Each test reproduces an attack on the rows (raw SQL, as someone with database access would) and expects
``verify_chain`` / ``fazhi audit verify`` to name it.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from fazhi.audit import services, signing
from fazhi.audit.keyfile import AuditKey, KeyFileError, parse_keys, read_key_file
from fazhi.audit.models import AuditEvent
from fazhi.audit.services import canonical_payload, legacy_hash, record_event, verify_chain

KEY_A = AuditKey("a", bytes(range(32)))
KEY_B = AuditKey("b", bytes(range(1, 33)))


@pytest.fixture(autouse=True)
def keys(settings):
    settings.FAZHI_AUDIT_KEYS = (KEY_A,)
    settings.FAZHI_AUDIT_KEY_FILE = None
    return settings


def append(people, units, n=3, unit="C1"):
    out = []
    for i in range(n):
        with transaction.atomic():
            out.append(record_event(actor=people["office"], action="test.change", target=units[unit],
                                    before={"v": i}, after={"v": i + 1}, reason=f"理由{i}"))
    return out


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def rewrite_all(compute):
    """What an attacker does after editing a row: recompute every hash and link with ``compute``."""
    previous = ""
    for event in AuditEvent.objects.order_by("id"):
        event.prev_hash = previous
        new = compute(event)
        raw("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", [previous, new, event.pk])
        previous = new


def test_the_hash_is_an_hmac_with_the_key_not_a_plain_sha256(people, units):
    (event,) = append(people, units, 1)
    payload = canonical_payload(event).encode()
    assert event.key_id == "a" and event.algorithm == "hmac-sha256"
    assert event.hash != hashlib.sha256(payload).hexdigest()
    assert event.hash == signing.mac("hmac-sha256", KEY_A.secret, payload)


def test_edit_with_recomputed_plain_sha256_hashes_is_detected(people, units):
    """Finding 7: editing a row and recomputing the (unkeyed) hashes passed ``fazhi audit verify``."""
    _a, b, _c = append(people, units)
    raw("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["改过的理由", b.pk])
    rewrite_all(lambda e: hashlib.sha256(canonical_payload(e).encode()).hexdigest())
    report = verify_chain()
    assert not report.ok and report.problem.kind == "edited" and report.problem.position == 1
    with pytest.raises(CommandError, match="changed after it was written"):
        call_command("audit_verify")


def test_edit_with_hashes_recomputed_under_a_guessed_key_is_detected(people, units):
    append(people, units)
    wrong = AuditKey("a", b"\x00" * 32)
    raw("UPDATE audit_auditevent SET after = %s", ['{"v": 99}'])
    rewrite_all(lambda e: signing.mac("hmac-sha256", wrong.secret, canonical_payload(e).encode()))
    assert verify_chain().problem.kind == "edited"


def test_a_forged_key_id_is_refused(people, units):
    append(people, units)
    raw("UPDATE audit_auditevent SET key_id = 'forged'")
    rewrite_all(lambda e: signing.mac("hmac-sha256", b"x" * 32, canonical_payload(e).encode()))
    report = verify_chain()
    assert report.problem.kind == "unknown_key" and "forged" in report.problem.message


@pytest.mark.parametrize("column,value", [
    ("actor_id", None), ("actor_name", "别人"), ("actor_unit", "别的单位"), ("unit_id", None),
    ("unit_name", "开封市人民政府"), ("ip_address", "10.0.0.9"), ("created_at", "2020-01-01 00:00:00"),
    ("algorithm", "hmac-sm3"),
])
def test_actor_unit_address_and_time_are_inside_the_hash(people, units, column, value):
    """Finding 7: actor and unit were not hashed — moving an event to another person or unit went unseen."""
    _a, b, _c = append(people, units)
    raw(f"UPDATE audit_auditevent SET {column} = %s WHERE id = %s", [value, b.pk])  # noqa: S608
    report = verify_chain()
    assert not report.ok and report.problem.event_id == b.pk and report.problem.kind == "edited"


def test_address_of_the_request_is_recorded(people, units, client_for):
    from django.urls import reverse

    client = client_for(people["office"])
    client.get(reverse("orgs:unit_export"), REMOTE_ADDR="192.0.2.7")
    event = AuditEvent.objects.filter(action="export.download").latest("id")
    assert event.ip_address == "192.0.2.7" and event.actor_unit == units["P-OFFICE"].name
    assert verify_chain().ok


def test_deleted_person_and_unit_keep_their_rows_valid(people, units):
    """Nothing cascades into the chain: deleting a person keeps the row's actor id, so the hash still holds."""
    user = people["assessed_c2"]
    with transaction.atomic():
        record_event(actor=user, action="test.change", target=units["C2"], before=None, after={"v": 1})
    user_id = user.pk
    user.delete()
    event = AuditEvent.objects.get()
    assert event.actor_id == user_id and event.actor_name == "assessed_c2"
    assert verify_chain().ok


def test_rotation_signs_new_rows_with_the_new_key_and_old_ones_still_verify(people, units, settings, tmp_path):
    key_file = tmp_path / "audit.keys"
    key_file.write_text(f"a {KEY_A.secret.hex()}\n")
    key_file.chmod(0o600)
    settings.FAZHI_AUDIT_KEY_FILE = key_file
    settings.FAZHI_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    first = append(people, units, 2)
    call_command("audit_rotate_key", "b")
    later = append(people, units, 1)
    assert {e.key_id for e in first} == {"a"} and later[0].key_id == "b"
    rotation = AuditEvent.objects.get(action="audit.key_rotated")
    assert rotation.key_id == "b" and rotation.after == {"from": "a", "to": "b", "algorithm": "hmac-sha256"}
    assert [k.key_id for k in read_key_file(key_file)] == ["a", "b"]
    assert verify_chain().ok


def test_a_row_written_with_a_retired_key_is_refused(people, units, settings):
    settings.FAZHI_AUDIT_KEYS = (KEY_A, KEY_B)
    append(people, units, 2)  # signed with b
    newest = AuditEvent.objects.latest("id")
    # someone holding only the old key a re-signs the newest row with it
    raw("UPDATE audit_auditevent SET key_id = 'a' WHERE id = %s", [newest.pk])
    newest.key_id = "a"
    raw("UPDATE audit_auditevent SET hash = %s WHERE id = %s",
        [signing.mac("hmac-sha256", KEY_A.secret, canonical_payload(newest).encode()), newest.pk])
    assert verify_chain().problem.kind == "key_order"


def test_sm3_deployment_option(people, units, settings):
    settings.FAZHI_AUDIT_ALGORITHM = "hmac-sm3"
    events = append(people, units, 2)
    assert {e.algorithm for e in events} == {"hmac-sm3"}
    assert events[0].hash == signing.mac("hmac-sm3", KEY_A.secret, canonical_payload(events[0]).encode())
    assert verify_chain().ok
    raw("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [events[0].pk])
    assert verify_chain().problem.kind == "edited"


def test_sm3_from_the_package_matches_the_standard_and_openssl():
    """GB/T 32905-2016 A.1 and A.2 test vectors, and the HMAC of both implementations agree."""
    import hmac

    package = signing.package_sm3()
    assert package(b"abc").hexdigest() == signing.SM3_ABC
    assert package(b"abcd" * 16).hexdigest() == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
    ours = signing.sm3_constructor()
    for message in (b"", b"abc", "审计".encode() * 50):
        assert ours(message).hexdigest() == package(message).hexdigest()
        assert hmac.new(b"k" * 40, message, ours).hexdigest() == hmac.new(b"k" * 40, message, package).hexdigest()


def test_signed_checkpoints_catch_a_rewrite_even_by_someone_with_the_key(people, units, settings, tmp_path):
    settings.FAZHI_AUDIT_CHECKPOINT_DIR = tmp_path / "cp"
    append(people, units, 3)
    call_command("audit_checkpoint")
    append(people, units, 1)
    assert verify_chain().ok and verify_chain().checkpoints == 1
    # an insider with the key deletes the second row and re-signs everything: links and MACs are valid again…
    second = AuditEvent.objects.order_by("id")[1]
    raw("DELETE FROM audit_auditevent WHERE id = %s", [second.pk])
    rewrite_all(lambda e: signing.mac("hmac-sha256", KEY_A.secret, canonical_payload(e).encode()))
    report = verify_chain()  # …but not against the checkpoint kept in the second location
    assert not report.ok and report.problem.kind in {"checkpoint_mismatch", "truncated"}


def test_forged_or_edited_checkpoint_is_reported(people, units, settings, tmp_path):
    settings.FAZHI_AUDIT_CHECKPOINT_DIR = tmp_path / "cp"
    append(people, units, 2)
    path = services.write_checkpoint()
    data = json.loads(path.read_text())
    data["position"] = 1
    path.write_text(json.dumps(data))
    assert verify_chain().problem.kind == "checkpoint_forged"


def test_truncation_before_a_checkpoint_is_detected_without_an_anchor(people, units, settings, tmp_path):
    settings.FAZHI_AUDIT_CHECKPOINT_DIR = tmp_path / "cp"
    settings.FAZHI_AUDIT_ANCHOR = None
    append(people, units, 3)
    services.write_checkpoint()
    raw("DELETE FROM audit_auditevent WHERE id = %s", [AuditEvent.objects.latest("id").pk])
    assert verify_chain().problem.kind == "truncated"


def _make_legacy(people, units, n=3):
    """Rows as the first version wrote them: unkeyed SHA-256, algorithm "sha256"."""
    append(people, units, n)
    raw("UPDATE audit_auditevent SET algorithm = 'sha256', key_id = ''")
    rewrite_all(legacy_hash)


def test_rechain_moves_legacy_rows_to_the_keyed_chain_with_a_note(people, units):
    _make_legacy(people, units)
    assert verify_chain().problem.kind == "unknown_key"  # a legacy row is no longer accepted as it is
    detail = services.rechain(note="升级")
    assert detail["rows"] == 3 and detail["old_chain"] == "intact"
    note = AuditEvent.objects.get(action="audit.rechain")
    assert note.after["note"] == "升级" and note.reason == "升级"
    assert set(AuditEvent.objects.values_list("key_id", flat=True)) == {"a"}
    assert verify_chain().ok and verify_chain().count == 4


def test_rechain_records_a_legacy_chain_that_was_already_tampered_with(people, units):
    _make_legacy(people, units)
    second = AuditEvent.objects.order_by("id")[1]
    raw("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [second.pk])
    detail = services.rechain(note="升级")
    assert detail["old_chain"] == f"edited at event #{second.pk}"
    with pytest.raises(ValueError, match="note"):
        services.rechain(note=" ")


def test_key_file_rules(tmp_path):
    good = "a" * 64
    assert [k.key_id for k in parse_keys(f"# comment\nk1 {good}\n\nk2 {good}  # second\n")] == ["k1", "k2"]
    for text, message in [("", "no key"), ("k1", "expected"), (f"k 1 {good}", "expected"),
                          (f"k/1 {good}", "key id"), ("k1 zz", "hexadecimal"), ("k1 abcd", "at least 32"),
                          (f"k1 {good}\nk1 {good}", "twice")]:
        with pytest.raises(KeyFileError, match=message):
            parse_keys(text)
    open_file = tmp_path / "keys"
    open_file.write_text(f"k1 {good}\n")
    open_file.chmod(0o644)
    with pytest.raises(KeyFileError, match="chmod 600"):
        read_key_file(open_file)
    assert "k1" not in repr(parse_keys(f"k1 {good}")[0].secret.hex()[:0]) and good not in repr(parse_keys(f"k1 {good}"))


def test_keygen_creates_a_private_key_file_once(tmp_path):
    from fazhi.cli import main

    path = tmp_path / "audit.keys"
    assert main(["audit", "keygen", str(path), "--key-id", "2026a"]) == 0
    assert path.stat().st_mode & 0o077 == 0
    assert [k.key_id for k in read_key_file(path)] == ["2026a"]
    assert main(["audit", "keygen", str(path)]) == 2  # never overwritten
