"""Plans and supervision (计划与督导): the work arrangement broken down into tracked tasks.

The cycle (DOMAIN.md §1 step 2, seed 001 “督导平台”): a plan (实施方案) or annual arrangement (年度工作安排)
is imported into a task tree (chapters → tasks), tasks are assigned to a lead unit (牵头单位) and
cooperating units (配合单位), supervised by milestone (按节点加强督导), units report progress with evidence,
the office writes supervision notes (督导意见) and reminders. Tasks link to assessment indicators:
“安排什么考核什么” (seed 003, last paragraph).

Other code that must change with these models: ``fazhi.plans.services`` (writes), ``selectors`` (reads,
dashboards, ``linked_tasks`` used by the assessment scoring page), ``policies`` (data scope), the Excel
exports, ``demo.py``.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.io.uploads import EvidenceFileValidator


def today() -> datetime.date:
    """Today in Asia/Shanghai (settings.TIME_ZONE), the date deadlines are judged against."""
    return timezone.localdate()


class PlanKind(models.TextChoices):
    IMPLEMENTATION = "implementation", _("实施方案")
    ANNUAL = "annual", _("年度工作安排")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ACTIVE = "active", _("执行中")


class Plan(models.Model):
    """计划 — an implementation plan or an annual work arrangement of one jurisdiction."""

    owner = models.ForeignKey(
        "orgs.Unit", verbose_name=_("所属辖区"), on_delete=models.PROTECT, related_name="plans",
        help_text=_("制定计划的政府（考核办所服务的本级政府）"),
    )
    title = models.CharField(_("标题"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"), help_text=_("相对日期（如“7月底前”）按此年度换算"))
    kind = models.CharField(_("类型"), max_length=20, choices=PlanKind.choices, default=PlanKind.ANNUAL)
    source_file = models.FileField(_("来源文件"), upload_to="plans/sources/%Y/", blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("计划")
        verbose_name_plural = _("计划")
        ordering = ["-year", "-created_at"]

    def __str__(self) -> str:
        return self.title


class TaskStatus(models.TextChoices):
    """进展状态 of a task for one unit (the lead unit's latest report is the task's status)."""

    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已完成")
    LAGGING = "lagging", _("滞后")


class Task(models.Model):
    """任务 — a node of a plan's tree: a chapter (level 1, no parent) or a task under it."""

    plan = models.ForeignKey(Plan, verbose_name=_("计划"), on_delete=models.CASCADE, related_name="tasks")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级条目"), null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.PositiveSmallIntegerField(_("层级"), default=1)
    label = models.CharField(_("编号"), max_length=20, blank=True, help_text=_("原文编号，如“（十一）”"))
    ordinal = models.PositiveIntegerField(_("序号"), default=0)
    title = models.CharField(_("标题"), max_length=300)
    text = models.TextField(_("内容"), blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    deadline_rule = models.CharField(
        _("时限说明"), max_length=100, blank=True, help_text=_("原文的时限表述，如“7月底前”“每季度”")
    )
    lead_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("牵头单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="led_tasks",
    )
    cooperating_units = models.ManyToManyField(
        "orgs.Unit", verbose_name=_("配合单位"), blank=True, related_name="cooperating_tasks"
    )
    indicators = models.ManyToManyField(
        "assessment.Indicator", verbose_name=_("关联考核指标"), blank=True, related_name="plan_tasks",
        help_text=_("安排什么考核什么：评分时考核主体可查看关联任务的进展和佐证"),
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED,
        help_text=_("牵头单位最近一次报送的状态"),
    )
    sort = models.PositiveIntegerField(_("排序"), default=0, help_text=_("在计划中的文档顺序"))

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["plan", "sort", "pk"]
        indexes = [models.Index(fields=["plan", "sort"])]

    def __str__(self) -> str:
        return f"{self.label}{self.title}" if self.label else self.title

    @property
    def is_chapter(self) -> bool:
        return self.parent_id is None and self.level == 1


class Milestone(models.Model):
    """节点 — a dated step of a task; supervision goes by node (按节点加强督导, seed 001)."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("节点名称"), max_length=200)
    due = models.DateField(_("节点时限"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    sort = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("节点")
        verbose_name_plural = _("节点")
        ordering = ["task", "due", "sort", "pk"]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        """The node is past due (Asia/Shanghai) and not done. Whether its task is overdue is the rule of
        ``fazhi.plans.overdue`` (a done task is not chased for its nodes)."""
        on = on or today()
        return self.done_at is None and self.due < on


class ProgressReport(models.Model):
    """进展报送 — a unit's report on a task (optionally on one node), with evidence files."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="reports")
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("节点"), null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=16, choices=TaskStatus.choices)
    text = models.TextField(_("进展情况"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("报送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("进展报送")
        verbose_name_plural = _("进展报送")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["task", "unit", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.task} · {self.unit} · {self.get_status_display()}"


#: Evidence file types accepted; the rule (extension, content sniffing, size) is ``fazhi.io.uploads``.
EVIDENCE_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".txt", ".zip", ".ofd")


class Evidence(models.Model):
    """佐证材料 — a file attached to a progress report."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("进展报送"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to="plans/evidence/%Y/%m/",
                            validators=[EvidenceFileValidator(extensions=EVIDENCE_EXTENSIONS)])
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class SupervisionNote(models.Model):
    """督导意见 — the office's note on a task, optionally addressed to one unit."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="notes")
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("针对单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("督导意见"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("督导人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("督导意见")
        verbose_name_plural = _("督导意见")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:40]


class Reminder(models.Model):
    """催办提醒 — a reminder to a unit about a task or a node; the unit sees it until it is read."""

    task = models.ForeignKey(Task, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="reminders")
    milestone = models.ForeignKey(
        Milestone, verbose_name=_("节点"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("提醒单位"), on_delete=models.PROTECT, related_name="+")
    message = models.CharField(_("提醒内容"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发送人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("催办提醒")
        verbose_name_plural = _("催办提醒")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.message[:40]


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("识别中")
    READY = "ready", _("待确认")
    FAILED = "failed", _("失败")
    CONFIRMED = "confirmed", _("已导入")


class ImportJob(models.Model):
    """文档导入任务 — a document read in the background into an editable preview, then confirmed as a plan.

    ``preview`` is ``{"rows": [{level, label, ordinal, title, text, deadline, deadline_rule, lead_unit,
    include}], "notes": [...]}`` (flat, document order; the tree is rebuilt from ``level`` on confirm).
    """

    owner = models.ForeignKey("orgs.Unit", verbose_name=_("所属辖区"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("计划标题"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True, help_text=_("留空则从文档中识别"))
    kind = models.CharField(_("类型"), max_length=20, choices=PlanKind.choices, default=PlanKind.ANNUAL)
    source_file = models.FileField(_("来源文件"), upload_to="plans/imports/%Y/")
    filename = models.CharField(_("文件名"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    error = models.TextField(_("错误信息"), blank=True)
    no_outline = models.BooleanField(_("未识别到编号"), default=False)
    preview = models.JSONField(_("识别结果"), default=dict, blank=True)
    plan = models.ForeignKey(
        Plan, verbose_name=_("导入的计划"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("文档导入任务")
        verbose_name_plural = _("文档导入任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.PENDING, ImportStatus.RUNNING)
