"""集中评查 (centralized case-file review, 考核方案 §五(三)): the office defines a review on an indicator of method
集中评查; assessed units register their case files; a sample is drawn per unit from a published seed
(``fazhi.core.sampling``); experts, assigned avoiding conflicts of interest, score each drawn file on the
checklist (评查标准); the files' scores become the indicator score by the review's rule.

One writer: ``services.py``. ``Sample`` is written once and never changed (``fazhi.draws.models.SampleRecord``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.draws.models import SampleRecord
from fazhi.io.uploads import validate_evidence_file

FULL_MARKS = Decimal(100)  # every file is scored out of 100 (百分制), less the checklist deductions


class CaseType(models.TextChoices):
    """案件类型."""

    PENALTY = "penalty", _("行政处罚")
    LICENSE = "license", _("行政许可")
    COERCION = "coercion", _("行政强制")
    RECONSIDERATION = "reconsideration", _("行政复议")
    INSPECTION = "inspection", _("行政检查")
    OTHER = "other", _("其他")


class Rule(models.TextChoices):
    """How file scores become the indicator score (折算规则)."""

    MEAN = "mean", _("平均分折算")
    PASS_RATE = "pass_rate", _("合格率折算")


class ReviewStatus(models.TextChoices):
    REGISTERING = "registering", _("案卷登记中")
    REVIEWING = "reviewing", _("评查中")
    WRITTEN = "written", _("已写入指标得分")


class CaseReview(models.Model):
    """评查活动 — one centralized review, feeding one indicator of a campaign."""

    campaign = models.ForeignKey("assessment.Campaign", verbose_name=_("年度考核"), on_delete=models.CASCADE,
                                 related_name="+")
    indicator = models.ForeignKey("assessment.Indicator", verbose_name=_("考核指标"), on_delete=models.PROTECT,
                                  related_name="+")
    title = models.CharField(_("名称"), max_length=200)
    case_types = models.JSONField(_("评查案件类型"), default=list)
    files_per_unit = models.PositiveSmallIntegerField(_("每个单位抽取案卷数"), default=3,
                                                      validators=[MinValueValidator(1), MaxValueValidator(50)])
    rule = models.CharField(_("折算规则"), max_length=16, choices=Rule.choices, default=Rule.MEAN)
    pass_mark = models.DecimalField(_("案卷合格分数线"), max_digits=5, decimal_places=2, default=Decimal(60),
                                    validators=[MinValueValidator(Decimal(0)), MaxValueValidator(FULL_MARKS)])
    status = models.CharField(_("状态"), max_length=16, choices=ReviewStatus.choices,
                              default=ReviewStatus.REGISTERING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("集中评查")
        verbose_name_plural = _("集中评查")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        valid = set(CaseType.values)
        if not self.case_types or not set(self.case_types) <= valid:
            raise ValidationError({"case_types": _("请选择评查的案件类型")})

    def case_type_labels(self) -> list[str]:
        return [str(CaseType(t).label) for t in self.case_types if t in CaseType.values]


class ChecklistItem(models.Model):
    """评查标准 — one item of the checklist and the most it may deduct from a file's 100 points."""

    review = models.ForeignKey(CaseReview, verbose_name=_("集中评查"), on_delete=models.CASCADE,
                               related_name="items")
    sort = models.PositiveSmallIntegerField(_("序号"), default=0)
    text = models.CharField(_("评查内容"), max_length=300)
    max_deduction = models.DecimalField(_("最多扣分"), max_digits=5, decimal_places=2,
                                        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(FULL_MARKS)])

    class Meta:
        verbose_name = _("评查标准")
        verbose_name_plural = _("评查标准")
        ordering = ["sort", "pk"]

    def __str__(self) -> str:
        return self.text


