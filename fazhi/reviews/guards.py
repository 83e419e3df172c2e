"""What the reviews app asks of the campaign's lifecycle (``fazhi.assessment.lifecycle``), registered from
``ReviewsConfig.ready()``: guards (reasons a step may not happen now) and reactions (what follows a step).

- submit, publish, notify: no re-review may be undecided (the score may still change);
- publish, notify: no feedback may be unanswered inside its window; past the window the office may proceed with a
  reason;
- freeze: no feedback may still be answerable inside its window, no re-review undecided;
- publish, notify: the assessed units are told their result is out (notices, e-mail after commit).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.assessment import lifecycle

from .models import Feedback, FeedbackStatus, ReviewRequest, ReviewStatus
from .notify import notify, people_of


def _undecided_reviews(campaign, **_kw):
    n = ReviewRequest.objects.filter(feedback__campaign=campaign, status=ReviewStatus.OPEN).count()
    if n:
        yield _("还有 %(n)d 件复核申请未决定，不能报请审定或公布") % {"n": n}


def _feedback_in_window(campaign, *, now, **_kw):
    waiting = Feedback.objects.filter(campaign=campaign, status=FeedbackStatus.SENT).exclude(deadline__lt=now)
    n = waiting.count()
    if n:
        yield _("还有 %(n)d 条反馈在核实期内，核实期结束后才能冻结") % {"n": n}


def _feedback_before_publication(campaign, *, now, **_kw):
    """Publication waits for every feedback inside its window; feedback left unanswered after its window closed
    lets the office proceed with a recorded reason (seed 001 §五: 5 working days to verify)."""
    open_items = Feedback.objects.filter(campaign=campaign, status=FeedbackStatus.SENT)
    waiting = open_items.exclude(deadline__lt=now)
    n = waiting.count()
    if n:
        last = waiting.exclude(deadline__isnull=True).order_by("-deadline").values_list("deadline", flat=True).first()
        until = timezone.localtime(last).strftime("%Y-%m-%d %H:%M") if last else _("日历未定")
        yield lifecycle.Blocker(_("还有 %(n)d 条反馈在核实期内（最晚截止 %(until)s），核实期结束后才能公布或通报")
                                % {"n": n, "until": until})
    overdue = open_items.filter(deadline__lt=now).count()
    if overdue:
        yield lifecycle.Blocker(_("有 %(n)d 条反馈逾期未核实") % {"n": overdue}, overridable=True)


def _undecided_reviews_freeze(campaign, **_kw):
    if ReviewRequest.objects.filter(feedback__campaign=campaign, status=ReviewStatus.OPEN).exists():
        yield _("还有复核申请未决定，不能冻结")


def _tell_units_published(campaign, *, step=None, **_kw):
    from fazhi.orgs.models import Unit

    notified = step is not None and step.action == "notify"
    subject = _("考核结果已通报") if notified else _("考核结果已公布")
    text = (_("%(campaign)s 结果已通报（不向社会公开）") if notified else _("%(campaign)s 结果已公布")) % {
        "campaign": campaign.name}
    for unit_id in campaign.results.values_list("unit_id", flat=True):
        notify(people_of(Unit(pk=unit_id)), subject=subject, text=text, link=reverse("reviews:my_results"))


def register() -> None:
    lifecycle.register_guard("submit", _undecided_reviews)
    lifecycle.register_guard("publish", _undecided_reviews)
    lifecycle.register_guard("publish", _feedback_before_publication)
    lifecycle.register_guard("notify", _undecided_reviews)
    lifecycle.register_guard("notify", _feedback_before_publication)
    lifecycle.register_guard("freeze", _feedback_in_window)
    lifecycle.register_guard("freeze", _undecided_reviews_freeze)
    lifecycle.register_reaction("publish", _tell_units_published)
    lifecycle.register_reaction("notify", _tell_units_published)
