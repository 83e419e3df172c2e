"""Background work: reading an uploaded document into a task preview (eager in the demo and tests)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def run_import(job_id: int) -> str:
    """Read the ImportJob's document with the text toolkit; progress is saved on the job in steps."""
    from .services import import_job_run

    return import_job_run(job_id=job_id).status
