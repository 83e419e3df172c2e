from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from fazhi.audit.models import AuditEvent, AuditImmutable
from fazhi.audit.services import record_event, verify_chain


def _events(people, units, n=3):
    out = []
    for i in range(n):
        with transaction.atomic():
            out.append(record_event(
                actor=people["office"], action="score.change", target=units["C1"],
                before={"score": Decimal("80.50"), "i": i}, after={"score": Decimal("81.0")}, reason=f"理由{i}",
            ))
    return out


def test_chain_links_and_canonical_values(people, units):
    a, b, c = _events(people, units)
    assert a.prev_hash == "" and b.prev_hash == a.hash and c.prev_hash == b.hash
    assert len(a.hash) == 64
    stored = AuditEvent.objects.get(pk=a.pk)
    assert stored.before == {"score": "80.50", "i": 0}
    assert stored.after == {"score": "81.0"}
    assert stored.unit == units["C1"] and stored.actor_name == "office"
    assert stored.target_type == "orgs.unit" and stored.target_id == str(units["C1"].pk)
    assert verify_chain().ok and verify_chain().count == 3


def test_application_cannot_update_or_delete(people, units):
    (event,) = _events(people, units, 1)
    event.reason = "改"
    with pytest.raises(AuditImmutable):
        event.save()
    with pytest.raises(AuditImmutable):
        event.delete()


def test_verify_command_intact(people, units, capsys):
    _events(people, units)
    call_command("audit_verify")
    assert "3 events" in capsys.readouterr().out


def test_verify_detects_raw_update(people, units):
    _a, b, _c = _events(people, units)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["篡改", b.pk])
    report = verify_chain()
    assert not report.ok and report.problem.event_id == b.pk and report.problem.kind == "edited"
    with pytest.raises(CommandError, match=f"#{b.pk}"):
        call_command("audit_verify")


def test_verify_detects_raw_json_update(people, units):
    a, _b, _c = _events(people, units)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET before = %s WHERE id = %s", ['{"score": "99", "i": 0}', a.pk])
    assert verify_chain().problem.event_id == a.pk


def test_verify_detects_raw_delete(people, units):
    _a, b, c = _events(people, units)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [b.pk])
    report = verify_chain()
    assert report.problem.event_id == c.pk and report.problem.kind == "broken_link"


def test_verify_detects_reorder(people, units):
    a, b, _c = _events(people, units)
    with connection.cursor() as cursor:  # swap the contents of two rows by moving ids
        cursor.execute("UPDATE audit_auditevent SET id = %s WHERE id = %s", [-1, a.pk])
        cursor.execute("UPDATE audit_auditevent SET id = %s WHERE id = %s", [a.pk, b.pk])
        cursor.execute("UPDATE audit_auditevent SET id = %s WHERE id = %s", [b.pk, -1])
    assert not verify_chain().ok


def test_fork_refused_by_unique_prev_hash(people, units):
    from django.db import IntegrityError
    from django.utils import timezone

    (a,) = _events(people, units, 1)
    fork = AuditEvent(action="x", created_at=timezone.now(), prev_hash="", hash="f" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        fork.save(force_insert=True)
    assert a.prev_hash == ""


def test_rollback_removes_event(people, units):
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(actor=people["office"], action="a", target=units["C1"], before=None, after={"x": 1})
        raise RuntimeError
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("who,status", [("office", 200), ("assessed", 403), ("assessing", 403), ("public", 403)])
def test_page_roles(people, client_for, who, status):
    assert client_for(people[who]).get("/audit/").status_code == status


def test_page_scoped_to_subtree(people, units, client_for):
    record_event(actor=people["office"], action="in.scope", target=units["C1"], before=None, after={"v": 1},
                 reason="范围内C1")
    record_event(actor=people["other_office"], action="other.province", target=units["P2"], before=None, after=None,
                 reason="外省P2")
    record_event(actor=people["office"], action="province.c2", target=units["C2"], before=None, after=None,
                 reason="省内C2")
    body = client_for(people["office"]).get("/audit/").content.decode()
    assert "范围内C1" in body and "省内C2" in body and "外省P2" not in body
    city = client_for(people["city_office"]).get("/audit/").content.decode()
    assert "范围内C1" in city and "省内C2" not in city
    filtered = client_for(people["office"]).get(f"/audit/?target_type=orgs.unit&target_id={units['C2'].pk}")
    assert "省内C2" in filtered.content.decode() and "范围内C1" not in filtered.content.decode()


def test_cli_exit_codes(people, units, capsys, monkeypatch):
    from fazhi.cli import main

    # run_from_argv closes every connection when it ends; keep the test database's open
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)

    _a, b, _c = _events(people, units)
    assert main(["audit", "verify"]) == 0
    assert "3 events" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [b.pk])
    with pytest.raises(SystemExit) as exit_info:
        main(["audit", "verify"])
    assert exit_info.value.code == 1
    assert "BROKEN" in capsys.readouterr().err
