"""Finding 6 of issue 14 for plan imports: Redis down → a clear message and no job left pending; a job a dead
worker left behind is recovered."""

import datetime as dt
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fazhi.audit.models import AuditEvent
from fazhi.io.jobs import recover_stale_jobs
from fazhi.plans.models import ImportJob, ImportStatus

DOC = "2026年工作安排\n一、总体要求\n（一）加强领导。6月底前完成。\n二、重点任务\n（一）推进立法。\n".encode()


def test_broker_down_gives_a_message_and_leaves_nothing_pending(people, client_for, broker_down):
    client = client_for(people["office"])
    started = time.monotonic()
    response = client.post(reverse("plans:import_start"), {
        "file": SimpleUploadedFile("安排.txt", DOC), "year": 2026, "title": "", "kind": "annual"})
    assert time.monotonic() - started < 15  # answers, does not hang on the dead broker
    assert response.status_code == 503
    assert "后台任务服务暂时不可用" in response.content.decode()
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and "后台任务服务暂时不可用" in job.error
    assert not ImportJob.objects.filter(status__in=[ImportStatus.PENDING, ImportStatus.RUNNING]).exists()
    assert AuditEvent.objects.filter(action="plans.import_job_fail", target_id=str(job.pk)).exists()


def test_stale_running_job_is_recovered_and_finished(people, settings, django_capture_on_commit_callbacks):
    """A worker died while reading: the job is RUNNING, untouched for longer than FAZHI_JOB_STALE_SECONDS."""
    from fazhi.plans import services

    job = services.import_job_create(user=people["office"], upload=SimpleUploadedFile("安排.txt", DOC), year=2026)
    old = timezone.now() - dt.timedelta(seconds=settings.FAZHI_JOB_STALE_SECONDS + 60)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, progress=35, updated_at=old)
    fresh = services.import_job_create(user=people["office"], upload=SimpleUploadedFile("b.txt", DOC), year=2026)
    ImportJob.objects.filter(pk=fresh.pk).update(status=ImportStatus.RUNNING)  # another worker is on it right now
    with django_capture_on_commit_callbacks(execute=True):  # the re-send happens once the requeue commits
        assert recover_stale_jobs() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.READY and job.preview["rows"]
    assert ImportJob.objects.get(pk=fresh.pk).status == ImportStatus.RUNNING
    assert AuditEvent.objects.filter(action="plans.import_job_requeue", target_id=str(job.pk)).exists()
