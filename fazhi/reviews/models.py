"""Feedback, verification, re-review (复核), decisions, rectification and the working-day calendar.

Rules: DOMAIN.md §5.5–§5.8 (seed 001 考核方案 §五–§六):
- after scoring the office sends questions or findings to an assessed unit (``Feedback``), per indicator;
  the unit verifies within **5 working days** (official calendar + ``CalendarOverride``, Asia/Shanghai);
- it accepts, or applies for re-review (``ReviewRequest``) with text and evidence; the assessing unit of the
  indicator, or the office, decides (``Decision``): upheld, or changed with the new score and a reason;
- every change is written to the audit chain (``fazhi.audit.services.record_event``) with the value before;
- results are used: 法治建议书 and result notices from an office-editable ``LetterTemplate``, rectification
  items (``Rectification``) with a due date, the unit's ``RectificationReport`` and the office's sign-off.

Other code that must change with these models: ``services`` (the state machine), ``selectors`` (scope),
``demo``, ``tasks`` (reminders).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fazhi.io.uploads import validate_evidence_file

#: Seed 001 考核方案 §五: "考核对象要在5个工作日内进行核实".
VERIFY_WORKING_DAYS = 5

class CalendarOverride(models.Model):
    """工作日调整 — an office's correction of the official calendar for one day (a holiday, or a 调休 working day),
    for years the ``chinese_calendar`` library does not know yet. Applies to the owner's subtree."""

    owner = models.ForeignKey("orgs.Unit", verbose_name=_("所属辖区"), on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("日期"))
    is_working_day = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=200, blank=True, help_text=_("如：春节放假、国庆调休上班"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["owner", "date"], name="reviews_calendaroverride_day")]

    def __str__(self) -> str:
        return f"{self.date} {'工作日' if self.is_working_day else '休息日'} {self.note}"


class CalendarYear(models.Model):
    """工作日历年度 — the office declares a year's holidays complete (all overrides entered): from then on, days
    without an override in that year follow Monday–Friday. Without it a deadline in the year is a warning."""

    owner = models.ForeignKey("orgs.Unit", verbose_name=_("所属辖区"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已录入的日历年度")
        verbose_name_plural = _("已录入的日历年度")
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["owner", "year"], name="reviews_calendaryear_unique")]

    def __str__(self) -> str:
        return str(self.year)


class FeedbackStatus(models.TextChoices):
    SENT = "sent", _("待核实")
    ACCEPTED = "accepted", _("已确认")
    REVIEW = "review", pgettext_lazy("status", "申请复核")
    DECIDED = "decided", _("复核已决定")


class FeedbackRound(models.Model):
    """初步结果反馈 — one confirmed action sends every assessed unit its draft detail at once: one ``Feedback`` item
    per score below full marks (sub-unit cells included) and per deduction item (扣分事项), each with its reason
    and assessing unit; the unit confirms or objects item by item within 5 working days (seed 001 §五).
    One round per campaign (``batch.feedback_batch_send``)."""

    campaign = models.OneToOneField("assessment.Campaign", verbose_name=_("年度考核"), on_delete=models.CASCADE,
                                    related_name="feedback_round")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发送人"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("发送时间"))
    deadline = models.DateTimeField(_("核实截止时间"), null=True, blank=True)
    deadline_warning = models.CharField(_("截止时间提示"), max_length=300, blank=True)
    units = models.PositiveIntegerField(_("单位数"), default=0)
    items = models.PositiveIntegerField(_("扣分项数"), default=0)

    class Meta:
        verbose_name = _("初步结果反馈")
        verbose_name_plural = _("初步结果反馈")

    def __str__(self) -> str:
        return f"{self.campaign} · {self.units} / {self.items}"

    def get_audit_unit(self):
        return self.campaign.owner


