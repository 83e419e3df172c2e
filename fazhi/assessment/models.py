"""Annual assessment (年度考核): campaigns, the "1+1+N" indicator tree, scores, adjustments and results.

Rules: DOMAIN.md §4–§5, seed 001 考核方案. The scoring rules themselves live in the pure-Python engine
``fazhi.core.scoring``; this app stores what the engine reads (``services.campaign_engine_input``) and what it
returns (``Result``). Never re-implement a scoring rule here.

Other code that must change with these models: ``services`` (engine input, Excel columns), ``api``
(serializers), ``demo`` (demo campaigns), ``bench/bench_assessment.py``, and the reviews/portal apps that read
``Campaign.status`` and ``Result``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fazhi.io import preview
from fazhi.io.uploads import validate_evidence_file
from fazhi.orgs.models import Category

DEFAULT_RANKED_CATEGORIES = [1, 4, 7]
ZERO = Decimal(0)


def default_ranked_categories() -> list[int]:
    return list(DEFAULT_RANKED_CATEGORIES)


def _validate_categories(value) -> None:
    if not isinstance(value, list) or any(
        isinstance(c, bool) or not isinstance(c, int) or c not in Category.values for c in value
    ):
        raise ValidationError(_("考核类别应为 1–7 的整数列表"))


class CampaignStatus(models.TextChoices):
    """考核状态 — the campaign's phase (DOMAIN.md §1 step 4, §5.5–§5.6). The steps between them are the table of
    ``fazhi.assessment.lifecycle`` (its only writer); being frozen (``Campaign.frozen``) is a flag, not a phase."""

    DRAFT = "draft", _("草稿")
    SCORING = "scoring", _("评分中")
    COMPUTED = "computed", _("已计算")
    FEEDBACK = "feedback", _("反馈核实中")
    SUBMITTED = "submitted", pgettext_lazy("status", "报请审定")
    APPROVED = "approved", _("已审定")
    PUBLISHED = "published", _("已公布")
    NOTIFIED = "notified", _("已通报")


class MissingRule(models.TextChoices):
    """What a missing expected sub-unit evaluation does (the engine's ``MISSING_RULES``)."""

    BLOCK = "block", _("缺评时不能计算（补齐评价）")
    ZERO = "zero", _("缺评按0分计入平均值")
    EXCLUDE = "exclude", _("缺评不计入平均值（结果中注明）")


class Campaign(models.Model):
    """年度考核 — one level's assessment of one year (分级考核: each level runs its own, DOMAIN.md §5.9).

    ``owner`` is the jurisdiction root (the government the office serves, ``policies.jurisdiction``); the
    assessed units are the ``CampaignUnit`` rows. Grade thresholds and the 优秀 share are typed in by the office
    each year (the seeds give none, §5.4); the caps come from seed 001 §五(七).
    """

    owner = models.ForeignKey(
        "orgs.Unit", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="campaigns",
        help_text=_("本级政府（考核办所服务的辖区根单位）"),
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    name = models.CharField(_("名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    frozen = models.BooleanField(_("已冻结"), default=False, help_text=_("冻结后不能再修改分数和加减分"))
    previous = models.ForeignKey(
        "self", verbose_name=_("上一年度考核"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    excellent_min = models.DecimalField(_("优秀分数线"), max_digits=6, decimal_places=2, default=Decimal(90))
    good_min = models.DecimalField(_("良好分数线"), max_digits=6, decimal_places=2, default=Decimal(80))
    pass_min = models.DecimalField(_("合格分数线"), max_digits=6, decimal_places=2, default=Decimal(60))
    bonus_cap = models.DecimalField(_("加分上限"), max_digits=6, decimal_places=2, default=Decimal(5),
                                    validators=[MinValueValidator(ZERO)])
    deduction_cap = models.DecimalField(_("扣分上限"), max_digits=6, decimal_places=2, default=Decimal(10),
                                        validators=[MinValueValidator(ZERO)])
    excellent_quota = models.DecimalField(
        _("优秀比例上限"), max_digits=4, decimal_places=3, null=True, blank=True,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal(1))],
        help_text=_("0–1 之间的比例，如 0.3；留空表示不限"),
    )
    ranked_categories = models.JSONField(_("排名类别"), default=default_ranked_categories,
                                         validators=[_validate_categories])
    warning_rank_drop = models.PositiveSmallIntegerField(_("通报警示的排名下降位数"), default=5,
                                                         validators=[MinValueValidator(1)])
    # Optional method weights (some provinces weight daily work and satisfaction); all empty = the scheme's plain
    # sum 日常工作落实 + 实地考核 + 满意度 (DOMAIN §10). Set, they add up to 100.
    weight_daily_work = models.DecimalField(_("日常工作落实权重"), max_digits=5, decimal_places=2, null=True,
                                            blank=True, validators=[MinValueValidator(ZERO)])
    weight_field_work = models.DecimalField(_("实地考核权重"), max_digits=5, decimal_places=2, null=True,
                                            blank=True, validators=[MinValueValidator(ZERO)])
    weight_survey = models.DecimalField(_("满意度权重"), max_digits=5, decimal_places=2, null=True, blank=True,
                                        validators=[MinValueValidator(ZERO)],
                                        help_text=_("三项权重都留空时按考核方案直接相加；填写时三项合计须为100"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    publish_scores = models.BooleanField(
        _("公布总分和排名"), default=False,
        help_text=_("只对排名类别有效；只评定等次的类别始终只公布等次"))
    # who did what (审定: whoever prepared or submitted the results never approves them; ``lifecycle``)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("计算人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报请审定人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField(_("报请审定时间"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审定人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(_("审定录入时间"), null=True, blank=True)
    approval_date = models.DateField(_("审定日期"), null=True, blank=True)
    approval_number = models.CharField(_("审定文号"), max_length=80, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("公布人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    # 下级单位缺评的处理 (§五(一); DOMAIN §10 "a gap to fix"): block compute (default), or — the office's decision,
    # with its reason (audited, ``services.campaign_missing_rule_set``) — count a missing one as 0, or leave it out
    # of the mean with a note on the unit's result. The engine enforces the same rule (``engine_settings``).
    missing_subunits = models.CharField(
        _("下级单位缺评处理"), max_length=8, choices=MissingRule.choices, default=MissingRule.BLOCK)
    missing_subunits_reason = models.TextField(_("缺评处理理由"), blank=True)
    commitment_root = models.CharField(
        _("结果根哈希"), max_length=64, blank=True,
        help_text=_("公布时对各单位计分输入和结果构建的默克尔树根（RFC 6962），各单位可据此核验本单位结果"))

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["-year", "owner__path"]
        constraints = [models.UniqueConstraint(fields=["owner", "year"], name="assessment_campaign_owner_year")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if None not in (self.excellent_min, self.good_min, self.pass_min) and not (
            self.excellent_min > self.good_min > self.pass_min >= 0
        ):
            raise ValidationError({"good_min": _("分数线须满足 优秀 > 良好 > 合格 ≥ 0")})
        if self.previous_id and self.previous_id == self.pk:
            raise ValidationError({"previous": _("上一年度考核不能是本次考核")})
        weights = self.method_weights()
        filled = [w for w in (self.weight_daily_work, self.weight_field_work, self.weight_survey) if w is not None]
        if filled and (weights is None or sum(weights.values()) != 100):
            raise ValidationError({"weight_survey": _("考核方式权重须三项都填写且合计为100，或三项都留空")})

    def method_weights(self) -> dict[str, Decimal] | None:
        """The engine's ``method_weights`` (subtotal → weight), or ``None`` for the plain sum."""
        values = (self.weight_daily_work, self.weight_field_work, self.weight_survey)
        if any(v is None for v in values):
            return None
        return dict(zip(("daily_work", "field_work", "survey"), values, strict=True))

    @property
    def is_editable(self) -> bool:
        """Indicators and settings may change only while drafting."""
        return self.status == CampaignStatus.DRAFT and not self.frozen

    @property
    def is_scoring(self) -> bool:
        return self.status == CampaignStatus.SCORING and not self.frozen

    def engine_settings(self) -> dict:
        """The ``settings`` object of the engine's JSON input."""
        return {
            "grades": {"优秀": str(self.excellent_min), "良好": str(self.good_min), "合格": str(self.pass_min)},
            "bonus_cap": str(self.bonus_cap),
            "deduction_cap": str(self.deduction_cap),
            "excellent_quota": None if self.excellent_quota is None else str(self.excellent_quota),
            "ranked_categories": list(self.ranked_categories),
            "warning_rank_drop": self.warning_rank_drop,
            "method_weights": None if (w := self.method_weights()) is None else {k: str(v) for k, v in w.items()},
            "missing_subunits": {"rule": self.missing_subunits, "reason": self.missing_subunits_reason},
        }


class CampaignUnit(models.Model):
    """考核对象 — an assessed unit of the campaign, with its category as it was when the campaign started."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("年度考核"), on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    category = models.PositiveSmallIntegerField(_("考核类别"), choices=Category.choices)

    class Meta:
        verbose_name = _("考核对象")
        verbose_name_plural = _("考核对象")
        ordering = ["category", "unit__sort_order", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="assessment_campaignunit_unique")]

    def __str__(self) -> str:
        return f"{self.unit} ({self.category})"


class Method(models.TextChoices):
    """考核方式 — the seven methods of seed 001 考核方案 §五. 加减分评定 is never a scored leaf (DOMAIN §10: bonus
    and deduction are added on top of the composite score): it is the ``Adjustment`` items."""

    DAILY = "daily", _("日常评价")
    SUPERVISION = "supervision", _("监督督察")
    REVIEW = "review", _("集中评查")
    WEB = "web", _("网络检索")
    FIELD = "field", _("实地考核")
    SURVEY = "survey", _("满意度调查")
    ADJUSTMENT = "adjustment", _("加减分评定")


class Indicator(models.Model):
    """考核指标 — a node of the year's "1+1+N" tree (DOMAIN.md §4): headings have no points, leaves do.

    A leaf applies to the units of its ``categories`` plus/minus the per-unit ``IndicatorOverride`` rows
    (增减, seed 001 §四). It is scored by its ``assessing_units``; with ``allow_subunits`` a unit that has
    sub-units (a city's departments) is scored per sub-unit and the engine takes the mean (§五(一)).
    """

    campaign = models.ForeignKey(Campaign, verbose_name=_("年度考核"), on_delete=models.CASCADE,
                                 related_name="indicators")
    parent = models.ForeignKey("self", verbose_name=_("上级指标"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    code = models.CharField(_("指标编号"), max_length=32)
    title = models.CharField(_("指标名称"), max_length=300)
    description = models.TextField(_("评分标准"), blank=True)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2, null=True, blank=True,
                                 validators=[MinValueValidator(ZERO)], help_text=_("标题行留空"))
    method = models.CharField(_("考核方式"), max_length=16, choices=Method.choices, blank=True)
    categories = models.JSONField(_("适用类别"), default=list, blank=True, validators=[_validate_categories])
    assessing_units = models.ManyToManyField("orgs.Unit", verbose_name=_("考核主体"), blank=True,
                                             related_name="assessed_indicators")
    allow_subunits = models.BooleanField(_("按下级单位评分"), default=False,
                                         help_text=_("按市直部门等下级单位分别评分，取平均值计入上级单位"))
    sort = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["campaign", "sort", "code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="assessment_indicator_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_leaf(self) -> bool:
        return self.points is not None

    def clean(self) -> None:
        if self.parent_id and self.parent.campaign_id != self.campaign_id:
            raise ValidationError({"parent": _("上级指标必须属于同一年度考核")})
        if self.parent_id and self.parent.points is not None:
            raise ValidationError({"parent": _("上级指标必须是标题行（无分值）")})
        if self.points is not None and not self.method:
            raise ValidationError({"method": _("有分值的指标必须填写考核方式")})
        if self.points is not None and self.method == Method.ADJUSTMENT:
            raise ValidationError({"method": ADJUSTMENT_LEAF_MESSAGE})


ADJUSTMENT_LEAF_MESSAGE = _("加减分在综合评分的基础上另计，不能作为有分值的指标（考核方案§五(七)），请录入为加减分事项")

#: The subtotals of a result (DOMAIN §10: total = 日常工作落实 + 实地考核 + 满意度 + 加减分), as ``Result`` fields.
SUBTOTAL_FIELDS = (
    ("daily_work", _("日常工作落实")),
    ("field_work", _("实地考核")),
    ("survey", _("满意度")),
    ("adjustment", _("加减分")),
)


class ExpectedEvaluation(models.Model):
    """应评价清单 — one sub-unit evaluation the office expects: ``subunit`` evaluates (or is evaluated for)
    ``unit`` on ``indicator`` (seed 001 §五(一) "各省直单位要对本系统……进行评价", the mean counts toward the
    unit). Declared for an indicator scored per sub-unit; the declared sub-units of a unit × indicator replace the
    default (the unit's own assessed sub-units). Every declared one must be scored before computing, unless the
    campaign's ``missing_subunits`` rule says otherwise. Written by ``services.expected_*`` only."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("年度考核"), on_delete=models.CASCADE,
                                 related_name="expected_evaluations")
    indicator = models.ForeignKey(Indicator, verbose_name=_("考核指标"), on_delete=models.CASCADE,
                                  related_name="expected_evaluations")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+")
    subunit = models.ForeignKey("orgs.Unit", verbose_name=_("下级单位"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("应评价清单")
        verbose_name_plural = _("应评价清单")
        ordering = ["indicator__sort", "indicator__code", "unit__path", "subunit__sort_order", "subunit__path"]
        constraints = [models.UniqueConstraint(fields=["indicator", "unit", "subunit"],
                                               name="assessment_expected_unique")]
        indexes = [models.Index(fields=["campaign", "indicator", "unit"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.unit} · {self.subunit}"


class OverrideAction(models.TextChoices):
    ADD = "add", _("增加")
    REMOVE = "remove", _("减少")


class IndicatorOverride(models.Model):
    """指标增减 — add an indicator to, or remove it from, one unit (seed 001 §四 "结合考核对象工作实际进行增减")."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("考核指标"), on_delete=models.CASCADE,
                                  related_name="overrides")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    action = models.CharField(_("增减"), max_length=8, choices=OverrideAction.choices)
    reason = models.TextField(_("增减理由"), blank=True, help_text=_("结合考核对象工作实际进行增减的理由"))

    class Meta:
        verbose_name = _("指标增减")
        verbose_name_plural = _("指标增减")
        constraints = [models.UniqueConstraint(fields=["indicator", "unit"], name="assessment_override_unique")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.indicator.code} · {self.unit}"


class ScoreStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")


class Score(models.Model):
    """评分 — the points an assessing unit gives one unit (or one of its sub-units) for one indicator.

    One row per cell; ``version`` is the optimistic lock: a save that names an older version is refused
    (``services.score_save``), so a concurrent edit is never silently lost.
    """

    campaign = models.ForeignKey(Campaign, verbose_name=_("年度考核"), on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, verbose_name=_("考核指标"), on_delete=models.CASCADE,
                                  related_name="scores")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+")
    subunit = models.ForeignKey("orgs.Unit", verbose_name=_("下级单位"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("得分"), max_digits=6, decimal_places=2, validators=[MinValueValidator(ZERO)])
    reason = models.TextField(_("评分理由"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ScoreStatus.choices, default=ScoreStatus.DRAFT)
    scored_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评分人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    scored_by_unit = models.ForeignKey("orgs.Unit", verbose_name=_("评分单位"), null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        ordering = ["indicator__sort", "indicator__code", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit"], condition=Q(subunit__isnull=True),
                                    name="assessment_score_cell"),
            models.UniqueConstraint(fields=["indicator", "unit", "subunit"], condition=Q(subunit__isnull=False),
                                    name="assessment_score_subcell"),
        ]
        indexes = [models.Index(fields=["campaign", "status"]), models.Index(fields=["unit", "indicator"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} · {self.unit} = {self.value}"

    def clean(self) -> None:
        points = self.indicator.points if self.indicator_id else None
        if points is None and self.indicator_id:
            raise ValidationError({"indicator": _("标题行不能评分")})
        if self.value is not None and points is not None and not (ZERO <= self.value <= points):
            raise ValidationError({"value": _("得分应在 0 到 %(points)s 之间") % {"points": points}})


def evidence_path(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return f"assessment/{instance.score.campaign_id}/evidence/{instance.score_id}/{Path(filename).stem[:60]}{suffix}"


class Evidence(models.Model):
    """佐证材料 — a file attached to a score."""

    score = models.ForeignKey(Score, verbose_name=_("评分"), on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to=evidence_path, validators=[validate_evidence_file])
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def preview_kind(self) -> str | None:
        """"pdf" / "image" when the page can show it (``fazhi.io.preview``), else None."""
        return preview.kind(self.original_name)


class AdjustmentKind(models.TextChoices):
    BONUS = "bonus", _("加分")
    DEDUCTION = "deduction", _("扣分")


class Adjustment(models.Model):
    """加减分 — a bonus or deduction item (seed 001 §五(七)): bonus at most 5 in total, deduction at most 10
    "in principle"; the office may decide an item ``exceed_cap`` with a recorded reason; a ``serious`` item
    makes the unit ineligible for 优秀. Each item needs a reason and a source."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("年度考核"), on_delete=models.CASCADE,
                                 related_name="adjustments")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=16, choices=AdjustmentKind.choices)
    points = models.DecimalField(_("分值"), max_digits=6, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    reason = models.TextField(_("事由"))
    source = models.CharField(_("依据来源"), max_length=300, help_text=_("通报文件、媒体报道、网络检索记录等"))
    serious = models.BooleanField(_("情节严重"), default=False)
    exceed_cap = models.BooleanField(_("突破扣分上限"), default=False, help_text=_("仅考核办可决定，须说明理由"))
    exceed_reason = models.TextField(_("突破上限理由"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("加减分")
        verbose_name_plural = _("加减分")
        ordering = ["unit__path", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points} · {self.unit}"

    def clean(self) -> None:
        if self.exceed_cap and self.kind != AdjustmentKind.DEDUCTION:
            raise ValidationError({"exceed_cap": _("只有扣分可以突破上限")})
        if self.exceed_cap and not self.exceed_reason.strip():
            raise ValidationError({"exceed_reason": _("突破扣分上限必须说明理由")})
        if self.serious and self.kind != AdjustmentKind.DEDUCTION:
            raise ValidationError({"serious": _("“情节严重”只适用于扣分")})


class Grade(models.TextChoices):
    EXCELLENT = "优秀", _("优秀")
    GOOD = "良好", _("良好")
    PASS = "合格", _("合格")
    FAIL = "不合格", _("不合格")


class Result(models.Model):
    """考核结果 — one unit's computed result, as the engine returned it (``services.campaign_compute``).

    ``rank`` is null for categories that are graded only (seed 001 §六(一)); never show it for them.
    List flags: 表彰 (优秀 two years running), 通报警示 (last or fell far), 法治建议书 (合格 or 不合格), §六.
    """

    campaign = models.ForeignKey(Campaign, verbose_name=_("年度考核"), on_delete=models.CASCADE, related_name="results")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+")
    category = models.PositiveSmallIntegerField(_("考核类别"), choices=Category.choices)
    applicable_points = models.DecimalField(_("适用分值"), max_digits=7, decimal_places=2)
    earned = models.DecimalField(_("实得分"), max_digits=7, decimal_places=2)
    base = models.DecimalField(_("折算得分"), max_digits=7, decimal_places=2)
    bonus = models.DecimalField(_("加分"), max_digits=7, decimal_places=2)
    deduction = models.DecimalField(_("扣分"), max_digits=7, decimal_places=2)
    total = models.DecimalField(_("总分"), max_digits=7, decimal_places=2)
    # Method subtotals (they add up to the total); null on results computed before they were kept.
    daily_work = models.DecimalField(_("日常工作落实"), max_digits=7, decimal_places=2, null=True, blank=True)
    field_work = models.DecimalField(_("实地考核"), max_digits=7, decimal_places=2, null=True, blank=True)
    survey = models.DecimalField(_("满意度"), max_digits=7, decimal_places=2, null=True, blank=True)
    adjustment = models.DecimalField(_("加减分"), max_digits=7, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等次"), max_length=8, choices=Grade.choices)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    serious = models.BooleanField(_("有情节严重扣分"), default=False)
    notes = models.JSONField(_("说明"), default=list, blank=True)
    commendation = models.BooleanField(_("列入表彰名单"), default=False)
    warning = models.BooleanField(_("列入通报警示名单"), default=False)
    recommendation_letter = models.BooleanField(_("制发法治建议书"), default=False)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        ordering = ["campaign", "category", "-total", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="assessment_result_unique")]

    def __str__(self) -> str:
        return f"{self.unit} {self.total} {self.grade}"

    def subtotals(self) -> list[tuple[str, str, Decimal | None]]:
        """(field, label, value) of each method subtotal, in the scheme's order."""
        return [(name, label, getattr(self, name)) for name, label in SUBTOTAL_FIELDS]

    @property
    def has_subtotals(self) -> bool:
        return self.daily_work is not None
