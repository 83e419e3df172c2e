"""Background work: reading an uploaded document into a task preview (eager in the demo and tests).

``import_job_dispatch`` sends a job to a worker, or fails it with a clear message when the queue is down
(finding 6 of issue 14); ``recover_imports`` re-sends the jobs a dead worker left (registered with
``fazhi.io.jobs`` in ``PlansConfig.ready``)."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import transaction

from fazhi.io.jobs import BrokerUnavailable, dispatch

from . import services
from .models import ImportJob


@shared_task
def run_import(job_id: int) -> str:
    """Read the ImportJob's document with the text toolkit; progress is saved on the job in steps."""
    return services.import_job_run(job_id=job_id).status


def import_job_dispatch(*, job: ImportJob) -> bool:
    """Send the reading to a worker; if the queue refuses it, the job is failed with the message (False)."""
    try:
        dispatch(run_import, job.pk)
    except BrokerUnavailable:
        services.import_job_fail(job=job, message=str(BrokerUnavailable.message))
        return False
    return True


def recover_imports(cutoff: datetime.datetime) -> int:
    stale = services.import_jobs_requeue(cutoff=cutoff)
    for job in stale:
        transaction.on_commit(lambda job=job: import_job_dispatch(job=job))
    return len(stale)
