"""Bulk import of past annual reports from a zip (批量导入).

Rules:
- the archive is checked before anything is read: a valid zip, at most ``MAX_ENTRIES`` files, total
  uncompressed size ≤ ``MAX_UNCOMPRESSED`` and no entry compressed more than ``MAX_RATIO``:1 (zip bomb),
  no absolute or ``..`` names (path traversal) — a bad archive is refused whole with a message;
- nothing is extracted to disk: each entry is read in memory (bounded) and passed to the toolkit;
- each file is matched to a unit of the office's subtree by name in the file name or the text's head, and to a
  year (``2023年…报告`` in the title, else a year in the file name, else the job's default year);
- each file is imported in its own transaction (``services.report_save``): one bad file is listed with its
  error and the others are imported; no report is ever half-written.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from fazhi.audit.services import record_event
from fazhi.orgs import policies
from fazhi.orgs.models import Unit

from . import analysis, services
from .models import BulkImportJob, JobStatus, ReportStatus

MAX_ENTRIES = 500
MAX_UNCOMPRESSED = 300 * 1024 * 1024
MAX_RATIO = 150
READABLE = {".txt", ".html", ".htm", ".docx", ".pdf"}
YEAR_IN_TITLE = re.compile(r"(20\d{2})\s*年度?(?:法治政府|依法行政|法治建设)")
YEAR_ANY = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


class ArchiveRefused(ValueError):
    """The archive as a whole is refused (not a zip, zip bomb, path traversal, too many files)."""


def check_archive(data: bytes) -> list[zipfile.ZipInfo]:
    """The entries to import, or ``ArchiveRefused`` with a user-facing message."""
    if len(data) > services.max_upload_bytes() * 5:
        raise ArchiveRefused("压缩包过大")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ArchiveRefused("不是有效的 zip 压缩包") from None
    if len(infos) > MAX_ENTRIES:
        raise ArchiveRefused(f"文件过多（{len(infos)} 个，上限 {MAX_ENTRIES} 个）")
    total = 0
    entries = []
    for info in infos:
        name = info.filename
        path = PurePosixPath(name.replace("\\", "/"))
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in path.parts:
            raise ArchiveRefused(f"压缩包含有不安全的路径：{name[:100]}")
        if info.is_dir():
            continue
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1024 * 1024:
            raise ArchiveRefused(f"压缩比异常（疑似压缩炸弹）：{name[:100]}")
        if total > MAX_UNCOMPRESSED:
            raise ArchiveRefused("解压后总大小超过上限（疑似压缩炸弹）")
        if path.name.startswith(".") or "__MACOSX" in path.parts:
            continue
        entries.append(info)
    if not entries:
        raise ArchiveRefused("压缩包中没有文件")
    return entries


@transaction.atomic
def bulk_import_create(*, user, data: bytes, filename: str, default_year: int | None, accept: bool) -> BulkImportJob:
    if not policies.has_role(user, "office") or (policies.jurisdiction(user) is None and not user.is_superuser):
        raise PermissionDenied
    entries = check_archive(data)
    job = BulkImportJob(created_by=user, archive_name=filename[:255], default_year=default_year, accept=accept,
                        total=len(entries))
    job.full_clean(exclude=["archive"])
    job.save()
    job.archive.save((filename or "reports.zip")[-80:], ContentFile(data), save=True)
    record_event(actor=user, action="reports.bulk_import_create", target=job, before=None,
                 after={"file": job.archive_name, "count": job.total, "year": default_year, "accept": accept},
                 unit=policies.jurisdiction(user))
    return job


def match_unit(candidates: list[Unit], filename: str, head: str) -> Unit | None:
    """The unit whose code or name (longest first) appears in the file name, else in the text's head."""
    stem = PurePosixPath(filename).stem
    for unit in candidates:
        if re.search(rf"(?<![0-9A-Za-z]){re.escape(unit.code)}(?![0-9A-Za-z])", stem):
            return unit
    names = []
    for unit in candidates:
        for name in {unit.name, unit.short_name, unit.name.removesuffix("人民政府"), unit.region}:
            if name and len(name) >= 2:
                names.append((name, unit))
    names.sort(key=lambda pair: len(pair[0]), reverse=True)
    for source in (stem, head):
        for name, unit in names:
            if name in source:
                return unit
    return None


def match_year(filename: str, head: str, default: int | None) -> int | None:
    for pattern, source in ((YEAR_IN_TITLE, head), (YEAR_ANY, PurePosixPath(filename).stem)):
        found = pattern.search(source)
        if found:
            return int(found.group(1))
    return default


