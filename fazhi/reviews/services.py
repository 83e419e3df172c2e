"""Writes of the reviews app: calendar, feedback → verification → re-review → decision, the campaign's guards and
reactions of the campaign's approval and publication (``guards.py``; the steps are ``fazhi.assessment.lifecycle``),
rectification. Every write is atomic, validated, refused with a clear message, and audited.

Refusals raise ``django.core.exceptions.ValidationError``; nothing is written then (the transaction rolls back).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.assessment import services as assessment_services
from fazhi.assessment.models import Campaign, CampaignStatus, CampaignUnit, Indicator, Score
from fazhi.audit.services import record_event
from fazhi.io.uploads import validate_evidence_file
from fazhi.io.values import TEXT_MAX, clean_text, parse_decimal
from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role

from . import calendar, policies
from .models import (
    CalendarOverride,
    CalendarYear,
    Decision,
    Feedback,
    FeedbackStatus,
    Outcome,
    Rectification,
    RectificationReport,
    RectificationStatus,
    ReviewEvidence,
    ReviewRequest,
    ReviewStatus,
)
from .notify import notify, office_people, people_of

MAX_EVIDENCE_FILES = 10


# --- helpers ---------------------------------------------------------------------------------------------------

def _require_office_campaign(user, campaign: Campaign) -> None:
    if not policies.managed_campaigns(user).filter(pk=campaign.pk).exists():
        raise PermissionDenied


def _office_root(user):
    root = org_policies.jurisdiction(user)
    if root is None:
        raise PermissionDenied
    return root


def _text(value: str, field: str, max_length: int = TEXT_MAX) -> str:
    """Typed text, stripped; refused with a message on ``field`` if it holds control characters (NUL) or is
    longer than ``max_length`` — never silently cut."""
    return clean_text(value, field=field, max_length=max_length)


def _required_text(value: str, field: str, message: str, max_length: int = TEXT_MAX) -> str:
    text = _text(value, field, max_length)
    if not text:
        raise ValidationError({field: message})
    return text


# --- calendar ---------------------------------------------------------------------------------------------------

@transaction.atomic
def calendar_override_save(*, user, date: dt.date, is_working_day: bool, note: str = "") -> CalendarOverride:
    """Enter or change one day of the office's calendar; open feedback without a deadline is recomputed."""
    owner = _office_root(user)
    existing = CalendarOverride.objects.filter(owner=owner, date=date).first()
    before = {"is_working_day": existing.is_working_day, "note": existing.note} if existing else None
    override = existing or CalendarOverride(owner=owner, date=date, created_by=user)
    override.is_working_day = is_working_day
    override.note = _text(note, "note", 200)
    override.full_clean()
    override.save()
    record_event(actor=user, action="calendar.override", target=override, before=before,
                 after={"date": date, "is_working_day": is_working_day, "note": override.note}, unit=owner)
    feedback_refresh_deadlines(owner=owner)
    return override


@transaction.atomic
def calendar_override_delete(*, user, override: CalendarOverride) -> None:
    owner = _office_root(user)
    if override.owner_id != owner.pk:
        raise PermissionDenied
    record_event(actor=user, action="calendar.override_delete", target=override,
                 before={"date": override.date, "is_working_day": override.is_working_day, "note": override.note},
                 after=None, unit=owner)
    override.delete()


@transaction.atomic
def calendar_year_declare(*, user, year: int, note: str = "") -> CalendarYear:
    """Declare that every holiday and 调休 day of ``year`` has been entered (the official notice is out)."""
    owner = _office_root(user)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("年度应在 2000–2100 之间")})
    note = _text(note, "note", 200)
    entry, created = CalendarYear.objects.get_or_create(owner=owner, year=year,
                                                        defaults={"note": note, "created_by": user})
    if created:
        record_event(actor=user, action="calendar.year_declared", target=entry, before=None,
                     after={"year": year, "note": entry.note}, unit=owner)
        feedback_refresh_deadlines(owner=owner)
    return entry


def feedback_refresh_deadlines(*, owner) -> int:
    """Compute the deadlines that could not be computed before (the year's calendar was unknown)."""
    count = 0
    pending = Feedback.objects.filter(deadline__isnull=True, status=FeedbackStatus.SENT,
                                      campaign__owner__path__startswith=owner.path).select_related("campaign__owner")
    for item in pending:
        deadline, _warning = calendar.verification_deadline(item.campaign.owner, item.sent_at)
        if deadline is not None:
            item.deadline, item.deadline_warning = deadline, ""
            item.save(update_fields=["deadline", "deadline_warning"])
            count += 1
    return count


