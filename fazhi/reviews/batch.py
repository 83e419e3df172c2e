"""初步结果反馈 — the draft results sent to every assessed unit at once (seed 001 §五: "考核对象要在5个工作日内进行
核实"), the unit's item-by-item answer, and the office's overview.

- ``feedback_batch_preview`` / ``feedback_batch_send``: one confirmed action (a one-time confirmation bound to the
  numbers, ``fazhi.audit.confirm``) sends every assessed unit of a computed campaign its draft detail: one
  ``Feedback`` item per submitted score below full marks (sub-unit cells included) and per deduction item, each
  with its reason and assessing unit. A campaign still ``已计算`` takes the lifecycle's ``open_feedback`` step
  (``lifecycle.campaign_transition``) in the same transaction; the items share one deadline, the end of the 5th
  working day (official calendar, ``calendar``). One round per campaign.
- the unit answers each item with ``services.feedback_accept`` (确认) or ``services.review_request`` (提出异议, 复核)
  inside the window; the publish guard (``guards``) waits for every item still inside its window.
- ``round_totals`` / ``round_units``: counts by state (SQL aggregates), per unit, paged.
- ``unit_draft``: what one assessed unit sees — its own items only, never another unit's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.assessment import lifecycle
from fazhi.assessment.models import (
    Adjustment,
    AdjustmentKind,
    Campaign,
    CampaignStatus,
    CampaignUnit,
    Result,
    Score,
    ScoreStatus,
)
from fazhi.audit.confirm import confirmation_issue, confirmation_redeem
from fazhi.audit.services import record_event
from fazhi.orgs.models import Role, User

from . import calendar, policies
from .models import VERIFY_WORKING_DAYS, Feedback, FeedbackRound, FeedbackStatus, Notice

ACTION = "reviews.feedback_batch"
#: statuses from which the draft results can be sent (``已计算`` moves on to ``反馈核实中``)
BATCH_STATUSES = (CampaignStatus.COMPUTED, CampaignStatus.FEEDBACK)
NO_REASON = "（评分未填写扣分理由）"


@dataclass
class DraftItem:
    """One line of a unit's draft detail, before it is written as a ``Feedback`` item."""

    unit_id: int
    text: str
    indicator_id: int | None = None
    score_id: int | None = None
    subunit_id: int | None = None
    adjustment_id: int | None = None
    assessing_unit_id: int | None = None
    draft_value: Decimal | None = None
    full_points: Decimal | None = None


def draft_items(campaign: Campaign) -> list[DraftItem]:
    """Every submitted score below full marks (sub-unit cells included) and every deduction item of the campaign's
    assessed units, in two queries."""
    members = CampaignUnit.objects.filter(campaign=campaign).values("unit_id")
    items = []
    for score in (Score.objects.filter(campaign=campaign, status=ScoreStatus.SUBMITTED, unit__in=members)
                  .select_related("indicator").order_by("unit_id", "indicator__sort", "indicator__code", "subunit_id")):
        if score.indicator.points is None or score.value >= score.indicator.points:
            continue
        items.append(DraftItem(unit_id=score.unit_id, text=score.reason.strip() or NO_REASON,
                               indicator_id=score.indicator_id, score_id=score.pk, subunit_id=score.subunit_id,
                               assessing_unit_id=score.scored_by_unit_id, draft_value=score.value,
                               full_points=score.indicator.points))
    for adj in (Adjustment.objects.filter(campaign=campaign, kind=AdjustmentKind.DEDUCTION, unit__in=members)
                .select_related("created_by").order_by("unit_id", "created_at", "pk")):
        text = adj.reason.strip() + (f"（{adj.source}）" if adj.source else "")
        items.append(DraftItem(unit_id=adj.unit_id, text=text or NO_REASON, adjustment_id=adj.pk,
                               assessing_unit_id=adj.created_by.unit_id if adj.created_by_id else None,
                               draft_value=-adj.points))
    return items


def _check_campaign(user, campaign: Campaign) -> Campaign:
    if not policies.managed_campaigns(user).filter(pk=campaign.pk).exists():
        raise PermissionDenied
    campaign = Campaign.objects.select_related("owner").get(pk=campaign.pk)
    if FeedbackRound.objects.filter(campaign=campaign).exists():
        raise ValidationError(_("本次考核已发送初步结果反馈，不能重复发送"))
    if campaign.frozen or campaign.status not in BATCH_STATUSES:
        raise ValidationError(_("考核当前为“%(status)s”，计算结果后才能发送初步结果反馈")
                              % {"status": campaign.get_status_display()})
    if not campaign.results.exists():
        raise ValidationError(_("尚未计算考核结果"))
    return campaign


