"""满意度测评 (satisfaction, 考核方案 §五(六)): the office opens a round on an indicator of method 满意度调查 and names
the survey institute; the institute imports per-unit survey results (sample size, score, margin of error, mode),
mystery-visit (神秘办事人) records and 好差评 counts; 社情民意 comes from the portal (opinions the office accepted);
``fazhi.core.methods.satisfaction`` turns them into the indicator with the round's weights.

One writer: ``services.py``. Every imported row belongs to its ``ImportBatch`` (who, when, which file).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
_weight = [MinValueValidator(ZERO), MaxValueValidator(ONE)]
_percent = [MinValueValidator(ZERO), MaxValueValidator(HUNDRED)]


class SurveyRound(models.Model):
    """满意度测评 of one campaign indicator by one institute."""

    campaign = models.ForeignKey("assessment.Campaign", verbose_name=_("年度考核"), on_delete=models.CASCADE,
                                 related_name="+")
    indicator = models.ForeignKey("assessment.Indicator", verbose_name=_("考核指标"), on_delete=models.PROTECT,
                                  related_name="+")
    institute = models.ForeignKey("orgs.Unit", verbose_name=_("第三方调查机构"), on_delete=models.PROTECT,
                                  related_name="+")
    title = models.CharField(_("名称"), max_length=200)
    w_survey = models.DecimalField(_("第三方调查权重"), max_digits=4, decimal_places=2, default=Decimal("0.50"),
                                   validators=_weight)
    w_mystery = models.DecimalField(_("神秘办事人权重"), max_digits=4, decimal_places=2, default=Decimal("0.20"),
                                    validators=_weight)
    w_rating = models.DecimalField(_("好差评权重"), max_digits=4, decimal_places=2, default=Decimal("0.20"),
                                   validators=_weight)
    w_opinion = models.DecimalField(_("社情民意权重"), max_digits=4, decimal_places=2, default=Decimal("0.10"),
                                    validators=_weight)
    opinion_penalty = models.DecimalField(_("每条社情民意扣分"), max_digits=5, decimal_places=2, default=Decimal(5),
                                          validators=_percent)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.w_survey + self.w_mystery + self.w_rating + self.w_opinion != ONE:
            raise ValidationError(_("四项权重之和应为 1"))

    @property
    def weights(self) -> dict[str, Decimal]:
        return {"survey": self.w_survey, "mystery": self.w_mystery, "rating": self.w_rating,
                "opinion": self.w_opinion}


class ImportKind(models.TextChoices):
    SURVEY = "survey", _("问卷调查结果")
    MYSTERY = "mystery", _("神秘办事人记录")
    RATING = "rating", _("好差评数据")


class ImportBatch(models.Model):
    """One imported file."""

    round = models.ForeignKey(SurveyRound, verbose_name=_("满意度测评"), on_delete=models.CASCADE,
                              related_name="batches")
    kind = models.CharField(_("数据类型"), max_length=16, choices=ImportKind.choices)
    filename = models.CharField(_("文件名"), max_length=255)
    rows = models.PositiveIntegerField(_("行数"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    imported_by_unit = models.ForeignKey("orgs.Unit", verbose_name=_("导入单位"), null=True,
                                         on_delete=models.SET_NULL, related_name="+")
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.filename


class Mode(models.TextChoices):
    PHONE = "phone", _("电话调查")
    ONLINE = "online", _("网络调查")
    ONSITE = "onsite", _("现场调查")


class SurveyResult(models.Model):
    round = models.ForeignKey(SurveyRound, verbose_name=_("满意度测评"), on_delete=models.CASCADE,
                              related_name="results")
    batch = models.ForeignKey(ImportBatch, verbose_name=_("导入批次"), on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(_("调查方式"), max_length=16, choices=Mode.choices)
    sample_size = models.PositiveIntegerField(_("样本量"), validators=[MinValueValidator(1)])
    score = models.DecimalField(_("满意度得分"), max_digits=5, decimal_places=2, validators=_percent)
    margin = models.DecimalField(_("误差范围（±百分点）"), max_digits=5, decimal_places=2, validators=_percent)

    class Meta:
        verbose_name = _("问卷调查结果")
        verbose_name_plural = _("问卷调查结果")
        constraints = [models.UniqueConstraint(fields=["round", "unit", "mode"], name="surveys_result_once")]

    def __str__(self) -> str:
        return f"{self.unit} {self.score}"


class MysteryVisit(models.Model):
    round = models.ForeignKey(SurveyRound, verbose_name=_("满意度测评"), on_delete=models.CASCADE,
                              related_name="visits")
    batch = models.ForeignKey(ImportBatch, verbose_name=_("导入批次"), on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("暗访日期"))
    place = models.CharField(_("办事地点"), max_length=200)
    score = models.DecimalField(_("暗访得分"), max_digits=5, decimal_places=2, validators=_percent)
    note = models.TextField(_("发现问题"), blank=True)

    class Meta:
        verbose_name = _("神秘办事人记录")
        verbose_name_plural = _("神秘办事人记录")
        constraints = [models.UniqueConstraint(fields=["round", "unit", "visited_on", "place"],
                                               name="surveys_visit_once")]

    def __str__(self) -> str:
        return f"{self.unit} {self.visited_on}"


class RatingCount(models.Model):
    """好差评 counts of a unit for the year (from the government-service rating system)."""

    round = models.ForeignKey(SurveyRound, verbose_name=_("满意度测评"), on_delete=models.CASCADE,
                              related_name="ratings")
    batch = models.ForeignKey(ImportBatch, verbose_name=_("导入批次"), on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+")
    good = models.PositiveIntegerField(_("好评数"))
    neutral = models.PositiveIntegerField(_("中评数"))
    bad = models.PositiveIntegerField(_("差评数"))

    class Meta:
        verbose_name = _("好差评数据")
        verbose_name_plural = _("好差评数据")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="surveys_rating_once")]

    def __str__(self) -> str:
        return f"{self.unit} {self.good}/{self.good + self.neutral + self.bad}"