# --- feedback ---------------------------------------------------------------------------------------------------

FEEDBACK_STATUSES = (CampaignStatus.SCORING, CampaignStatus.COMPUTED, CampaignStatus.FEEDBACK, CampaignStatus.SUBMITTED)


@transaction.atomic
def feedback_send(*, user, campaign: Campaign, unit, text: str, indicator: Indicator | None = None,
                  sent_at: dt.datetime | None = None) -> Feedback:
    """Send a question or finding to an assessed unit; it must verify within 5 working days (seed 001 §五)."""
    _require_office_campaign(user, campaign)
    text = _required_text(text, "text", _("请填写反馈内容"))
    if campaign.frozen or campaign.status not in FEEDBACK_STATUSES:
        raise ValidationError(_("当前考核状态（%(status)s）不能发送反馈") % {"status": campaign.get_status_display()})
    if not CampaignUnit.objects.filter(campaign=campaign, unit=unit).exists():
        raise ValidationError({"unit": _("该单位不是本次考核的考核对象")})
    if indicator is not None and (indicator.campaign_id != campaign.pk or not indicator.is_leaf):
        raise ValidationError({"indicator": _("指标不属于本次考核或不是评分指标")})
    sent_at = sent_at or timezone.now()
    deadline, warning = calendar.verification_deadline(campaign.owner, sent_at)
    item = Feedback(campaign=campaign, unit=unit, indicator=indicator, text=text, sent_by=user, sent_at=sent_at,
                    deadline=deadline, deadline_warning=warning[:300])
    item.full_clean()
    item.save()
    record_event(actor=user, action="feedback.send", target=item, before=None,
                 after={"campaign": campaign.pk, "unit": unit.code,
                        "indicator": indicator.code if indicator else None, "text": text, "deadline": deadline})
    deadline_text = timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M") if deadline else warning
    notify(people_of(unit), subject=_("考核反馈待核实"),
           text=_("%(campaign)s：有一条反馈待核实，截止 %(deadline)s") % {"campaign": campaign.name,
                                                                     "deadline": deadline_text},
           link=reverse("reviews:feedback_detail", args=[item.pk]))
    return item


def _check_unit_may_answer(user, item: Feedback, now: dt.datetime) -> None:
    if not (policies.is_assessed(user) and user.unit_id == item.unit_id):
        raise PermissionDenied
    if item.status != FeedbackStatus.SENT:
        raise ValidationError(_("该反馈已核实（%(status)s），不能再次处理") % {"status": item.get_status_display()})
    if item.deadline is not None and now > item.deadline:
        raise ValidationError(
            _("核实期限已过（截止 %(deadline)s），不能再确认或申请复核；如有异议请联系考核办")
            % {"deadline": timezone.localtime(item.deadline).strftime("%Y-%m-%d %H:%M")}
        )
    if item.campaign.frozen or item.campaign.status in (CampaignStatus.PUBLISHED, CampaignStatus.NOTIFIED):
        raise ValidationError(_("考核已冻结或已公布，不能再处理反馈"))


@transaction.atomic
def feedback_accept(*, user, feedback: Feedback, response: str = "", now: dt.datetime | None = None) -> Feedback:
    """The assessed unit confirms the feedback within the deadline."""
    feedback = Feedback.objects.select_for_update().select_related("campaign").get(pk=feedback.pk)
    now = now or timezone.now()
    _check_unit_may_answer(user, feedback, now)
    feedback.status = FeedbackStatus.ACCEPTED
    feedback.response = _text(response, "response")
    feedback.verified_by, feedback.verified_at = user, now
    feedback.save(update_fields=["status", "response", "verified_by", "verified_at"])
    record_event(actor=user, action="feedback.accept", target=feedback, before={"status": FeedbackStatus.SENT},
                 after={"status": feedback.status, "response": feedback.response})
    return feedback