def _deadline_text(deadline, warning: str) -> str:
    if deadline is None:
        return warning or _("日历未定")
    return timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M")


def consequences(campaign: Campaign, items: list[DraftItem], deadline, warning: str) -> list[str]:
    """What the send will do, in numbers (the confirmation is bound to these sentences)."""
    units = campaign.results.count()
    scores = sum(1 for i in items if i.score_id)
    return [
        _("将向 %(n)d 个被考核单位发送初步结果，共 %(m)d 项扣分（未得满分的评分 %(s)d 项、扣分事项 %(a)d 项），"
          "每项附扣分理由和考核主体。") % {"n": units, "m": len(items), "s": scores, "a": len(items) - scores},
        _("各单位须在 %(days)d 个工作日内（截止 %(deadline)s）逐项确认或提出异议；逾期未答复的视为无异议，"
          "核实期内的反馈未答复前不能公布结果。") % {"days": VERIFY_WORKING_DAYS,
                                         "deadline": _deadline_text(deadline, warning)},
        _("初步结果只发给各单位本单位的部分，不公开。发送后不能撤回。"),
    ]


def feedback_batch_preview(*, user, campaign: Campaign, now: dt.datetime | None = None):
    """The consequences in numbers and a one-time confirmation (``confirmation_issue``); refused like the send."""
    campaign = _check_campaign(user, campaign)
    now = now or timezone.now()
    deadline, warning = calendar.verification_deadline(campaign.owner, now)
    return confirmation_issue(user=user, action=ACTION, target=campaign,
                              consequences=consequences(campaign, draft_items(campaign), deadline, warning))


def _tell_units(campaign: Campaign, round_: FeedbackRound, counts: dict[int, int]) -> int:
    """One notice per person of each assessed unit (one insert), and the e-mails after commit."""
    totals = dict(Result.objects.filter(campaign=campaign).values_list("unit_id", "total"))
    link = reverse("reviews:my_draft", args=[campaign.pk])
    deadline = _deadline_text(round_.deadline, round_.deadline_warning)
    notices, mails = [], []
    for person in User.objects.filter(unit_id__in=totals, role=Role.ASSESSED, is_active=True).only(
            "pk", "unit_id", "email"):
        text = _("%(campaign)s 初步结果：本单位初步得分 %(total)s，共 %(n)d 项扣分，请于 %(deadline)s 前逐项确认"
                 "或提出异议") % {"campaign": campaign.name, "total": totals[person.unit_id],
                             "n": counts.get(person.unit_id, 0), "deadline": deadline}
        notices.append(Notice(user=person, text=text[:300], link=link))
        if person.email:
            mails.append((_("考核初步结果待核实"), f"{text}\n\n{link}", settings.DEFAULT_FROM_EMAIL, [person.email]))
    Notice.objects.bulk_create(notices, batch_size=1000)
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return len(notices)


@transaction.atomic
def feedback_batch_send(*, user, campaign: Campaign, confirmation, now: dt.datetime | None = None) -> FeedbackRound:
    """Send every assessed unit its draft detail (one confirmed action). Refused — nothing written — without a
    valid confirmation for exactly these numbers, twice, or before the results are computed."""
    campaign = _check_campaign(user, campaign)
    campaign = Campaign.objects.select_for_update().select_related("owner").get(pk=campaign.pk)
    now = now or timezone.now()
    deadline, warning = calendar.verification_deadline(campaign.owner, now)
    items = draft_items(campaign)
    confirmation_redeem(user=user, token=confirmation, action=ACTION, target=campaign,
                        consequences=consequences(campaign, items, deadline, warning))
    if campaign.status == CampaignStatus.COMPUTED:  # the lifecycle's own step, by its one writer
        campaign = lifecycle.campaign_transition(user=user, campaign=campaign, action="open_feedback", now=now)
    round_ = FeedbackRound.objects.create(campaign=campaign, sent_by=user, sent_at=now, deadline=deadline,
                                          deadline_warning=warning[:300], units=campaign.results.count(),
                                          items=len(items))
    Feedback.objects.bulk_create([
        Feedback(campaign=campaign, round=round_, unit_id=i.unit_id, indicator_id=i.indicator_id, text=i.text,
                 score_id=i.score_id, subunit_id=i.subunit_id, adjustment_id=i.adjustment_id,
                 assessing_unit_id=i.assessing_unit_id, draft_value=i.draft_value, full_points=i.full_points,
                 sent_by=user, sent_at=now, deadline=deadline, deadline_warning=warning[:300])
        for i in items
    ], batch_size=1000)
    counts: dict[int, int] = {}
    for i in items:
        counts[i.unit_id] = counts.get(i.unit_id, 0) + 1
    people = _tell_units(campaign, round_, counts)
    record_event(actor=user, action="feedback.batch_send", target=round_, before=None,
                 after={"campaign": campaign.pk, "units": round_.units, "items": round_.items, "people": people,
                        "deadline": deadline, "deadline_warning": warning}, unit=campaign.owner)
    return round_