class Feedback(models.Model):
    """反馈 — a question or finding sent to one assessed unit, optionally about one indicator; or one item of the
    初步结果反馈 (``round``): a score below full marks (``score``, with ``subunit`` for a sub-unit cell) or a
    deduction item (``adjustment``), with the draft value the unit is asked to verify."""

    campaign = models.ForeignKey("assessment.Campaign", verbose_name=_("年度考核"), on_delete=models.CASCADE,
                                 related_name="feedback")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey("assessment.Indicator", verbose_name=_("考核指标"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("反馈内容"))
    status = models.CharField(_("状态"), max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.SENT)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发送人"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("发送时间"))
    deadline = models.DateTimeField(_("核实截止时间"), null=True, blank=True,
                                    help_text=_("为空表示该年度工作日历尚未录入，无法计算"))
    deadline_warning = models.CharField(_("截止时间提示"), max_length=300, blank=True)
    response = models.TextField(_("核实意见"), blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核实人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    # 初步结果反馈 items (empty for a feedback sent on its own)
    round = models.ForeignKey(FeedbackRound, verbose_name=_("初步结果反馈"), null=True, blank=True,
                              on_delete=models.CASCADE, related_name="feedback_items")
    score = models.ForeignKey("assessment.Score", verbose_name=_("评分"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    subunit = models.ForeignKey("orgs.Unit", verbose_name=_("下级单位"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    adjustment = models.ForeignKey("assessment.Adjustment", verbose_name=_("加减分"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    assessing_unit = models.ForeignKey("orgs.Unit", verbose_name=_("考核主体"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    draft_value = models.DecimalField(_("初步得分"), max_digits=6, decimal_places=2, null=True, blank=True,
                                      help_text=_("扣分事项为负数"))
    full_points = models.DecimalField(_("满分"), max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("反馈")
        verbose_name_plural = _("反馈")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["round", "unit", "status"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.indicator.code if self.indicator_id else '—'} · {self.text[:30]}"

    def get_audit_unit(self):
        return self.unit

    @property
    def is_open(self) -> bool:
        return self.status == FeedbackStatus.SENT

    @property
    def lost_points(self):
        """Points below full marks (a score item) or the deduction (a deduction item), for the draft detail."""
        if self.draft_value is None:
            return None
        if self.full_points is None:
            return -self.draft_value
        return self.full_points - self.draft_value

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline is not None and timezone.now() > self.deadline


class ReviewStatus(models.TextChoices):
    OPEN = "open", _("待决定")
    DECIDED = "decided", _("已决定")


class ReviewRequest(models.Model):
    """复核申请 — the assessed unit disagrees with a feedback item and asks for re-review, with evidence."""

    feedback = models.OneToOneField(Feedback, verbose_name=_("反馈"), on_delete=models.CASCADE, related_name="review")
    text = models.TextField(_("复核理由"))
    status = models.CharField(_("状态"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))

    class Meta:
        verbose_name = _("复核申请")
        verbose_name_plural = _("复核申请")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"复核 · {self.feedback}"

    def get_audit_unit(self):
        return self.feedback.unit


def review_evidence_path(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return f"reviews/{instance.review_id}/evidence/{Path(filename).stem[:60]}{suffix}"


class ReviewEvidence(models.Model):
    """复核佐证材料."""

    review = models.ForeignKey(ReviewRequest, verbose_name=_("复核申请"), on_delete=models.CASCADE,
                               related_name="evidence")
    file = models.FileField(_("文件"), upload_to=review_evidence_path, validators=[validate_evidence_file])
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("复核佐证材料")
        verbose_name_plural = _("复核佐证材料")

    def __str__(self) -> str:
        return self.original_name


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("维持原分")
    CHANGED = "changed", _("变更分数")


class Decision(models.Model):
    """复核决定 — by the assessing unit of the indicator or the office; always with a reason."""

    review = models.OneToOneField(ReviewRequest, verbose_name=_("复核申请"), on_delete=models.CASCADE,
                                  related_name="decision")
    outcome = models.CharField(_("决定"), max_length=16, choices=Outcome.choices)
    old_value = models.DecimalField(_("原分数"), max_digits=6, decimal_places=2, null=True, blank=True)
    new_value = models.DecimalField(_("新分数"), max_digits=6, decimal_places=2, null=True, blank=True)
    reason = models.TextField(_("决定理由"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("决定人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("决定时间"))

    class Meta:
        verbose_name = _("复核决定")
        verbose_name_plural = _("复核决定")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} · {self.review}"

    def get_audit_unit(self):
        return self.review.feedback.unit


class Notice(models.Model):
    """站内提醒 — an in-app message to one person (feedback sent, deadline near, decision made)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE,
                             related_name="review_notices")
    text = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内提醒")
        verbose_name_plural = _("站内提醒")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    REPORTED = "reported", _("已报告")
    SIGNED_OFF = "signed_off", _("已销号")
    RETURNED = "returned", _("退回重报")


class Rectification(models.Model):
    """整改事项 — a problem the unit must rectify and report on (seed 001 §六 "整改并报告整改情况")."""

    campaign = models.ForeignKey("assessment.Campaign", verbose_name=_("年度考核"), on_delete=models.CASCADE,
                                 related_name="rectifications")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("整改事项"), max_length=300)
    detail = models.TextField(_("问题描述"), blank=True)
    due_date = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=16, choices=RectificationStatus.choices,
                              default=RectificationStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("交办人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    signoff_note = models.TextField(_("审核意见"), blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("销号人"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    signed_off_at = models.DateTimeField(_("销号时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.title}"

    def get_audit_unit(self):
        return self.unit

    @property
    def is_overdue(self) -> bool:
        return self.status in (RectificationStatus.OPEN, RectificationStatus.RETURNED) and (
            timezone.localdate() > self.due_date
        )


def report_path(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return f"reviews/rectification/{instance.rectification_id}/{Path(filename).stem[:60]}{suffix}"


class RectificationReport(models.Model):
    """整改报告 — what the unit did, with an optional file."""

    rectification = models.ForeignKey(Rectification, verbose_name=_("整改事项"), on_delete=models.CASCADE,
                                      related_name="reports")
    text = models.TextField(_("整改情况"))
    file = models.FileField(_("附件"), upload_to=report_path, blank=True, validators=[validate_evidence_file])
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报告人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("报告时间"))

    class Meta:
        verbose_name = _("整改报告")
        verbose_name_plural = _("整改报告")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.rectification} · {self.submitted_at:%Y-%m-%d}"


class LetterKind(models.TextChoices):
    """文书类型 — the documents issued from results (seed 001 §六); content in ``letters``."""

    NOTICE = "notice", _("考核结果通知")
    RECOMMENDATION = "recommendation", _("法治建议书")
    WARNING = "warning", _("通报警示")
    CRITICISM = "criticism", _("通报批评")
    INTERVIEW = "interview", _("约谈通知")
    RECTIFY_ORDER = "rectify_order", _("责令整改通知")
    FEEDBACK = "feedback", _("考核反馈意见通知")
    COPY = "copy", _("考核结果抄送函")


def template_path(instance, filename: str) -> str:
    return f"reviews/templates/{instance.owner_id}/{instance.kind}.docx"


class LetterTemplate(models.Model):
    """文书模板 — an office's own .docx (docxtpl/Jinja placeholders) replacing the shipped default."""

    owner = models.ForeignKey("orgs.Unit", verbose_name=_("所属辖区"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("文书类型"), max_length=16, choices=LetterKind.choices)
    file = models.FileField(_("模板文件"), upload_to=template_path)
    original_name = models.CharField(_("原文件名"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        constraints = [models.UniqueConstraint(fields=["owner", "kind"], name="reviews_lettertemplate_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.owner}"