@transaction.atomic
def review_request(*, user, feedback: Feedback, text: str, files=(), now: dt.datetime | None = None
                   ) -> ReviewRequest:
    """The assessed unit disagrees and applies for re-review (复核) with its reasons and evidence files."""
    feedback = Feedback.objects.select_for_update().select_related("campaign").get(pk=feedback.pk)
    now = now or timezone.now()
    _check_unit_may_answer(user, feedback, now)
    text = _required_text(text, "text", _("请填写申请复核的理由"))
    files = list(files)
    if len(files) > MAX_EVIDENCE_FILES:
        raise ValidationError({"files": _("最多上传 %(n)d 个文件") % {"n": MAX_EVIDENCE_FILES}})
    for upload in files:  # every file is checked before anything is written
        try:
            validate_evidence_file(upload)
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from None
    review = ReviewRequest(feedback=feedback, text=text, requested_by=user, requested_at=now)
    review.full_clean()
    review.save()
    for upload in files:
        ReviewEvidence.objects.create(review=review, file=upload, original_name=upload.name[:255], size=upload.size)
    feedback.status = FeedbackStatus.REVIEW
    feedback.verified_by, feedback.verified_at = user, now
    feedback.save(update_fields=["status", "verified_by", "verified_at"])
    record_event(actor=user, action="review.request", target=review, before={"status": FeedbackStatus.SENT},
                 after={"status": feedback.status, "text": text, "files": [f.name for f in files]})
    deciders = []
    if feedback.indicator_id:
        deciders = list(people_of_units(feedback.indicator.assessing_units.all(), (Role.ASSESSING,)))
    deciders += list(office_people(feedback.campaign.owner))
    notify(deciders, subject=_("新的复核申请"),
           text=_("%(unit)s 对反馈申请复核") % {"unit": feedback.unit.name},
           link=reverse("reviews:feedback_detail", args=[feedback.pk]))
    return review


def people_of_units(units, roles):
    from fazhi.orgs.models import User

    units = [u for u in units if u is not None]
    return User.objects.filter(unit__in=units, role__in=roles, is_active=True)


def _parse_score(value) -> Decimal:
    """The new score of a re-review decision: a number with at most 2 decimal places."""
    number = parse_decimal(value, field="new_value", label=_("新分数"))
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError({"new_value": _("新分数最多两位小数")})
    return number


@transaction.atomic
def review_decide(*, user, review: ReviewRequest, outcome: str, reason: str, new_value=None,
                  expected_version: int | None = None) -> Decision:
    """Decide a re-review: upheld, or changed with the new score. A reason is always required; a change is applied
    to the score (audited with the value before) and the campaign is recomputed."""
    if not policies.decidable_reviews(user).filter(pk=review.pk).exists():
        raise PermissionDenied
    review = ReviewRequest.objects.select_for_update(of=("self",)).select_related(
        "feedback__campaign", "feedback__indicator", "feedback__unit").get(pk=review.pk)
    feedback, campaign = review.feedback, review.feedback.campaign
    if review.status != ReviewStatus.OPEN:
        raise ValidationError(_("该复核申请已经决定"))
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("请选择复核决定")})
    reason = _required_text(reason, "reason", _("复核决定必须说明理由"))
    if campaign.frozen or campaign.status not in assessment_services.REVIEW_CHANGE_STATUSES:
        raise ValidationError(_("考核已审定、公布或冻结，不能再变更分数"))
    score = old_value = None
    if outcome == Outcome.CHANGED:
        if feedback.indicator_id is None:
            raise ValidationError(_("该反馈未指定指标，不能变更分数；请选择“维持原分”，或由考核办调整加减分"))
        if new_value in (None, ""):
            raise ValidationError({"new_value": _("变更分数时必须填写新分数")})
        value = _parse_score(new_value)
        points = feedback.indicator.points
        if not Decimal(0) <= value <= points:
            raise ValidationError({"new_value": _("新分数应在 0 到 %(points)s 之间") % {"points": points}})
        score = Score.objects.select_for_update().filter(
            indicator=feedback.indicator, unit=feedback.unit, subunit__isnull=True).first()
        if score is None:
            raise ValidationError(_("该单位在此指标上没有评分，不能变更"))
        old_value = score.value
        # the one writer of Score changes it, sends a submitted campaign back and recomputes the results
        assessment_services.score_change_on_review(user=user, score=score, new_value=value, reason=reason,
                                                   expected_version=expected_version)
    decision = Decision(review=review, outcome=outcome, old_value=old_value,
                        new_value=_parse_score(new_value) if outcome == Outcome.CHANGED else None,
                        reason=reason, decided_by=user, decided_at=timezone.now())
    decision.full_clean()
    decision.save()
    review.status = ReviewStatus.DECIDED
    review.save(update_fields=["status"])
    feedback.status = FeedbackStatus.DECIDED
    feedback.save(update_fields=["status"])
    record_event(actor=user, action="review.decide", target=decision, before={"status": ReviewStatus.OPEN},
                 after={"outcome": outcome, "old_value": old_value, "new_value": decision.new_value},
                 reason=reason)
    notify(people_of(feedback.unit), subject=_("复核已决定"),
           text=_("复核决定：%(outcome)s。理由：%(reason)s") % {"outcome": decision.get_outcome_display(),
                                                           "reason": reason[:200]},
           link=reverse("reviews:feedback_detail", args=[feedback.pk]))
    return decision


