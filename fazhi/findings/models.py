"""Supervision findings and web searches (监督督察、网络检索): two of the seven methods of seed 001 考核方案 §五.

A finding (问题线索) is what a 督察, 巡视巡察, 审计, 复议纠错 or a media report found at one unit: the office keeps a
register of them per campaign, links each to the indicators it concerns, and the scorers of those indicators see
it beside the cell they score. A finding can open a rectification item (整改事项) of the reviews app, closed by
the office's sign-off (销号) there — one rectification model, not two. A web-search record (网络检索记录) is a
page found online about a unit (URL, date, the saved page or a screenshot, notes), attached to an indicator.

Other code that must change with these models: ``services`` (the one writer, Excel import), ``policies``,
``panels`` (the scoring-page panel), ``demo``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fazhi.io.uploads import EvidenceFileValidator

EVIDENCE_EXTENSIONS = (".pdf", ".docx", ".doc", ".xlsx", ".xls", ".jpg", ".jpeg", ".png", ".ofd")
#: a saved page (PDF print, MHTML is not sniffable so not taken) or a screenshot
SNAPSHOT_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg")


class Source(models.TextChoices):
    """来源 — who found the problem (seed 001 §五(二) 监督督察; §五(四) 网络检索 and media)."""

    INSPECTION = "inspection", _("督察")
    PATROL = "patrol", _("巡视巡察")
    AUDIT = "audit", _("审计")
    CORRECTION = "correction", _("复议纠错")
    MEDIA = "media", _("媒体")


def finding_path(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return f"findings/{instance.campaign_id}/{Path(filename).stem[:60]}{suffix}"


class Finding(models.Model):
    """督察发现 — one problem found at one unit, with where it came from and (optionally) a file proving it."""

    campaign = models.ForeignKey("assessment.Campaign", verbose_name=_("年度考核"), on_delete=models.CASCADE,
                                 related_name="+")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("涉及单位"), on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    problem = models.TextField(_("问题"))
    found_on = models.DateField(_("发现日期"))
    reference = models.CharField(_("出处"), max_length=300, blank=True, help_text=_("通报文号、报道标题等"))
    indicators = models.ManyToManyField("assessment.Indicator", verbose_name=_("涉及指标"), blank=True,
                                        related_name="+")
    evidence = models.FileField(_("证明材料"), upload_to=finding_path, blank=True,
                                validators=[EvidenceFileValidator(extensions=EVIDENCE_EXTENSIONS)])
    evidence_name = models.CharField(_("证明材料文件名"), max_length=255, blank=True)
    rectification = models.OneToOneField("reviews.Rectification", verbose_name=_("整改事项"), null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="finding")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督察发现")
        verbose_name_plural = _("督察发现")
        ordering = ["-found_on", "-pk"]
        indexes = [models.Index(fields=["campaign", "unit"]), models.Index(fields=["campaign", "source"])]

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.unit} · {self.problem[:30]}"


def snapshot_path(instance, filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    return f"findings/{instance.campaign_id}/web/{Path(filename).stem[:60]}{suffix}"


class WebRecord(models.Model):
    """网络检索记录 — a page found online about a unit, kept as a file because pages change or vanish."""

    campaign = models.ForeignKey("assessment.Campaign", verbose_name=_("年度考核"), on_delete=models.CASCADE,
                                 related_name="+")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("涉及单位"), on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey("assessment.Indicator", verbose_name=_("涉及指标"), on_delete=models.CASCADE,
                                  related_name="+")
    url = models.URLField(_("网址"), max_length=1000)
    found_on = models.DateField(_("检索日期"))
    snapshot = models.FileField(_("网页存档或截图"), upload_to=snapshot_path,
                                validators=[EvidenceFileValidator(extensions=SNAPSHOT_EXTENSIONS)])
    snapshot_name = models.CharField(_("存档文件名"), max_length=255)
    notes = models.TextField(_("检索发现"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("检索人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("网络检索记录")
        verbose_name_plural = _("网络检索记录")
        ordering = ["-found_on", "-pk"]
        indexes = [models.Index(fields=["campaign", "indicator", "unit"])]

    def __str__(self) -> str:
        return self.url
