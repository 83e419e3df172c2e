"""实地考核 (field assessment, 考核方案 §五(五)): for a city (or any assessed unit with units below it), a sample of
its departments and lower governments drawn from a published seed and fixed before the visit (shown to the unit
only once the visit is completed); the team (officials, NPC deputies, CPPCC members, scholars, lawyers,
journalists) and schedule; interview, site and unannounced-visit (暗访) records with photos; the 法治理论测试
results per person, turned into the indicator by ``fazhi.core.methods.theory_test``.

One writer: ``services.py``. ``VisitSample`` is written once and never changed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.draws.models import SampleRecord
from fazhi.io.uploads import EvidenceFileValidator


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("待抽样")
    SAMPLED = "sampled", _("已抽样，待考核")
    COMPLETED = "completed", _("已完成")


class FieldVisit(models.Model):
    """实地考核 of one assessed unit by a field team."""

    campaign = models.ForeignKey("assessment.Campaign", verbose_name=_("年度考核"), on_delete=models.CASCADE,
                                 related_name="+")
    indicator = models.ForeignKey("assessment.Indicator", verbose_name=_("法治理论测试指标"), on_delete=models.PROTECT,
                                  related_name="+")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("考核对象"), on_delete=models.PROTECT, related_name="+")
    team_unit = models.ForeignKey("orgs.Unit", verbose_name=_("实地考核组"), on_delete=models.PROTECT,
                                  related_name="+")
    start_date = models.DateField(_("考核开始日期"))
    end_date = models.DateField(_("考核结束日期"))
    schedule = models.TextField(_("日程安排"), blank=True)
    departments_k = models.PositiveSmallIntegerField(_("抽取部门数"), default=2, validators=[MaxValueValidator(50)])
    governments_k = models.PositiveSmallIntegerField(_("抽取下级政府数"), default=2, validators=[MaxValueValidator(50)])
    required_count = models.PositiveIntegerField(_("应参加测试人数"), validators=[MinValueValidator(1)])
    min_rate = models.DecimalField(_("参考率要求"), max_digits=4, decimal_places=2, default=Decimal("0.90"),
                                   validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(1))])
    status = models.CharField(_("状态"), max_length=16, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("实地考核")
        verbose_name_plural = _("实地考核")
        ordering = ["-start_date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="fieldwork_one_visit_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit} {self.start_date}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("结束日期不能早于开始日期")})


class MemberKind(models.TextChoices):
    OFFICIAL = "official", _("工作人员")
    NPC = "npc", _("人大代表")
    CPPCC = "cppcc", _("政协委员")
    SCHOLAR = "scholar", _("专家学者")
    LAWYER = "lawyer", _("律师")
    JOURNALIST = "journalist", _("新闻记者")


class TeamMember(models.Model):
    """考核组成员."""

    visit = models.ForeignKey(FieldVisit, verbose_name=_("实地考核"), on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    kind = models.CharField(_("身份"), max_length=16, choices=MemberKind.choices)
    organisation = models.CharField(_("工作单位"), max_length=200, blank=True)
    is_leader = models.BooleanField(_("组长"), default=False)

    class Meta:
        verbose_name = _("考核组成员")
        verbose_name_plural = _("考核组成员")
        ordering = ["-is_leader", "pk"]

    def __str__(self) -> str:
        return self.name


class VisitSample(SampleRecord):
    """抽样记录 of a visit (``fazhi.draws``): strata ``department`` and ``government``. Written once."""

    visit = models.OneToOneField(FieldVisit, verbose_name=_("实地考核"), on_delete=models.CASCADE,
                                 related_name="sample")

    class Meta:
        verbose_name = _("实地考核抽样记录")
        verbose_name_plural = _("实地考核抽样记录")


class SampledUnit(models.Model):
    """A unit drawn for the visit (部门 or 下级政府)."""

    visit = models.ForeignKey(FieldVisit, verbose_name=_("实地考核"), on_delete=models.CASCADE,
                              related_name="sampled")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("被抽中单位"), on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField(_("类别"), max_length=16)
    rank = models.PositiveSmallIntegerField(_("抽取顺序"))

    class Meta:
        verbose_name = _("被抽中单位")
        verbose_name_plural = _("被抽中单位")
        ordering = ["stratum", "rank"]

    def __str__(self) -> str:
        return str(self.unit)


class RecordKind(models.TextChoices):
    INTERVIEW = "interview", _("座谈访谈")
    SITE = "site", _("现场查看")
    UNANNOUNCED = "unannounced", _("暗访")


class VisitRecord(models.Model):
    """访谈、现场查看或暗访记录."""

    visit = models.ForeignKey(FieldVisit, verbose_name=_("实地考核"), on_delete=models.CASCADE, related_name="records")
    kind = models.CharField(_("类型"), max_length=16, choices=RecordKind.choices)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("涉及单位"), on_delete=models.PROTECT, related_name="+")
    happened_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    text = models.TextField(_("记录内容"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核记录")
        verbose_name_plural = _("考核记录")
        ordering = ["happened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.unit}"


validate_photo = EvidenceFileValidator((".jpg", ".jpeg", ".png"))


def photo_path(instance, filename: str) -> str:
    return f"fieldwork/{instance.record.visit_id}/{filename}"


class VisitPhoto(models.Model):
    record = models.ForeignKey(VisitRecord, verbose_name=_("考核记录"), on_delete=models.CASCADE,
                               related_name="photos")
    file = models.FileField(_("照片"), upload_to=photo_path, validators=[validate_photo])
    original_name = models.CharField(_("原文件名"), max_length=255)

    class Meta:
        verbose_name = _("照片")
        verbose_name_plural = _("照片")

    def __str__(self) -> str:
        return self.original_name


class TestResult(models.Model):
    __test__ = False  # not a pytest class, despite the name

    """法治理论测试 — one person's result."""

    visit = models.ForeignKey(FieldVisit, verbose_name=_("实地考核"), on_delete=models.CASCADE,
                              related_name="test_results")
    name = models.CharField(_("姓名"), max_length=50)
    post = models.CharField(_("职务"), max_length=100)
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("成绩"), max_digits=5, decimal_places=2,
                                validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))])

    class Meta:
        verbose_name = _("法治理论测试成绩")
        verbose_name_plural = _("法治理论测试成绩")
        ordering = ["unit__path", "name"]
        constraints = [models.UniqueConstraint(fields=["visit", "unit", "name"], name="fieldwork_result_once")]

    def __str__(self) -> str:
        return f"{self.name} {self.score}"