def import_entry(job: BulkImportJob, name: str, data: bytes, candidates: list[Unit]) -> dict:
    """Import one file in its own transaction; returns its result row."""
    try:
        text = analysis.read_upload(data, name, services.max_upload_bytes())
        head = text.strip()[:300]
        unit = match_unit(candidates, name, head)
        if unit is None:
            return {"file": name, "ok": False, "message": "无法从文件名或标题识别单位"}
        year = match_year(name, head, job.default_year)
        if year is None:
            return {"file": name, "ok": False, "message": "无法识别报告年度，请在任务中填写默认年度"}
        with transaction.atomic():
            report = services.report_save(
                user=job.created_by, unit=unit, year=year, text=text, filename=name,
                status=ReportStatus.ACCEPTED if job.accept else ReportStatus.SUBMITTED,
            )
        return {"file": name, "ok": True, "message": f"{unit.name} {year}", "report": report.pk}
    except analysis.DocumentError as exc:
        return {"file": name, "ok": False, "message": str(exc)}
    except ValidationError as exc:
        return {"file": name, "ok": False, "message": "；".join(exc.messages)}
    except PermissionDenied:
        return {"file": name, "ok": False, "message": "无权导入该单位的报告"}


def run_job(job_id: int) -> BulkImportJob:
    """Import every file of the job, saving its result after each (the heartbeat ``updated_at`` moves with it).

    Run again after a worker died midway (redelivery or ``recover_jobs``), it resumes after the files already
    done; a job already finished is left as it is."""
    job = BulkImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status in (JobStatus.DONE, JobStatus.FAILED):
        return job
    job.status, job.updated_at = JobStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "updated_at"])
    try:
        with job.archive.open("rb") as fh:
            data = fh.read()
        entries = check_archive(data)
        candidates = list(policies.managed_units(job.created_by))
        results = list(job.results or [])
        done = {row.get("file") for row in results}
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in entries:
                if info.filename in done:
                    continue
                with archive.open(info) as member:
                    content = member.read(services.max_upload_bytes() + 1)
                name = info.filename
                if PurePosixPath(name).suffix.lower() not in READABLE:
                    row = {"file": name, "ok": False, "message": "不支持的文件类型（支持 .txt .html .docx .pdf）"}
                else:
                    row = import_entry(job, name, content, candidates)
                results.append(row)
                job.results, job.processed, job.updated_at = results, len(results), timezone.now()
                job.save(update_fields=["results", "processed", "updated_at"])
        job.status = JobStatus.DONE
    except ArchiveRefused as exc:
        job.status = JobStatus.FAILED
        job.message = str(exc)
    job.finished_at = job.updated_at = timezone.now()
    with transaction.atomic():
        job.save(update_fields=["status", "message", "finished_at", "updated_at"])
        record_event(actor="system", action="reports.bulk_import_run", target=job, before=None, after={
            "status": job.status, "count": job.processed, "rows": sum(1 for r in job.results if r.get("ok")),
            "message": job.message}, unit=policies.jurisdiction(job.created_by))
    return job


@transaction.atomic
def bulk_import_fail(*, job: BulkImportJob, message: str) -> BulkImportJob:
    """The job could not be started (the task queue refused it): failed with the message, never left pending."""
    job.status, job.message, job.finished_at = JobStatus.FAILED, str(message)[:1000], timezone.now()
    job.updated_at = job.finished_at
    job.save(update_fields=["status", "message", "finished_at", "updated_at"])
    record_event(actor="system", action="reports.bulk_import_fail", target=job, before=None,
                 after={"status": job.status, "message": job.message}, unit=policies.jurisdiction(job.created_by))
    return job


@transaction.atomic
def bulk_imports_requeue(*, cutoff) -> list[BulkImportJob]:
    """The jobs pending or running with no progress since ``cutoff``, put back in the queue (audited)."""
    stale = list(BulkImportJob.objects.select_for_update(skip_locked=True).filter(
        status__in=[JobStatus.PENDING, JobStatus.RUNNING], updated_at__lt=cutoff).select_related("created_by"))
    for job in stale:
        before = job.status
        job.status, job.updated_at = JobStatus.PENDING, timezone.now()
        job.save(update_fields=["status", "updated_at"])
        record_event(actor="system", action="reports.bulk_import_requeue", target=job, before={"status": before},
                     after={"status": job.status, "count": job.processed},
                     unit=policies.jurisdiction(job.created_by))
    return stale
