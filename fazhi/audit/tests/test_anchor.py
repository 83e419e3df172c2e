"""Deleting the newest audit rows behind the application's back is caught by the anchor kept outside the DB."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from fazhi.audit.models import AuditEvent
from fazhi.audit.services import read_anchor, record_event, verify_chain

pytestmark = pytest.mark.django_db(transaction=True)  # the anchor is written when a transaction commits


@pytest.fixture
def anchor(settings, tmp_path):
    settings.FAZHI_AUDIT_ANCHOR = tmp_path / "audit-anchor.json"
    return settings.FAZHI_AUDIT_ANCHOR


def append(people, units, n):
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(record_event(actor=people["office"], action="test.change", target=units["C1"],
                                       before={"v": i}, after={"v": i + 1}, reason="测试"))
    return events


def raw_delete_newest(count):
    ids = list(AuditEvent.objects.order_by("-id").values_list("id", flat=True)[:count])
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM audit_auditevent WHERE id IN ({','.join(str(i) for i in ids)})")  # noqa: S608


def test_anchor_follows_the_head_once_per_transaction(people, units, anchor):
    events = append(people, units, 3)
    assert json.loads(anchor.read_text())["hash"] == events[-1].hash
    with transaction.atomic():  # several events in one transaction: one anchor write, at commit, of the last
        more = [record_event(actor=people["office"], action="test.batch", target=units["C1"], before=None,
                             after={"i": i}) for i in range(4)]
        assert read_anchor()["hash"] == events[-1].hash  # nothing written before the commit
    assert read_anchor() == {**read_anchor(), "id": more[-1].id, "hash": more[-1].hash}


def test_a_rolled_back_event_does_not_move_the_anchor(people, units, anchor):
    events = append(people, units, 2)
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(actor=people["office"], action="test.lost", target=units["C1"], before=None, after=None)
        raise RuntimeError("roll back")
    assert read_anchor()["hash"] == events[-1].hash
    assert verify_chain().ok


def test_deleting_the_newest_rows_is_detected(people, units, anchor):
    append(people, units, 4)
    assert verify_chain().ok
    raw_delete_newest(2)
    report = verify_chain()
    assert not report.ok
    assert report.problem.kind == "truncated"
    assert report.count == 2
    with pytest.raises(CommandError, match="newest events were deleted"):
        call_command("audit_verify")


def test_an_expected_head_catches_truncation_without_an_anchor(people, units, settings, capsys):
    settings.FAZHI_AUDIT_ANCHOR = None
    events = append(people, units, 3)
    call_command("audit_verify")
    assert events[-1].hash in capsys.readouterr().out  # the command prints the head to keep
    raw_delete_newest(1)
    assert verify_chain().ok  # without an outside record a shorter chain still looks whole…
    with pytest.raises(CommandError, match="expected head"):  # …but not against the head kept earlier
        call_command("audit_verify", expect_hash=events[-1].hash)
