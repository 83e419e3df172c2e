"""Backup and restore (数据备份恢复): the database, the uploaded files and the audit anchor and checkpoints, as one
consistent set with a manifest of checksums.

A backup is a folder ``fazhi-backup-<time>/``:

    manifest.json       what, when, from which engine and schema, the audit head, every file's size and SHA-256
    database.sqlite3    SQLite: a copy made with SQLite's online backup API (consistent while the site runs)
    database.dump       PostgreSQL: ``pg_dump -Fc`` of one snapshot (the audit head is read in the same snapshot)
    media/...           every uploaded file, through the configured storage (local disk or S3-compatible)
    audit/anchor.json   a signed anchor naming the head *of this snapshot* (rows written after it are not in it)
    audit/checkpoints/  the signed checkpoints up to that head

Consistency: the database is copied first, in one snapshot; the audit head is read from that snapshot and the
anchor written for it, so ``fazhi audit verify`` passes on the restored copy. Uploaded files are only ever added
(a new upload gets a new name), so copying them after the snapshot includes every file the snapshot names.
The audit **key file is not in the backup**: keep it apart (offline copy); a restore verifies with it.

``restore`` checks every checksum before it changes anything, refuses a database that already holds data unless
told to replace it, restores, then runs the chain verification and reports it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from . import services

FORMAT = 1


class BackupError(Exception):
    """A backup or restore that cannot go on (the message says which file or step)."""


@dataclass(frozen=True)
class Head:
    id: int | None
    hash: str | None
    count: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client)")
    return path


def _pg_env() -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432),
            "-U", str(db.get("USER") or "postgres")]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _head_from_sqlite(path: Path) -> Head:
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT id, hash FROM audit_auditevent ORDER BY id DESC LIMIT 1").fetchone()
        count = db.execute("SELECT COUNT(*) FROM audit_auditevent").fetchone()[0]
    return Head(row[0] if row else None, row[1] if row else None, count)


def _dump_sqlite(target: Path) -> Head:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)  # SQLite's online backup API: one consistent copy
    finally:
        destination.close()
    return _head_from_sqlite(target)


def _dump_postgres(target: Path) -> Head:
    """pg_dump of the snapshot in which the audit head is read (``pg_export_snapshot``)."""
    args, env = _pg_env()
    name = settings.DATABASES["default"]["NAME"]
    with connection.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            cursor.execute("SELECT id, hash FROM audit_auditevent ORDER BY id DESC LIMIT 1")
            row = cursor.fetchone()
            cursor.execute("SELECT COUNT(*) FROM audit_auditevent")
            count = cursor.fetchone()[0]
            result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
                [_program("pg_dump"), *args, "-Fc", "--no-owner", "--snapshot", snapshot, "-f", str(target), name],
                env=env, capture_output=True, text=True, check=False)
        finally:
            cursor.execute("ROLLBACK")
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
    return Head(row[0] if row else None, row[1] if row else None, count)


def _walk_storage(prefix: str = ""):
    directories, files = default_storage.listdir(prefix)
    for name in files:
        yield f"{prefix}{name}"
    for directory in directories:
        yield from _walk_storage(f"{prefix}{directory}/")


def _copy_media(folder: Path) -> None:
    try:
        names = list(_walk_storage())
    except FileNotFoundError:  # nothing uploaded yet
        return
    for name in names:
        target = folder / "media" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out)


def _copy_audit(folder: Path, head: Head) -> None:
    audit = folder / "audit"
    (audit / "checkpoints").mkdir(parents=True)
    if head.id is not None:
        anchor = services.signed_anchor(event_id=head.id, event_hash=head.hash)
        (audit / "anchor.json").write_text(json.dumps(anchor, ensure_ascii=False), encoding="utf-8")
    for point in services.read_checkpoints():
        if head.id is not None and isinstance(point.get("id"), int) and point["id"] <= head.id:
            source = Path(settings.FAZHI_AUDIT_CHECKPOINT_DIR) / point["_file"]
            shutil.copy2(source, audit / "checkpoints" / point["_file"])


def backup(*, output: Path) -> Path:
    """Write a backup folder under ``output`` and return it."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    folder = Path(output) / f"fazhi-backup-{stamp}"
    if folder.exists():
        raise BackupError(f"{folder} exists already")
    folder.mkdir(parents=True)
    engine = _engine()
    database = folder / ("database.dump" if engine == "postgresql" else "database.sqlite3")
    head = _dump_postgres(database) if engine == "postgresql" else _dump_sqlite(database)
    _copy_media(folder)
    _copy_audit(folder, head)
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        files[path.relative_to(folder).as_posix()] = {"size": path.stat().st_size, "sha256": _sha256(path)}
    migrations = sorted(MigrationRecorder(connection).applied_migrations())
    manifest = {
        "format": FORMAT, "created_at": timezone.now().isoformat(), "engine": engine,
        "database": database.name, "audit_head": {"id": head.id, "hash": head.hash, "count": head.count},
        "last_migrations": dict(migrations), "files": files,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def read_manifest(folder: Path) -> dict:
    """The manifest, after checking that every file it lists is there, whole and unchanged."""
    path = Path(folder) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path}: no readable manifest ({exc})") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r}")
    for name, facts in manifest.get("files", {}).items():
        file = Path(folder) / name
        if not file.is_file():
            raise BackupError(f"{name}: listed in the manifest but missing from the backup")
        if file.stat().st_size != facts["size"] or _sha256(file) != facts["sha256"]:
            raise BackupError(f"{name}: checksum differs from the manifest (the backup is damaged or was changed)")
    return manifest


