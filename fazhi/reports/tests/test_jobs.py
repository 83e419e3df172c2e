"""Finding 6 of issue 14 for bulk report imports: Redis down → a clear message and no job pending; an import
killed midway resumes after the files already done when recovered."""

import datetime as dt
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fazhi.audit.models import AuditEvent
from fazhi.io.jobs import recover_stale_jobs
from fazhi.reports import bulk
from fazhi.reports.models import AnnualReport, BulkImportJob, JobStatus

REPORT = "{name}2023年法治政府建设情况报告\n一、主要举措\n推进依法行政。\n二、存在问题\n三、下一步安排\n"


def _zip(units) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for code in ("C1", "C2"):
            archive.writestr(f"{units[code].name}.txt", REPORT.format(name=units[code].name))
    return buffer.getvalue()


def test_broker_down_gives_a_message_and_leaves_nothing_pending(people, units, client_for, broker_down):
    response = client_for(people["office"]).post(reverse("reports:bulk_import"), {
        "file": SimpleUploadedFile("r.zip", _zip(units)), "default_year": 2023})
    assert response.status_code == 503
    assert "后台任务服务暂时不可用" in response.content.decode()
    job = BulkImportJob.objects.get()
    assert job.status == JobStatus.FAILED and "后台任务服务暂时不可用" in job.message
    assert AnnualReport.objects.count() == 0
    assert AuditEvent.objects.filter(action="reports.bulk_import_fail").exists()


def test_job_killed_midway_is_resumed_not_redone(people, units, settings, django_capture_on_commit_callbacks):
    job = bulk.bulk_import_create(user=people["office"], data=_zip(units), filename="r.zip", default_year=2023,
                                  accept=False)
    first = f"{units['C1'].name}.txt"
    # the worker imported the first file and died: RUNNING, one result, no progress since
    row = bulk.import_entry(job, first, REPORT.format(name=units["C1"].name).encode(), [units["C1"], units["C2"]])
    old = timezone.now() - dt.timedelta(seconds=settings.FAZHI_JOB_STALE_SECONDS + 1)
    BulkImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, results=[row], processed=1,
                                                   updated_at=old)
    saved_first = AnnualReport.objects.get(unit=units["C1"]).updated_at
    with django_capture_on_commit_callbacks(execute=True):  # the re-send happens once the requeue commits
        assert recover_stale_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.processed == 2 and [r["ok"] for r in job.results] == [True, True]
    assert AnnualReport.objects.get(unit=units["C1"]).updated_at == saved_first  # not imported twice
    assert AnnualReport.objects.filter(unit=units["C2"], year=2023).exists()
    assert recover_stale_jobs() == 0  # nothing left to recover
