"""数据备份恢复: ``fazhi backup`` then ``fazhi restore`` into an empty database (SQLite or PostgreSQL, whichever
the suite runs on) gives back the data, the uploaded files and an audit chain that ``fazhi audit verify`` passes.
A damaged backup or a database that already holds data is refused, and nothing is changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from fazhi.audit import backup as backups
from fazhi.audit import services
from fazhi.audit.models import AuditEvent
from fazhi.plans import services as plan_services

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads committed data
ROOT = Path(__file__).resolve().parents[3]
DOC = "2026年工作安排\n一、总体要求\n（一）加强领导。\n".encode()


@pytest.fixture
def site(settings, tmp_path, people, units):
    settings.FAZHI_AUDIT_ANCHOR = tmp_path / "audit" / "anchor.json"
    settings.FAZHI_AUDIT_CHECKPOINT_DIR = tmp_path / "audit" / "checkpoints"
    settings.MEDIA_ROOT = tmp_path / "media"
    job = plan_services.import_job_create(user=people["office"], upload=SimpleUploadedFile("安排.txt", DOC),
                                          year=2026)
    with transaction.atomic():
        services.record_event(actor=people["office"], action="test.change", target=units["C1"],
                              before={"v": 1}, after={"v": 2}, reason="备份前")
    services.write_checkpoint()
    return job


@pytest.fixture
def empty_target(tmp_path):
    """An empty database of the suite's engine, as a DATABASE_URL (dropped afterwards)."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restore"
    base = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield f"{base}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fazhi(args, url, data_dir):
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(DATABASE_URL=url, FAZHI_DEBUG="true", FAZHI_DATA_DIR=str(data_dir),
               FAZHI_AUDIT_DIR=str(data_dir / "audit"))
    return subprocess.run([sys.executable, "-m", "fazhi.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300, check=False)


def test_round_trip_into_an_empty_database_passes_audit_verify(site, tmp_path, empty_target):
    folder = backups.backup(output=tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["audit_head"]["count"] == AuditEvent.objects.count()
    assert any(name.startswith("media/plans/imports/") for name in manifest["files"])
    assert any(name.startswith("audit/checkpoints/") for name in manifest["files"])
    # written after the snapshot: not in the backup, and the backup's anchor does not claim it
    with transaction.atomic():
        services.record_event(actor="system", action="test.after", target=None, before=None, after={"v": 3})

    restored = tmp_path / "restored-site"
    result = fazhi(["restore", str(folder)], empty_target, restored)
    assert result.returncode == 0, result.stderr
    assert "audit chain intact" in result.stdout
    verify = fazhi(["audit", "verify"], empty_target, restored)
    assert verify.returncode == 0, verify.stderr
    assert f"{manifest['audit_head']['count']} events, 1 signed checkpoints" in verify.stdout
    media = restored / "media" / site.source_file.name
    assert media.read_bytes() == DOC
    again = fazhi(["restore", str(folder)], empty_target, restored)  # the database holds data now
    assert again.returncode != 0 and "not empty" in again.stderr


def test_a_damaged_backup_is_refused_before_anything_changes(site, tmp_path, empty_target):
    folder = backups.backup(output=tmp_path / "backups")
    media = next(p for p in (folder / "media").rglob("*") if p.is_file())
    media.write_bytes(b"changed")
    result = fazhi(["restore", str(folder)], empty_target, tmp_path / "restored-site")
    assert result.returncode != 0 and "checksum differs" in result.stderr
    assert not (tmp_path / "restored-site" / "media").exists()
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(folder=backups.backup(output=tmp_path / "more"))  # the suite's own database holds data
