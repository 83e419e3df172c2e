"""The one writer of self-reports (自评填报): requirements, the unit's account and files, submit, return.

Every write is audited in its transaction (``record_event``); notices are rows in the same transaction and
their e-mail leaves after commit (``fazhi.reviews.notify``). Scores are never written here: the scoring form
of the assessor's page calls ``fazhi.assessment.services.score_save``.

Lifecycle guard: a report's material is fixed once the cell's score is submitted, or once the campaign is past
scoring (computed, submitted for approval, approved, published) or frozen — what the score was given on stays
what anyone can read later.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.assessment import policies as assessment_policies
from fazhi.assessment import selectors as assessment_selectors
from fazhi.assessment.models import CampaignStatus, Indicator, Score, ScoreStatus
from fazhi.audit.services import record_event
from fazhi.core import workdays
from fazhi.io.values import clean_text
from fazhi.reviews import calendar
from fazhi.reviews.notify import notify, people_of

from . import policies
from .models import Attachment, MaterialItem, ReportStatus, Requirement, SelfReport

#: Campaign phases in which material may still change (the office prepares in draft; units fill while scoring).
OPEN_PHASES = (CampaignStatus.DRAFT, CampaignStatus.SCORING)
MAX_ITEMS = 30


def _require_office(user, campaign) -> None:
    if not assessment_policies.managed_campaigns(user).filter(pk=campaign.pk).exists():
        raise PermissionDenied


def _campaign_open(campaign) -> None:
    if campaign.frozen or campaign.status not in OPEN_PHASES:
        raise ValidationError(_("考核已进入“%(status)s”阶段，自评材料不能再修改") % {
            "status": campaign.get_status_display()})


def material_locked_reason(report: SelfReport) -> str:
    """Why the report's material can no longer change, or "" while it can."""
    campaign = report.campaign
    if campaign.frozen:
        return _("考核已冻结，自评材料不能再修改")
    if campaign.status not in OPEN_PHASES:
        return _("考核已进入“%(status)s”阶段，自评材料不能再修改") % {"status": campaign.get_status_display()}
    if Score.objects.filter(indicator=report.indicator_id, unit=report.unit_id,
                            status=ScoreStatus.SUBMITTED).exists():
        return _("该指标的评分已提交，自评材料不能再修改")
    return ""


def _ensure_open(report: SelfReport) -> None:
    reason = material_locked_reason(report)
    if reason:
        raise ValidationError(reason)


def _lock(report: SelfReport) -> SelfReport:
    return SelfReport.objects.select_for_update(of=("self",)).select_related(
        "campaign", "indicator", "unit", "requirement").get(pk=report.pk)


def _parse_items(items) -> list[tuple[str, bool]]:
    parsed = []
    for entry in items or []:
        title, required = entry if isinstance(entry, tuple | list) else (entry, True)
        title = clean_text(title, field="items", max_length=200, label=_("材料名称"))
        if title:
            parsed.append((title, bool(required)))
        if len(parsed) > MAX_ITEMS:
            raise ValidationError({"items": _("材料清单最多 %(n)d 项") % {"n": MAX_ITEMS}})
    titles = [t for t, _r in parsed]
    duplicates = sorted({t for t in titles if titles.count(t) > 1})
    if duplicates:
        raise ValidationError({"items": _("材料清单有重复的项：%(items)s") % {"items": "、".join(duplicates)}})
    return parsed


def _snapshot(requirement: Requirement) -> dict:
    return {"instructions": requirement.instructions, "working_days": requirement.working_days,
            "deadline": requirement.deadline,
            "items": [f"{'*' if i.required else ''}{i.title}" for i in requirement.items.all()]}