def _database_has_data() -> bool:
    tables = connection.introspection.table_names()
    if "django_migrations" not in tables:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        return cursor.fetchone()[0] > 0


def _restore_sqlite(source: Path) -> None:
    connection.ensure_connection()
    origin = sqlite3.connect(source)
    try:
        origin.backup(connection.connection)
    finally:
        origin.close()


def _restore_postgres(source: Path) -> None:
    args, env = _pg_env()
    name = settings.DATABASES["default"]["NAME"]
    connection.close()
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
        [_program("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--single-transaction", "-d", name,
         str(source)], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")


def _restore_media(folder: Path) -> int:
    count = 0
    media = folder / "media"
    for path in sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []:
        name = path.relative_to(media).as_posix()
        if default_storage.exists(name):
            default_storage.delete(name)
        with path.open("rb") as stream:
            saved = default_storage.save(name, File(stream))
        if saved != name:
            raise BackupError(f"media/{name}: the storage saved it as {saved}")
        count += 1
    return count


def _restore_audit(folder: Path) -> None:
    anchor = folder / "audit" / "anchor.json"
    if getattr(settings, "FAZHI_AUDIT_ANCHOR", None) and anchor.is_file():
        target = Path(settings.FAZHI_AUDIT_ANCHOR)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(anchor, target)
    checkpoints = folder / "audit" / "checkpoints"
    directory = getattr(settings, "FAZHI_AUDIT_CHECKPOINT_DIR", None)
    if directory and checkpoints.is_dir():
        Path(directory).mkdir(parents=True, exist_ok=True)
        for path in checkpoints.glob("checkpoint-*.json"):
            shutil.copy2(path, Path(directory) / path.name)


@dataclass(frozen=True)
class RestoreReport:
    engine: str
    files: int
    chain: services.ChainReport


def restore(*, folder: Path, replace: bool = False) -> RestoreReport:
    """Restore a backup folder into the configured database, storage and audit folder; then verify the chain."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    if manifest["engine"] != _engine():
        raise BackupError(f"the backup is of {manifest['engine']}, the configured database is {_engine()}")
    if _database_has_data() and not replace:
        raise BackupError("the database is not empty: restore into an empty database, or pass --replace")
    source = folder / manifest["database"]
    if manifest["engine"] == "postgresql":
        _restore_postgres(source)
    else:
        _restore_sqlite(source)
    files = _restore_media(folder)
    _restore_audit(folder)
    expected = manifest["audit_head"].get("hash")
    return RestoreReport(manifest["engine"], files, services.verify_chain(expect_hash=expected))