# --- approval and publication: steps of ``fazhi.assessment.lifecycle``; this app adds guards and reactions ------------

def open_reviews(campaign: Campaign):
    return ReviewRequest.objects.filter(feedback__campaign=campaign, status=ReviewStatus.OPEN)


# --- rectification ------------------------------------------------------------------------------------------------

@transaction.atomic
def rectification_create(*, user, campaign: Campaign, unit, title: str, due_date: dt.date, detail: str = ""
                         ) -> Rectification:
    _require_office_campaign(user, campaign)
    title = _required_text(title, "title", _("请填写整改事项"), max_length=300)
    detail = _text(detail, "detail")
    if not CampaignUnit.objects.filter(campaign=campaign, unit=unit).exists():
        raise ValidationError({"unit": _("该单位不是本次考核的考核对象")})
    if due_date is None or due_date < timezone.localdate():
        raise ValidationError({"due_date": _("整改期限不能早于今天")})
    item = Rectification(campaign=campaign, unit=unit, title=title, detail=detail,
                         due_date=due_date, created_by=user)
    item.full_clean()
    item.save()
    record_event(actor=user, action="rectification.create", target=item, before=None,
                 after={"title": title, "due_date": due_date})
    notify(people_of(unit), subject=_("整改事项"),
           text=_("请于 %(due)s 前完成整改并报告：%(title)s") % {"due": due_date, "title": title},
           link=reverse("reviews:rectification_detail", args=[item.pk]))
    return item


@transaction.atomic
def rectification_report(*, user, rectification: Rectification, text: str, file=None) -> RectificationReport:
    """The unit reports what it did (整改并报告整改情况)."""
    if not (policies.is_assessed(user) and user.unit_id == rectification.unit_id):
        raise PermissionDenied
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if rectification.status not in (RectificationStatus.OPEN, RectificationStatus.RETURNED):
        raise ValidationError(_("该整改事项已报告或已销号"))
    text = _required_text(text, "text", _("请填写整改情况"))
    if file is not None:
        try:
            validate_evidence_file(file)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from None
    report = RectificationReport(rectification=rectification, text=text, submitted_by=user,
                                 submitted_at=timezone.now())
    if file is not None:
        report.file = file
    report.save()
    before = rectification.status
    rectification.status = RectificationStatus.REPORTED
    rectification.save(update_fields=["status"])
    record_event(actor=user, action="rectification.report", target=rectification, before={"status": before},
                 after={"status": rectification.status, "text": text})
    return report


@transaction.atomic
def rectification_signoff(*, user, rectification: Rectification, approve: bool, note: str = "") -> Rectification:
    """The office signs the item off (销号) or returns it to be reported again (a reason is required)."""
    _require_office_campaign(user, rectification.campaign)
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if rectification.status != RectificationStatus.REPORTED:
        raise ValidationError(_("只有已报告的整改事项可以审核"))
    note = _text(note, "note")
    if not approve:
        note = _required_text(note, "note", _("退回必须说明理由"))
    before = rectification.status
    rectification.status = RectificationStatus.SIGNED_OFF if approve else RectificationStatus.RETURNED
    rectification.signoff_note = note
    if approve:
        rectification.signed_off_by, rectification.signed_off_at = user, timezone.now()
    rectification.save(update_fields=["status", "signoff_note", "signed_off_by", "signed_off_at"])
    record_event(actor=user, action="rectification.signoff" if approve else "rectification.return",
                 target=rectification, before={"status": before}, after={"status": rectification.status},
                 reason=note)
    return rectification
