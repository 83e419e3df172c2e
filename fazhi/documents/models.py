"""Official documents (公文): the issuing office's settings, its number register, issued documents and versions.

Rules (GB/T 9704-2012 §7.2.5; 党政机关公文处理工作条例 Art. 9):
- a document number (发文字号) is the office's 机关代字, the year in 〔〕 and a sequence number without leading
  zeros: 豫法治办〔2026〕12号. It is given when the document is issued, from a register per office and year
  (``NumberRegister``) that only ever counts up, so a number is never given twice;
- an issued document is never edited: its number, date and what it is about are fixed (``Document.save`` refuses
  a change); regenerating it writes a new ``DocumentVersion`` (same number) with the SHA-256 of its files, and
  every issue and version is written to the audit chain;
- the addressed and copied units (``DocumentRecipient``) see a document once it is issued and its kind allows
  (``kinds.Kind.visible``); nobody else does, besides the offices over the issuing office.

Other code that must change with these models: ``services`` (the only writer), ``policies`` (who sees what),
``selectors`` (the campaign bundle), the kinds registered by domain apps (``fazhi.reviews.letters``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import kinds


class IssuerProfile(models.Model):
    """发文机关设置 — how an office signs its documents. ``code`` (机关代字) is required to issue."""

    office = models.OneToOneField("orgs.Unit", verbose_name=_("发文机关"), on_delete=models.CASCADE,
                                  related_name="issuer_profile")
    code = models.CharField(_("机关代字"), max_length=20, help_text=_("如：豫法治办；发文字号为 机关代字〔年份〕序号号"))
    mark = models.CharField(_("发文机关标志"), max_length=60, blank=True,
                            help_text=_("红色版头文字，留空则用单位全称"))
    signature = models.CharField(_("发文机关署名"), max_length=60, blank=True, help_text=_("留空则用单位全称"))
    printer = models.CharField(_("印发机关"), max_length=60, blank=True, help_text=_("版记中的印发机关，留空则用单位全称"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("发文机关设置")
        verbose_name_plural = _("发文机关设置")

    def __str__(self) -> str:
        return f"{self.office} · {self.code}"

    def get_audit_unit(self):
        return self.office


class NumberRegister(models.Model):
    """发文登记 — the last sequence number an office gave in a year. Only ``services.document_issue`` writes it."""

    office = models.ForeignKey("orgs.Unit", verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用至"), default=0)

    class Meta:
        verbose_name = _("发文字号登记")
        verbose_name_plural = _("发文字号登记")
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="documents_register_office_year")]

    def __str__(self) -> str:
        return f"{self.office} {self.year}: {self.last}"


#: Fields fixed once a document is issued.
FROZEN_FIELDS = ("office_id", "kind", "key", "year", "seq", "number", "signed_on", "issued_at",
                 "subject_type_id", "subject_id", "about_unit_id")


class Document(models.Model):
    """公文 — one issued document of one office, with its number (发文字号) and its versions."""

    office = models.ForeignKey("orgs.Unit", verbose_name=_("发文机关"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("文种"), max_length=40)
    key = models.CharField(_("文书标识"), max_length=200, help_text=_("同一事项只制发一次"))
    title = models.CharField(_("标题"), max_length=300)
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveIntegerField(_("序号"))
    number = models.CharField(_("发文字号"), max_length=60)
    main_to = models.TextField(_("主送机关"))
    cc_to = models.TextField(_("抄送机关"), blank=True)
    subject_type = models.ForeignKey(ContentType, verbose_name=_("所属事项类型"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField(_("所属事项"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    about_unit = models.ForeignKey("orgs.Unit", verbose_name=_("涉及单位"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    params = models.JSONField(_("生成参数"), default=dict, blank=True)
    signed_on = models.DateField(_("成文日期"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("制发人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("制发时间"))

    class Meta:
        verbose_name = _("公文")
        verbose_name_plural = _("公文")
        ordering = ["-year", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["office", "year", "seq"], name="documents_document_number"),
            models.UniqueConstraint(fields=["office", "key"], name="documents_document_key"),
        ]
        indexes = [models.Index(fields=["subject_type", "subject_id"]), models.Index(fields=["office", "kind"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs) -> None:
        """An issued document keeps its number: a change of a frozen field is refused, whoever tries."""
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values(*FROZEN_FIELDS).first()
            if stored and any(stored[name] != getattr(self, name) for name in FROZEN_FIELDS):
                raise ValidationError(_("公文制发后不能修改发文字号、成文日期和所涉事项；如需更新请重新生成新版本"))
        super().save(*args, **kwargs)

    def get_audit_unit(self):
        return self.office

    @property
    def kind_label(self) -> str:
        return kinds.label(self.kind)


class RecipientRole(models.TextChoices):
    MAIN = "main", _("主送")
    CC = "cc", _("抄送")


class DocumentRecipient(models.Model):
    """主送/抄送单位 — a unit of the platform the document is addressed or copied to (it may see it)."""

    document = models.ForeignKey(Document, verbose_name=_("公文"), on_delete=models.CASCADE,
                                 related_name="recipients")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("方式"), max_length=8, choices=RecipientRole.choices)

    class Meta:
        verbose_name = _("收文单位")
        verbose_name_plural = _("收文单位")
        constraints = [models.UniqueConstraint(fields=["document", "unit", "role"], name="documents_recipient")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.unit}"


class PdfStatus(models.TextChoices):
    PENDING = "pending", _("PDF 生成中")
    DONE = "done", _("PDF 已生成")
    UNAVAILABLE = "unavailable", _("服务器未安装 LibreOffice，暂不能生成 PDF")
    FAILED = "failed", _("PDF 生成失败")


class DocumentVersion(models.Model):
    """版本 — the files of a document as generated once; version 1 at issue, one more at each regeneration."""

    document = models.ForeignKey(Document, verbose_name=_("公文"), on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("版本"))
    reason = models.CharField(_("生成原因"), max_length=300, blank=True)
    sha256 = models.CharField(_("Word 文件 SHA-256"), max_length=64)
    pdf_status = models.CharField(_("PDF 状态"), max_length=16, choices=PdfStatus.choices,
                                  default=PdfStatus.PENDING)
    pdf_error = models.CharField(_("PDF 问题"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("公文版本")
        verbose_name_plural = _("公文版本")
        ordering = ["document", "-version"]
        constraints = [models.UniqueConstraint(fields=["document", "version"], name="documents_version")]

    def __str__(self) -> str:
        return f"{self.document.number} v{self.version}"

    def get_audit_unit(self):
        return self.document.office


class FileRole(models.TextChoices):
    DOCX = "docx", _("Word")
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("附件 Excel")


def file_path(instance, filename: str) -> str:
    version = instance.version
    return f"documents/{version.document_id}/v{version.version}/{filename}"


class DocumentFile(models.Model):
    """A file of a version: the .docx, its PDF, the attachment tables as .xlsx. Served only through a view."""

    version = models.ForeignKey(DocumentVersion, verbose_name=_("版本"), on_delete=models.CASCADE,
                                related_name="files")
    role = models.CharField(_("类型"), max_length=8, choices=FileRole.choices)
    name = models.CharField(_("文件名"), max_length=255)
    file = models.FileField(_("文件"), upload_to=file_path)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)

    class Meta:
        verbose_name = _("公文文件")
        verbose_name_plural = _("公文文件")
        ordering = ["version", "role", "id"]

    def __str__(self) -> str:
        return self.name
