"""Deadline reminders for self-reports (beat: daily, ``CELERY_BEAT_SCHEDULE["selfreport-reminders"]``)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from . import services


@shared_task
def send_deadline_reminders(today_iso: str | None = None) -> int:
    """Remind units whose self-report is due within 2 working days; returns the units reminded."""
    today = dt.date.fromisoformat(today_iso) if today_iso else None
    return services.reminders_send(today=today)
