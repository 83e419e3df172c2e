"""Background work of the reports app (eager in the demo and the tests).

``bulk_import_dispatch`` sends a job or fails it with a clear message when the queue is down (finding 6 of
issue 14); ``recover_bulk_imports`` re-sends the jobs a dead worker left (``ReportsConfig.ready``)."""

from __future__ import annotations

import datetime

from celery import shared_task

from fazhi.io.jobs import dispatch_or_fail, resend_after_commit

from . import bulk
from .models import BulkImportJob


@shared_task
def run_bulk_import(job_id: int) -> int:
    """Import every file of a bulk import job (progress saved after each file; resumes after a crash)."""
    return bulk.run_job(job_id).processed


def bulk_import_dispatch(*, job: BulkImportJob) -> bool:
    return dispatch_or_fail(run_bulk_import, job, bulk.bulk_import_fail)


def recover_bulk_imports(cutoff: datetime.datetime) -> int:
    return resend_after_commit(bulk.bulk_imports_requeue(cutoff=cutoff), bulk_import_dispatch)