@transaction.atomic
def requirement_save(*, user, indicator: Indicator, instructions: str = "", working_days: int = 10,
                     items=()) -> Requirement:
    """材料清单 — set the instructions, the deadline in working days and the material list of a leaf indicator.

    ``items``: titles, or (title, required) pairs, in order. An item that keeps its title keeps the files already
    attached to it. After publication the deadline is recomputed from the publication date."""
    campaign = indicator.campaign
    _require_office(user, campaign)
    _campaign_open(campaign)
    if indicator.points is None:
        raise ValidationError(_("标题行没有分值，不需要填报"))
    instructions = clean_text(instructions, field="instructions", label=_("填报说明"))
    if isinstance(working_days, bool) or not isinstance(working_days, int) or not 1 <= working_days <= 60:
        raise ValidationError({"working_days": _("填报期限应为 1–60 个工作日")})
    parsed = _parse_items(items)
    requirement = Requirement.objects.select_for_update().filter(indicator=indicator).first()
    before = _snapshot(requirement) if requirement else None
    if requirement is None:
        requirement = Requirement(campaign=campaign, indicator=indicator, created_by=user)
    requirement.instructions, requirement.working_days = instructions, working_days
    if requirement.published_on:
        requirement.deadline = _deadline(campaign, requirement.published_on, working_days)
    requirement.full_clean()
    requirement.save()
    existing = {item.title: item for item in requirement.items.all()}
    keep = []
    for sort, (title, required) in enumerate(parsed, start=1):
        item = existing.get(title) or MaterialItem(requirement=requirement, title=title)
        item.required, item.sort = required, sort
        item.save()
        keep.append(item.pk)
    requirement.items.exclude(pk__in=keep).delete()
    record_event(actor=user, action="selfreport.requirement_save", target=requirement, before=before,
                 after=_snapshot(requirement))
    return requirement


def _deadline(campaign, start: dt.date, working_days: int) -> dt.date:
    try:
        return calendar.add_working_days(campaign.owner, start, working_days)
    except workdays.CalendarUnknown as exc:
        raise ValidationError(str(exc)) from None


@transaction.atomic
def requirement_publish(*, user, requirement: Requirement, on: dt.date | None = None) -> int:
    """Publish the requirement: fix the deadline and open a report for every unit the indicator applies to
    (units added to the campaign later get theirs when it is published again). Returns the reports opened."""
    requirement = Requirement.objects.select_for_update().select_related("campaign", "campaign__owner",
                                                                          "indicator").get(pk=requirement.pk)
    campaign = requirement.campaign
    _require_office(user, campaign)
    _campaign_open(campaign)
    if not requirement.items.exists():
        raise ValidationError(_("请先列出需要提供的材料"))
    before = {"published_on": requirement.published_on, "deadline": requirement.deadline}
    if requirement.published_on is None:
        requirement.published_on = on or timezone.localdate()
        requirement.deadline = _deadline(campaign, requirement.published_on, requirement.working_days)
        requirement.save(update_fields=["published_on", "deadline", "updated_at"])
    units = assessment_selectors.applicable_units(campaign, [requirement.indicator]).get(requirement.indicator_id, [])
    have = set(SelfReport.objects.filter(indicator=requirement.indicator).values_list("unit_id", flat=True))
    new = [SelfReport(requirement=requirement, campaign=campaign, indicator=requirement.indicator, unit=u)
           for u in units if u.pk not in have]
    SelfReport.objects.bulk_create(new)
    record_event(actor=user, action="selfreport.requirement_publish", target=requirement, before=before,
                 after={"published_on": requirement.published_on, "deadline": requirement.deadline,
                        "reports_opened": len(new)})
    for report in SelfReport.objects.filter(indicator=requirement.indicator, unit__in=[r.unit_id for r in new]):
        notify(people_of(report.unit), subject=_("自评填报"),
               text=_("请于 %(deadline)s 前填报指标“%(indicator)s”的自评说明和材料") % {
                   "deadline": requirement.deadline, "indicator": requirement.indicator.title[:80]},
               link=reverse("selfreport:report_detail", args=[report.pk]))
    return len(new)


def _require_filler(user, report: SelfReport) -> None:
    if not policies.can_fill(user, report) or report.requirement.published_on is None:
        raise PermissionDenied


def _report_snapshot(report: SelfReport) -> dict:
    return {"status": report.status, "account": report.account,
            "task_evidence": sorted(report.task_evidence.values_list("pk", flat=True))}


