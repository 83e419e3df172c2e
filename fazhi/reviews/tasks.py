"""Reminders: feedback whose verification deadline is near (today or the next working day) or passed without an
answer, and rectification items due within 3 days. One reminder per item per day, in-app and by e-mail."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Feedback, FeedbackStatus, Rectification, RectificationStatus
from .notify import notify, people_of


def _due_soon(deadline: dt.datetime, now: dt.datetime) -> bool:
    return deadline - now <= dt.timedelta(days=2)


@shared_task
def send_reminders(now_iso: str | None = None) -> int:
    now = dt.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    sent = 0
    pending = Feedback.objects.filter(status=FeedbackStatus.SENT, deadline__isnull=False).exclude(
        reminded_at__gte=today_start).select_related("campaign", "unit")
    for item in pending:
        if item.deadline < now - dt.timedelta(days=1) or not _due_soon(item.deadline, now):
            continue
        overdue = now > item.deadline
        text = (_("反馈核实已逾期（截止 %(d)s）：%(t)s") if overdue else _("反馈待核实，截止 %(d)s：%(t)s")) % {
            "d": timezone.localtime(item.deadline).strftime("%Y-%m-%d %H:%M"), "t": item.text[:60]}
        notify(people_of(item.unit), subject=_("考核反馈核实提醒"), text=text, link=f"/reviews/feedback/{item.pk}/")
        Feedback.objects.filter(pk=item.pk).update(reminded_at=now)
        sent += 1
    soon = timezone.localdate(now) + dt.timedelta(days=3)
    for item in Rectification.objects.filter(
        status__in=[RectificationStatus.OPEN, RectificationStatus.RETURNED], due_date__lte=soon
    ).select_related("unit"):
        notify(people_of(item.unit), subject=_("整改期限提醒"),
               text=_("整改事项将于 %(d)s 到期：%(t)s") % {"d": item.due_date, "t": item.title[:60]},
               link=f"/reviews/rectifications/{item.pk}/")
        sent += 1
    return sent
