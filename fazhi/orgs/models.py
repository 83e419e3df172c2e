"""Units (单位), their hierarchy, and the people who work in them.

A unit is any body the platform knows: a government (人民政府), one of its departments (部门), an office
(依法治省办 / 法治政府建设领导小组办公室), a court, a central unit in the province… Units form one tree per
installation: province → cities → counties → townships, with departments under their government.
Assessed units carry one of the seven categories of the assessment scheme (seed 001 考核方案 §二).

Other models that must change with this one: ``fazhi.orgs.policies`` (data scope), the unit Excel
import/export (``fazhi.orgs.services.unit_import``), the demo data (``load_demo``).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    """层级 — administrative level."""

    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡级")


class UnitKind(models.TextChoices):
    """单位类型."""

    GOVERNMENT = "government", _("人民政府")
    OFFICE = "office", _("考核办")
    DEPARTMENT = "department", _("政府部门")
    PARTY_ORGAN = "party_organ", _("党委工作机关")
    LEGISLATURE = "legislature", _("人大、政协机关")
    JUDICIAL = "judicial", _("法院、检察院")
    MASS_ORGANIZATION = "mass_org", pgettext_lazy("unit kind", "群团机关")
    CENTRAL = "central", _("中央驻地单位")
    THIRD_PARTY = "third_party", _("第三方机构")
    OTHER = "other", _("其他")


class Category(models.IntegerChoices):
    """考核对象类别 — the seven assessed-unit categories, seed 001 考核方案 §二."""

    CITIES = 1, _("各省辖市、济源示范区")
    PARTY_ORGANS = 2, _("省纪委监委机关、省委工作机关及其管理的机关")
    LEGISLATURE = 3, _("省人大常委会办公厅、省政协办公厅")
    GOVERNMENT_DEPARTMENTS = 4, _("省政府办公厅、省政府组成部门、直属特设机构、直属机构、部门管理机构")
    JUDICIAL = 5, _("省法院、省检察院")
    MASS_ORGANIZATIONS = 6, pgettext_lazy("category", "群团机关")
    CENTRAL_UNITS = 7, _("中央驻豫单位")


#: Categories whose results carry a rank (seed 001 考核方案 §七); the others are graded only.
RANKED_CATEGORIES = (1, 4, 7)

PATH_STEP = 8  # digits per tree level in Unit.path


class UnitQuerySet(models.QuerySet):
    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        """The unit and everything below it (本单位及以下)."""
        return self.filter(path__startswith=unit.path)

    def assessed(self) -> UnitQuerySet:
        return self.filter(category__isnull=False)


class Unit(models.Model):
    """单位 — a node of the unit tree."""

    code = models.CharField(_("编码"), max_length=64, unique=True, help_text=_("唯一编码，如 HA-ZZ"))
    name = models.CharField(_("名称"), max_length=200)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("单位类型"), max_length=16, choices=UnitKind.choices)
    category = models.PositiveSmallIntegerField(
        _("考核类别"), choices=Category.choices, null=True, blank=True, help_text=_("不参加考核的单位留空")
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("树路径"), max_length=255, db_index=True, editable=False, default="")
    region = models.CharField(_("行政区划名"), max_length=60, blank=True, help_text=_("地图上的区域名，如 郑州市"))
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Save, then keep the materialised path in step with ``parent`` (a move rewrites the subtree)."""
        with transaction.atomic():
            super().save(*args, **kwargs)
            self._sync_path()

    @property
    def depth(self) -> int:
        return len(self.path) // PATH_STEP

    @property
    def is_ranked(self) -> bool:
        return self.category in RANKED_CATEGORIES

    def ancestors(self) -> models.QuerySet[Unit]:
        prefixes = [self.path[: i * PATH_STEP] for i in range(1, self.depth)]
        return Unit.objects.filter(path__in=prefixes).order_by("path")

    def clean(self) -> None:
        if self.parent_id and self.pk and self.path:
            parent_path = Unit.objects.values_list("path", flat=True).get(pk=self.parent_id)
            if parent_path.startswith(self.path):
                raise ValidationError({"parent": _("上级单位不能是本单位或其下级单位")})

    def _sync_path(self) -> None:
        parent_path = (
            Unit.objects.values_list("path", flat=True).get(pk=self.parent_id) if self.parent_id else ""
        )
        new_path = parent_path + f"{self.pk:0{PATH_STEP}d}"
        if new_path == self.path:
            return
        old_path, self.path = self.path, new_path
        Unit.objects.filter(pk=self.pk).update(path=new_path)
        if old_path:
            for pk, path in Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).values_list("pk", "path"):
                Unit.objects.filter(pk=pk).update(path=new_path + path[len(old_path) :])


class Role(models.TextChoices):
    """角色 — what a person does on the platform (DOMAIN.md §2)."""

    OFFICE = "office", _("考核办")
    ASSESSING = "assessing", _("考核主体")
    ASSESSED = "assessed", _("考核对象")
    EXPERT = "expert", _("评查专家")
    FIELD_TEAM = "field_team", _("实地考核组")
    SURVEY = "survey", _("第三方调查机构")
    APPROVER = "approver", _("审定人")
    PUBLIC = "public", _("公众")


class User(AbstractUser):
    """人员 — a person with one role, working in one unit (the public belong to none)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices, default=Role.PUBLIC)
    display_name = models.CharField(_("姓名"), max_length=60, blank=True)
    phone = models.CharField(_("电话"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.display_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role not in (Role.PUBLIC,) and not self.unit_id and not self.is_superuser:
            raise ValidationError({"unit": _("除公众外，人员必须属于一个单位")})


class LoginRecord(models.Model):
    """登录日志 — every sign-in attempt, kept for the office's security review (RuoYi-style 登录日志)."""

    username = models.CharField(_("用户名"), max_length=150, db_index=True)
    user = models.ForeignKey(User, verbose_name=_("人员"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    succeeded = models.BooleanField(_("成功"))
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user_agent = models.CharField(_("浏览器"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("登录日志")
        verbose_name_plural = _("登录日志")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.username} {'✓' if self.succeeded else '✗'} {self.created_at:%Y-%m-%d %H:%M}"