# --- the office's overview -----------------------------------------------------------------------------------------

#: the states the overview counts and filters by (key -> label); ``overdue``: unanswered after the deadline
STATES = ("sent", "overdue", "accepted", "review", "decided")


def _state_counts(now: dt.datetime) -> dict:
    open_ = Q(status=FeedbackStatus.SENT)
    return {
        "total": Count("pk"),
        "sent": Count("pk", filter=open_ & ~Q(deadline__lt=now)),
        "overdue": Count("pk", filter=open_ & Q(deadline__lt=now)),
        "accepted": Count("pk", filter=Q(status=FeedbackStatus.ACCEPTED)),
        "review": Count("pk", filter=Q(status=FeedbackStatus.REVIEW)),
        "decided": Count("pk", filter=Q(status=FeedbackStatus.DECIDED)),
    }


def round_totals(round_: FeedbackRound, now: dt.datetime | None = None) -> dict:
    """Counts of the round's items by state, and how many units have answered everything (SQL aggregates)."""
    now = now or timezone.now()
    totals = Feedback.objects.filter(round=round_).aggregate(**_state_counts(now))
    per_unit = Feedback.objects.filter(round=round_).values("unit_id").annotate(
        open=Count("pk", filter=Q(status=FeedbackStatus.SENT)))
    totals["units_waiting"] = per_unit.filter(open__gt=0).count()
    totals["units_with_items"] = per_unit.count()
    totals["units_without_items"] = max(round_.units - totals["units_with_items"], 0)
    return totals


def round_units(round_: FeedbackRound, state: str = "", now: dt.datetime | None = None):
    """One row per unit with items (name, counts by state, earliest deadline), as a query for paging; ``state``
    keeps the units with at least one item in that state."""
    now = now or timezone.now()
    rows = (Feedback.objects.filter(round=round_).values("unit_id", "unit__name", "unit__code")
            .annotate(**_state_counts(now), deadline=Min("deadline")).order_by("unit__path"))
    if state in STATES:
        rows = rows.filter(**{f"{state}__gt": 0})
    return rows


# --- what one assessed unit sees ------------------------------------------------------------------------------------

def unit_draft(user, campaign_pk: int) -> dict:
    """The draft detail of the user's own unit: its result as computed now and its items. 404 (``Http404``) for a
    campaign without a round, or a unit that is not assessed in it — never another unit's items."""
    from django.http import Http404

    round_ = FeedbackRound.objects.select_related("campaign").filter(campaign_id=campaign_pk).first()
    if round_ is None:  # a missing object is 404 for everyone who may use the page (the platform admin too)
        raise Http404
    if not policies.is_assessed(user):
        raise PermissionDenied
    result = Result.objects.filter(campaign_id=campaign_pk, unit_id=user.unit_id).select_related("campaign").first()
    if result is None:
        raise Http404
    items = list(Feedback.objects.filter(round=round_, unit_id=user.unit_id).select_related(
        "indicator", "subunit", "assessing_unit", "review").order_by("adjustment_id", "indicator__sort",
                                                                    "indicator__code", "subunit__path", "pk"))
    now = timezone.now()
    return {"round": round_, "campaign": round_.campaign, "result": result, "items": items,
            "open": sum(1 for i in items if i.is_open), "window_open": round_.deadline is None or now <= round_.deadline,
            "released": round_.campaign.status in lifecycle.RELEASED_STATUSES}
