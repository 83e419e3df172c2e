"""Background work of the reports app (eager in the demo and the tests)."""

from celery import shared_task


@shared_task
def run_bulk_import(job_id: int) -> int:
    """Import every file of a bulk import job (progress saved after each file)."""
    from .bulk import run_job

    return run_job(job_id).processed
