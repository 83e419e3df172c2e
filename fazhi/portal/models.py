"""Public portal data: the search index (PostgreSQL side) and public opinions (社情民意).

Other code that must change with these models: ``fazhi.portal.search`` (index), the opinion form and the
office's moderation and satisfaction pages (``fazhi.portal.views``), the demo.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """检索文档 — the index text of one published report (PostgreSQL backend; SQLite uses FTS5)."""

    report = models.OneToOneField("reports.AnnualReport", verbose_name=_("年度报告"), primary_key=True,
                                  on_delete=models.CASCADE, related_name="search_document")
    body = models.TextField(_("索引文本"))

    class Meta:
        verbose_name = _("检索文档")
        verbose_name_plural = _("检索文档")

    def __str__(self) -> str:
        return str(self.report_id)


class OpinionStatus(models.TextChoices):
    """Whether the office adopts the opinion (采纳) — for satisfaction scoring; publishing is ``is_public``."""

    PENDING = "pending", _("待处理")
    APPROVED = "approved", _("已采纳")
    REJECTED = "rejected", _("不予采纳")


def new_reference() -> str:
    """受理编号 — what a submitter keeps to look the opinion up: the year and 8 random characters (no 0/O/1/I),
    so numbers cannot be guessed one after another."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return f"MY{timezone.localdate().year}-" + "".join(secrets.choice(alphabet) for _ in range(8))


class PublicOpinion(models.Model):
    """社情民意 — an opinion from the public, moderated by the office and used in satisfaction scoring
    (DOMAIN.md §5.1 method 6)."""

    MAX_TEXT = 2000

    about_unit = models.ForeignKey("orgs.Unit", verbose_name=_("涉及单位"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="public_opinions")
    text = models.TextField(_("意见内容"), max_length=MAX_TEXT)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=OpinionStatus.choices, default=OpinionStatus.PENDING)
    ip_hash = models.CharField(_("来源标识"), max_length=64, blank=True, help_text=_("IP 地址的散列值，不保存原始地址"))
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    moderation_note = models.CharField(_("审核说明"), max_length=500, blank=True)
    reference = models.CharField(_("受理编号"), max_length=20, unique=True, default=new_reference, editable=False)
    is_public = models.BooleanField(_("在门户公开"), default=False,
                                    help_text=_("是否在门户展示，与是否采纳分开决定"))
    assigned_unit = models.ForeignKey("orgs.Unit", verbose_name=_("转办单位"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="assigned_opinions")
    assigned_at = models.DateTimeField(_("转办时间"), null=True, blank=True)
    reply = models.TextField(_("答复"), max_length=MAX_TEXT, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("社情民意")
        verbose_name_plural = _("社情民意")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def progress(self) -> str:
        """办理进度 as the submitter sees it: received, forwarded to a unit, answered."""
        if self.replied_at:
            return str(_("已答复"))
        if self.assigned_unit_id:
            return str(_("已转办"))
        return str(_("已受理"))
