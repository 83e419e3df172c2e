"""Background work: reading an uploaded document into a task preview (eager in the demo and tests).

``import_job_dispatch`` sends a job to a worker, or fails it with a clear message when the queue is down
(finding 6 of issue 14); ``recover_imports`` re-sends the jobs a dead worker left (registered with
``fazhi.io.jobs`` in ``PlansConfig.ready``)."""

from __future__ import annotations

import datetime

from celery import shared_task

from fazhi.io.jobs import dispatch_or_fail, resend_after_commit

from . import services
from .models import ImportJob


@shared_task
def run_import(job_id: int) -> str:
    """Read the ImportJob's document with the text toolkit; progress is saved on the job in steps."""
    return services.import_job_run(job_id=job_id).status


def import_job_dispatch(*, job: ImportJob) -> bool:
    """Send the reading to a worker; if the queue refuses it, the job is failed with the message (False)."""
    return dispatch_or_fail(run_import, job, services.import_job_fail)


def recover_imports(cutoff: datetime.datetime) -> int:
    return resend_after_commit(services.import_jobs_requeue(cutoff=cutoff), import_job_dispatch)