def linkable_evidence(report: SelfReport):
    """Files of the unit's own progress reports on plan tasks linked to this indicator (安排什么考核什么)."""
    from fazhi.plans.models import Evidence

    return Evidence.objects.filter(report__unit=report.unit_id, report__task__indicators=report.indicator_id
                                   ).select_related("report__task").order_by("-report__created_at", "pk").distinct()


@transaction.atomic
def report_save(*, user, report: SelfReport, account: str, task_evidence=None) -> SelfReport:
    """Save the unit's account (and, when given, which of its task evidence files to link). Not a submission."""
    report = _lock(report)
    _require_filler(user, report)
    _ensure_open(report)
    if report.status == ReportStatus.SUBMITTED:
        raise ValidationError(_("已提交的自评不能再修改；如需补充，请联系考核主体退回"))
    before = _report_snapshot(report)
    report.account = clean_text(account, field="account", max_length=5000, label=_("自评说明"))
    if report.status == ReportStatus.PENDING:
        report.status = ReportStatus.DRAFT
    report.full_clean()
    report.save()
    if task_evidence is not None:
        ids = [int(pk) for pk in task_evidence]
        allowed = list(linkable_evidence(report).filter(pk__in=ids))
        if len({e.pk for e in allowed}) != len(set(ids)):
            raise ValidationError({"task_evidence": _("只能关联本单位在相关任务中报送的佐证材料")})
        report.task_evidence.set(allowed)
    record_event(actor=user, action="selfreport.report_save", target=report, before=before,
                 after=_report_snapshot(report))
    return report


@transaction.atomic
def attachment_add(*, user, report: SelfReport, upload, item: MaterialItem | None = None) -> Attachment:
    """上传材料 — a file for the report (and, optionally, for one item of its material list)."""
    report = _lock(report)
    _require_filler(user, report)
    _ensure_open(report)
    if report.status == ReportStatus.SUBMITTED:
        raise ValidationError(_("已提交的自评不能再上传材料；如需补充，请联系考核主体退回"))
    if item is not None and item.requirement_id != report.requirement_id:
        raise ValidationError({"item": _("该材料不在本指标的材料清单中")})
    attachment = Attachment(report=report, item=item, file=upload, original_name=(upload.name or "")[:255],
                            size=upload.size or 0, uploaded_by=user)
    try:
        attachment.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict.get("file") or exc.messages) from None
    attachment.save()
    if report.status == ReportStatus.PENDING:
        report.status = ReportStatus.DRAFT
        report.save(update_fields=["status", "updated_at"])
    record_event(actor=user, action="selfreport.attachment_add", target=report, before=None,
                 after={"file": attachment.original_name, "size": attachment.size,
                        "item": item.title if item else ""})
    return attachment


@transaction.atomic
def attachment_delete(*, user, attachment: Attachment) -> None:
    report = _lock(attachment.report)
    _require_filler(user, report)
    _ensure_open(report)
    if report.status == ReportStatus.SUBMITTED:
        raise ValidationError(_("已提交的自评不能再删除材料"))
    name = attachment.original_name
    attachment.file.delete(save=False)
    attachment.delete()
    record_event(actor=user, action="selfreport.attachment_delete", target=report, before={"file": name},
                 after=None)


def missing_items(report: SelfReport) -> list[MaterialItem]:
    """Required items of the list that have no file yet; after a return, also the items the scorer asked for
    that have no file uploaded since."""
    items = list(report.requirement.items.all())
    files = list(report.attachments.values_list("item_id", "uploaded_at"))
    have = {item_id for item_id, _at in files}
    missing = [i for i in items if i.required and i.pk not in have]
    if report.status == ReportStatus.RETURNED and report.returned_at:
        asked = set(report.requested_items.values_list("pk", flat=True))
        fresh = {item_id for item_id, at in files if at >= report.returned_at}
        missing += [i for i in items if i.pk in asked and i.pk not in fresh and i not in missing]
    return missing