class ReviewExpert(models.Model):
    """评查专家 of one review, with the conflicts declared for it (回避): the expert's own unit (工作单位) and the
    units of the expert's own system (本系统单位). Files of those units — or of units above or below the
    expert's own unit in the tree — are never assigned to the expert."""

    review = models.ForeignKey(CaseReview, verbose_name=_("集中评查"), on_delete=models.CASCADE,
                               related_name="experts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评查专家"), on_delete=models.PROTECT,
                             related_name="+")
    employer = models.ForeignKey("orgs.Unit", verbose_name=_("工作单位"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    avoid_units = models.ManyToManyField("orgs.Unit", verbose_name=_("本系统单位（回避）"), blank=True, related_name="+")

    class Meta:
        verbose_name = _("评查专家")
        verbose_name_plural = _("评查专家")
        constraints = [models.UniqueConstraint(fields=["review", "user"], name="casereview_expert_once")]

    def __str__(self) -> str:
        return str(self.user)


def case_file_path(instance, filename: str) -> str:
    return f"casereview/{instance.review_id}/{instance.unit_id}/{filename}"


class CaseFile(models.Model):
    """案卷 — a case file registered by an assessed unit for the review."""

    review = models.ForeignKey(CaseReview, verbose_name=_("集中评查"), on_delete=models.CASCADE,
                               related_name="files")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("案卷编号"), max_length=80)
    case_type = models.CharField(_("案件类型"), max_length=16, choices=CaseType.choices)
    title = models.CharField(_("案件名称"), max_length=200)
    closed_on = models.DateField(_("办结日期"))
    attachment = models.FileField(_("案卷扫描件"), upload_to=case_file_path, blank=True,
                                  validators=[validate_evidence_file])
    drawn = models.BooleanField(_("被抽中"), default=False)
    draw_rank = models.PositiveSmallIntegerField(_("抽取顺序"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True,
                                      on_delete=models.SET_NULL, related_name="+")
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("案卷")
        verbose_name_plural = _("案卷")
        ordering = ["unit__sort_order", "unit_id", "number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="casereview_file_number")]
        indexes = [models.Index(fields=["review", "unit", "drawn"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def sample_id(self) -> str:
        """The id in the published population file: the file number (unique within the review)."""
        return self.number


class Sample(SampleRecord):
    """抽样记录 of a review (``fazhi.draws``): one stratum per unit (its code), ``k`` files of each. Written once."""

    review = models.OneToOneField(CaseReview, verbose_name=_("集中评查"), on_delete=models.CASCADE,
                                  related_name="sample")

    class Meta:
        verbose_name = _("抽样记录")
        verbose_name_plural = _("抽样记录")


class Assignment(models.Model):
    """分配 — a drawn file given to one expert (never one with a conflict, see ``ReviewExpert``)."""

    file = models.OneToOneField(CaseFile, verbose_name=_("案卷"), on_delete=models.CASCADE,
                                related_name="assignment")
    expert = models.ForeignKey(ReviewExpert, verbose_name=_("评查专家"), on_delete=models.PROTECT,
                               related_name="assignments")
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    score = models.DecimalField(_("案卷得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("评查意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("案卷分配")
        verbose_name_plural = _("案卷分配")
        ordering = ["file__unit__sort_order", "file__unit_id", "file__draw_rank"]

    def __str__(self) -> str:
        return f"{self.file} → {self.expert}"


class Deduction(models.Model):
    """扣分 — what an expert deducted from a file on one checklist item, and why."""

    assignment = models.ForeignKey(Assignment, verbose_name=_("案卷分配"), on_delete=models.CASCADE,
                                   related_name="deductions")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("评查标准"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("扣分"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("扣分理由"))

    class Meta:
        verbose_name = _("扣分")
        verbose_name_plural = _("扣分")
        ordering = ["item__sort", "item_id"]
        constraints = [models.UniqueConstraint(fields=["assignment", "item"], name="casereview_deduction_once")]

    def __str__(self) -> str:
        return f"{self.item}: -{self.points}"
