"""Reminders: feedback whose verification deadline is near (today or the next working day) or passed without an
answer, and rectification items due within 3 days. One reminder per item per day, in-app and by e-mail; for the
初步结果反馈 one reminder per unit per day, however many of its items are unanswered. Run daily by Celery beat
(``CELERY_BEAT_SCHEDULE["feedback-reminders"]``)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.orgs.models import Role, User

from .models import Feedback, FeedbackStatus, Rectification, RectificationStatus
from .notify import notify, people_of


def _due_soon(deadline: dt.datetime, now: dt.datetime) -> bool:
    return deadline - now <= dt.timedelta(days=2)


def _remind_rounds(now: dt.datetime, today_start: dt.datetime) -> int:
    """初步结果反馈: one reminder per unit and day (not one per item) while items are unanswered and the deadline
    is near; the items are grouped in SQL, the people read in one query."""
    groups = list(Feedback.objects.filter(
        round__isnull=False, status=FeedbackStatus.SENT, deadline__isnull=False,
        deadline__gte=now - dt.timedelta(days=1), deadline__lte=now + dt.timedelta(days=2),
    ).exclude(reminded_at__gte=today_start).values("round_id", "unit_id", "campaign_id", "campaign__name").annotate(
        n=Count("pk"), deadline=Min("deadline")))
    if not groups:
        return 0
    people: dict[int, list] = {}
    for person in User.objects.filter(unit_id__in={g["unit_id"] for g in groups}, role=Role.ASSESSED,
                                      is_active=True):
        people.setdefault(person.unit_id, []).append(person)
    for g in groups:
        overdue = now > g["deadline"]
        text = (_("%(campaign)s 初步结果核实已逾期（截止 %(d)s），还有 %(n)d 项未答复") if overdue else
                _("%(campaign)s 初步结果待核实，截止 %(d)s，还有 %(n)d 项未答复")) % {
            "campaign": g["campaign__name"], "d": timezone.localtime(g["deadline"]).strftime("%Y-%m-%d %H:%M"),
            "n": g["n"]}
        notify(people.get(g["unit_id"], ()), subject=_("考核初步结果核实提醒"), text=text,
               link=reverse("reviews:my_draft", args=[g["campaign_id"]]))
        Feedback.objects.filter(round_id=g["round_id"], unit_id=g["unit_id"], status=FeedbackStatus.SENT).update(
            reminded_at=now)
    return len(groups)


@shared_task
def send_reminders(now_iso: str | None = None) -> int:
    now = dt.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    sent = _remind_rounds(now, today_start)
    pending = Feedback.objects.filter(status=FeedbackStatus.SENT, deadline__isnull=False, round__isnull=True).exclude(
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
