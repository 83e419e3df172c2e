"""Background jobs that outlive a request (后台任务): sending them, and recovering the ones a dead worker left.

Finding 6 of issue 14: with the broker (Redis) down, ``task.delay()`` raised inside the view — a 500 — and the job
row stayed "pending" forever; a worker killed in the middle of a bulk import left it "running" forever.

- ``dispatch(task, job_id)`` sends the task or raises ``BrokerUnavailable`` quickly (short connect timeouts in
  settings); the caller marks its job failed with ``BrokerUnavailable.message`` and tells the user.
- Apps register a recovery function (``register_recovery``) in their ``AppConfig.ready()``; it re-sends its jobs
  that are pending or running with no progress for ``FAZHI_JOB_STALE_SECONDS``. Recovery runs when a worker starts
  (``config/celery.py``, signal ``worker_ready``) and every five minutes (beat: ``recover_stale_jobs``); the
  tasks acknowledge late, so a job whose worker died is also redelivered by the broker.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)

Recovery = Callable[[dt.datetime], int]
_recoveries: dict[str, Recovery] = {}


class BrokerUnavailable(Exception):
    """The task queue did not accept the job (the broker is down or unreachable)."""

    message = _("后台任务服务暂时不可用，文件未开始处理。请稍后重新上传；如持续出现，请联系系统管理员。")


def dispatch(task, *args) -> None:
    """Send ``task(*args)`` to the queue (or run it at once in eager mode); ``BrokerUnavailable`` if refused."""
    try:
        task.apply_async(args=args, retry=True, retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY)
    except (OperationalError, OSError) as exc:  # kombu wraps redis/amqp connection errors in OperationalError
        logger.warning("task %s(%s) not sent: broker unavailable: %s", task.name, args, exc)
        raise BrokerUnavailable(str(exc)) from exc


def dispatch_or_fail(task, job, fail: Callable) -> bool:
    """Send ``task(job.pk)``; when the queue refuses it, ``fail(job=job, message=…)`` marks the job failed with
    the user-facing message (nothing is left pending) and False is returned."""
    try:
        dispatch(task, job.pk)
    except BrokerUnavailable:
        fail(job=job, message=str(BrokerUnavailable.message))
        return False
    return True


def resend_after_commit(jobs, send: Callable) -> int:
    """Re-send each job once the transaction that put it back in the queue has committed; returns how many."""
    for job in jobs:
        transaction.on_commit(lambda job=job: send(job=job))
    return len(jobs)


def register_recovery(name: str, recovery: Recovery) -> None:
    """``recovery(cutoff)`` re-sends the jobs with no progress since ``cutoff`` and returns how many."""
    _recoveries[name] = recovery


def stale_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(seconds=settings.FAZHI_JOB_STALE_SECONDS)


@shared_task(name="fazhi.io.jobs.recover_stale_jobs")
def recover_stale_jobs() -> int:
    """Re-send every registered app's stale jobs; returns how many were recovered."""
    cutoff = stale_cutoff()
    total = 0
    for name, recovery in sorted(_recoveries.items()):
        count = recovery(cutoff)
        if count:
            logger.info("recovered %d stale %s job(s)", count, name)
        total += count
    return total
