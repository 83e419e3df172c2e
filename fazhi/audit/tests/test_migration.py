"""Migration audit 0002 moves an existing unkeyed chain to the keyed one: the old chain is checked, every row
re-signed with the current key, and an ``audit.rechain`` event records the result and a note."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from fazhi.audit.models import AuditEvent
from fazhi.audit.services import legacy_hash, verify_chain

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0001_initial")]


def test_existing_rows_are_rechained_with_a_note():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("audit", "AuditEvent")
    previous = ""
    for i in range(3):
        row = old(actor_name="office", action="score.change", target_type="orgs.unit", target_id=str(i),
                  target_repr=f"单位{i}", before={"v": i}, after={"v": i + 1}, reason="旧记录",
                  created_at=timezone.now(), prev_hash=previous, hash="")
        row.hash = legacy_hash(row)
        row.save()
        previous = row.hash
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    note = AuditEvent.objects.get(action="audit.rechain")
    assert note.after["rows"] == 3 and note.after["old_chain"] == "intact" and "迁移 audit 0002" in note.reason
    assert set(AuditEvent.objects.values_list("algorithm", flat=True)) == {"hmac-sha256"}
    report = verify_chain()
    assert report.ok and report.count == 4
