"""Self-reporting per indicator (自评与指标填报): the office lists the materials each indicator needs and a
deadline; each assessed unit writes a short account with attachments and links to its plan tasks' evidence,
and submits; the assessing unit scores against it or returns it for more material (补充材料).

Seed 001 考核方案 §五: "考核对象……按照考核指标报送自评报告和佐证材料". The report rows are created when the office
publishes an indicator's requirement (one per unit the indicator applies to), so progress is an aggregate over
rows, never a Python loop over every indicator × unit.

Other code that must change with these models: ``services`` (the one writer), ``selectors`` (progress),
``policies`` (scope), ``panels`` (the scoring-page panel), ``demo``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.io.uploads import EvidenceFileValidator

#: Attachments: the evidence types of the platform plus the old Office formats and OFD offices still send.
ATTACHMENT_EXTENSIONS = (".pdf", ".docx", ".doc", ".xlsx", ".xls", ".jpg", ".jpeg", ".png", ".ofd", ".zip")


class Requirement(models.Model):
    """填报要求 — what the office asks for on one indicator: the material list and a deadline.

    The deadline is ``working_days`` working days after ``published_on`` (the jurisdiction's calendar,
    ``fazhi.core.workdays``); it is fixed when published.
    """

    campaign = models.ForeignKey("assessment.Campaign", verbose_name=_("年度考核"), on_delete=models.CASCADE,
                                 related_name="+")
    indicator = models.OneToOneField("assessment.Indicator", verbose_name=_("考核指标"), on_delete=models.CASCADE,
                                     related_name="requirement")
    instructions = models.TextField(_("填报说明"), blank=True)
    working_days = models.PositiveSmallIntegerField(_("填报期限（工作日）"), default=10)
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    deadline = models.DateField(_("截止日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("填报要求")
        verbose_name_plural = _("填报要求")
        ordering = ["indicator__sort", "indicator__code"]

    def __str__(self) -> str:
        return str(self.indicator)

    @property
    def is_published(self) -> bool:
        return self.published_on is not None

    def get_audit_unit(self):
        return self.campaign.owner


class MaterialItem(models.Model):
    """材料清单项 — one item of the material list (e.g. 学法计划、会议记录)."""

    requirement = models.ForeignKey(Requirement, verbose_name=_("填报要求"), on_delete=models.CASCADE,
                                    related_name="items")
    title = models.CharField(_("材料名称"), max_length=200)
    required = models.BooleanField(_("必须提供"), default=True)
    sort = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("材料清单项")
        verbose_name_plural = _("材料清单项")
        ordering = ["sort", "pk"]

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("未填报")
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回补充材料")


class SelfReport(models.Model):
    """自评填报 — one assessed unit's account on one indicator, with attachments and linked task evidence."""

    requirement = models.ForeignKey(Requirement, verbose_name=_("填报要求"), on_delete=models.CASCADE,
                                    related_name="reports")
    campaign = models.ForeignKey("assessment.Campaign", verbose_name=_("年度考核"), on_delete=models.CASCADE,
                                 related_name="+")
    indicator = models.ForeignKey("assessment.Indicator", verbose_name=_("考核指标"), on_delete=models.CASCADE,
                                  related_name="+")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+")
    account = models.TextField(_("自评说明"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    task_evidence = models.ManyToManyField("plans.Evidence", verbose_name=_("关联的任务佐证"), blank=True,
                                           related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    return_reason = models.TextField(_("退回理由"), blank=True)
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("退回人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    requested_items = models.ManyToManyField(MaterialItem, verbose_name=_("要求补充的材料"), blank=True,
                                             related_name="+")
    return_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    reminded_on = models.DateField(_("最近提醒日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("自评填报")
        verbose_name_plural = _("自评填报")
        ordering = ["indicator__sort", "indicator__code", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["indicator", "unit"], name="selfreport_report_cell")]
        indexes = [models.Index(fields=["campaign", "status"]), models.Index(fields=["campaign", "unit"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.unit}"

    def get_audit_unit(self):
        return self.unit


def attachment_path(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return f"selfreport/{instance.report.campaign_id}/{instance.report_id}/{Path(filename).stem[:60]}{suffix}"


class Attachment(models.Model):
    """附件 — a file of the report, optionally for one item of the material list."""

    report = models.ForeignKey(SelfReport, verbose_name=_("自评填报"), on_delete=models.CASCADE,
                               related_name="attachments")
    item = models.ForeignKey(MaterialItem, verbose_name=_("对应材料"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=attachment_path,
                            validators=[EvidenceFileValidator(extensions=ATTACHMENT_EXTENSIONS)])
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("自评附件")
        verbose_name_plural = _("自评附件")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