@transaction.atomic
def report_submit(*, user, report: SelfReport) -> SelfReport:
    """提交 — the account is written and every required (and every requested) material has a file."""
    report = _lock(report)
    _require_filler(user, report)
    _ensure_open(report)
    if report.status == ReportStatus.SUBMITTED:
        raise ValidationError(_("该自评已提交"))
    problems = []
    if not report.account.strip():
        problems.append(_("请填写自评说明"))
    missing = missing_items(report)
    if missing:
        problems.append(_("缺少材料：%(items)s") % {"items": "、".join(i.title for i in missing)})
    if problems:
        raise ValidationError(problems)
    before = _report_snapshot(report)
    report.status, report.submitted_at, report.submitted_by = ReportStatus.SUBMITTED, timezone.now(), user
    report.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    report.requested_items.clear()
    record_event(actor=user, action="selfreport.report_submit", target=report, before=before,
                 after={**_report_snapshot(report),
                        "attachments": list(report.attachments.values_list("original_name", flat=True))})
    return report


@transaction.atomic
def report_return(*, user, report: SelfReport, reason: str, items=()) -> SelfReport:
    """补充材料 — the scorer returns a submitted report for more material, saying why (and which items)."""
    report = _lock(report)
    if not policies.can_assess(user, report):
        raise PermissionDenied
    _ensure_open(report)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("只有已提交的自评可以退回补充材料"))
    reason = clean_text(reason, field="reason", label=_("退回理由"))
    if not reason:
        raise ValidationError({"reason": _("请说明需要补充什么材料")})
    items = list(items)
    if any(i.requirement_id != report.requirement_id for i in items):
        raise ValidationError({"items": _("该材料不在本指标的材料清单中")})
    before = _report_snapshot(report)
    report.status, report.return_reason = ReportStatus.RETURNED, reason
    report.returned_at, report.returned_by, report.return_count = timezone.now(), user, report.return_count + 1
    report.save(update_fields=["status", "return_reason", "returned_at", "returned_by", "return_count",
                               "updated_at"])
    report.requested_items.set(items)
    record_event(actor=user, action="selfreport.report_return", target=report, before=before,
                 after={**_report_snapshot(report), "items": [i.title for i in items]}, reason=reason)
    notify(people_of(report.unit), subject=_("自评材料退回补充"),
           text=_("指标“%(indicator)s”的自评被退回补充材料：%(reason)s") % {
               "indicator": report.indicator.title[:80], "reason": reason[:150]},
           link=reverse("selfreport:report_detail", args=[report.pk]))
    return report


@transaction.atomic
def reminders_send(*, today: dt.date | None = None, within: int = 2) -> int:
    """Remind units whose report is not submitted and whose deadline is at most ``within`` working days away
    (or today). One notice per unit per day, listing how many; returns the units reminded."""
    today = today or timezone.localdate()
    open_reports = (SelfReport.objects.filter(status__in=[ReportStatus.PENDING, ReportStatus.DRAFT,
                                                          ReportStatus.RETURNED],
                                              requirement__deadline__gte=today, campaign__frozen=False,
                                              campaign__status__in=OPEN_PHASES)
                    .exclude(reminded_on=today).select_related("requirement", "campaign__owner", "unit"))
    due: dict[int, list[SelfReport]] = {}
    left: dict[int, int] = {}
    for report in open_reports.order_by("requirement__deadline", "pk"):
        requirement = report.requirement
        if requirement.pk not in left:
            overrides, years = calendar.calendar_data(report.campaign.owner)
            try:
                left[requirement.pk] = workdays.working_days_between(today, requirement.deadline, overrides, years)
            except workdays.CalendarUnknown:
                left[requirement.pk] = (requirement.deadline - today).days  # the calendar is unknown: count days
        if left[requirement.pk] <= within:
            due.setdefault(report.unit_id, []).append(report)
    for reports in due.values():
        unit = reports[0].unit
        first = reports[0].requirement.deadline
        notify(people_of(unit), subject=_("自评填报截止提醒"),
               text=_("本单位有 %(n)d 项指标的自评尚未提交，最早于 %(deadline)s 截止") % {
                   "n": len(reports), "deadline": first},
               link=reverse("selfreport:my_reports"))
        SelfReport.objects.filter(pk__in=[r.pk for r in reports]).update(reminded_on=today)
        record_event(actor="system", action="selfreport.reminder", target=unit, before=None,
                     after={"reports": len(reports), "deadline": first})
    return len(due)
