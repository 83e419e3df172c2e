"""Celery application. In the embedded default, tasks run eagerly in-process (CELERY_TASK_ALWAYS_EAGER).

When a worker starts it recovers the jobs a dead worker left behind (``fazhi.io.jobs.recover_stale_jobs``)."""

import logging
import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("fazhi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["fazhi.io"], related_name="jobs")


@worker_ready.connect
def _recover_stale_jobs(**_kwargs) -> None:
    from fazhi.io.jobs import recover_stale_jobs

    try:
        count = recover_stale_jobs()
    except Exception:  # a worker must still start if the database is briefly away
        logging.getLogger(__name__).exception("stale job recovery at worker start failed")
        return
    logging.getLogger(__name__).info("worker start: %d stale job(s) recovered", count)
