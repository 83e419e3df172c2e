"""Annual reports on rule-of-law government (法治政府建设年度报告), DOMAIN.md §6.

Every unit publishes a report each year; the platform checks it (five required parts, publication deadline,
figures with catalogue keys, consistency), the office reviews it, and an accepted report is public on the portal.

Other code that must change with these models: ``fazhi.reports.services`` (writes), ``fazhi.portal.search``
(the search index holds accepted reports only), the comparison (``selectors.comparison``), the demo.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已通过")
    RETURNED = "returned", _("已退回")


class AnnualReportQuerySet(models.QuerySet):
    def published(self) -> AnnualReportQuerySet:
        """Reports the public may read: accepted by the office and marked public."""
        return self.filter(status=ReportStatus.ACCEPTED, is_public=True)


def default_deadline(year: int) -> datetime.date:
    """1 April of the following year (督察工作规定 Art. 24, DOMAIN.md §6)."""
    return datetime.date(year + 1, 4, 1)


class AnnualReport(models.Model):
    """年度报告 — one unit's report on one year."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("报告年度"), help_text=_("报告所述的年度，如 2024"))
    title = models.CharField(_("标题"), max_length=300)
    source_file = models.FileField(_("原始文件"), upload_to="reports/%Y/", blank=True)
    source_name = models.CharField(_("原始文件名"), max_length=255, blank=True)
    original_text = models.TextField(_("原文"), blank=True)
    clean_text = models.TextField(_("清洗后文本"), blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    publication_url = models.URLField(
        _("公开网址"), max_length=500, blank=True, validators=[URLValidator(schemes=["http", "https"])]
    )
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    is_public = models.BooleanField(_("在门户公开"), default=True, help_text=_("通过后是否在公众门户展示"))
    check_result = models.JSONField(_("检查结果"), default=dict, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="reports_one_report_per_unit_year")]
        # Province scale: counting, filtering and sorting published reports reads this index, never the rows —
        # on SQLite the status columns sit after two 15 KB texts, so a table scan reads every text. (is_public
        # last: Django tests a boolean as a bare column, which SQLite does not match to an index column.)
        indexes = [models.Index(fields=["status", "year", "published_on", "unit", "is_public"],
                                name="reports_published_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.ACCEPTED and self.is_public

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)


class ReportFigure(models.Model):
    """报告数据 — one figure read from a report (e.g. 行政复议申请34777件)."""

    report = models.ForeignKey(AnnualReport, verbose_name=_("年度报告"), on_delete=models.CASCADE, related_name="figures")
    key = models.CharField(  # noqa: DJ001 - null means "not a catalogue figure", distinct from a key
        _("目录键"), max_length=100, null=True, blank=True, db_index=True,
                           help_text=_("数据目录中的键，如 reconsideration.received；未识别为空"))
    label = models.CharField(_("名称"), max_length=200)
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    numerator = models.CharField(_("分子"), max_length=200, blank=True)
    denominator = models.CharField(_("分母"), max_length=200, blank=True)
    sentence = models.TextField(_("所在句子"), blank=True)
    offset = models.PositiveIntegerField(_("位置"), default=0)
    low_confidence = models.BooleanField(_("低可信度"), default=False)

    class Meta:
        verbose_name = _("报告数据")
        verbose_name_plural = _("报告数据")
        ordering = ["report", "offset"]

    def __str__(self) -> str:
        return f"{self.label} {self.value}{self.unit}"


#: What an office reviewer did with a report (``ReportComment.action``), with its label.
COMMENT_ACTIONS = {"comment": _("评论"), "accept": pgettext_lazy("action", "通过"), "return": _("退回"),
                   "accept_private": _("通过（不公开）")}


class ReportComment(models.Model):
    """审核意见 — the office's comment on a report."""

    report = models.ForeignKey(AnnualReport, verbose_name=_("年度报告"), on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(_("意见"), max_length=5000)
    action = models.CharField(_("操作"), max_length=16, blank=True, help_text=_("accept / return / comment"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审核意见")
        verbose_name_plural = _("审核意见")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:40]

    def get_action_display(self) -> str:
        return str(COMMENT_ACTIONS.get(self.action, self.action))


class ReportSettings(models.Model):
    """年度报告设置 — per office jurisdiction and year: the publication deadline."""

    root = models.ForeignKey("orgs.Unit", verbose_name=_("管辖范围"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("报告年度"))
    deadline = models.DateField(_("公开截止日期"), help_text=_("默认为次年4月1日"))

    class Meta:
        verbose_name = _("年度报告设置")
        verbose_name_plural = _("年度报告设置")
        constraints = [models.UniqueConstraint(fields=["root", "year"], name="reports_settings_root_year")]

    def __str__(self) -> str:
        return f"{self.root} {self.year}"


class JobStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class BulkImportJob(models.Model):
    """批量导入任务 — many past reports from a zip, each file in its own transaction."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT,
                                   related_name="+")
    archive = models.FileField(_("压缩包"), upload_to="report-imports/%Y/", blank=True)
    archive_name = models.CharField(_("文件名"), max_length=255, blank=True)
    default_year = models.PositiveSmallIntegerField(_("默认年度"), null=True, blank=True)
    accept = models.BooleanField(_("直接通过并公开"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.PENDING)
    total = models.PositiveIntegerField(_("文件数"), default=0)
    processed = models.PositiveIntegerField(_("已处理"), default=0)
    results = models.JSONField(_("逐个文件结果"), default=list, blank=True)
    message = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最近进展"), default=timezone.now,
                                      help_text=_("每处理一个文件更新；长时间未更新的任务在工作进程启动时恢复"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("批量导入任务")
        verbose_name_plural = _("批量导入任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.archive_name or str(self.pk)

    @property
    def percent(self) -> int:
        return int(self.processed * 100 / self.total) if self.total else (100 if self.status == JobStatus.DONE else 0)

    @property
    def ok_count(self) -> int:
        return sum(1 for r in self.results if r.get("ok"))

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.results if not r.get("ok"))
