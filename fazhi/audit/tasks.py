"""Scheduled work of the audit chain (Celery beat, see ``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from .services import write_checkpoint as _write_checkpoint


@shared_task(name="fazhi.audit.tasks.write_checkpoint")
def write_checkpoint() -> str:
    """Write a signed checkpoint of the head to the second location (hourly; nothing if the head did not move)."""
    path = _write_checkpoint()
    return str(path or "")
