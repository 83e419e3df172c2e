"""Celery beat's schedule names tasks that exist (a typo would silently schedule nothing)."""

from django.conf import settings


def test_every_scheduled_task_is_registered():
    from config.celery import app

    app.loader.import_default_modules()
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"fazhi.audit.tasks.write_checkpoint", "fazhi.io.jobs.recover_stale_jobs"} <= names
    assert names <= set(app.tasks), names - set(app.tasks)
