"""The only writer of official documents: office settings, issuing (number assigned here), regenerating, PDFs.

Issuing, in one transaction: build the content (the kind's ``build``), check the template against the format
rules, take the next number from the office's register for the year (row locked), render the .docx with it,
store document, recipients, version 1 and its files, and write the audit event with the files' SHA-256.

The PDF is made after commit by a Celery task (``tasks.make_pdf`` → ``pdfs.version_make_pdf``; eager in the
demo and tests): LibreOffice takes seconds per document, and in production a worker keeps that out of the
request, so issuing notices to a hundred units does not hold a page for minutes. A document whose PDF cannot
be made keeps its DOCX and says why (``DocumentVersion.pdf_status``).
"""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.audit.services import record_event
from fazhi.io import docx_templates, gongwen, pdf
from fazhi.io.jobs import BrokerUnavailable, dispatch

from . import kinds, tasks
from .models import (
    Document,
    DocumentFile,
    DocumentRecipient,
    DocumentVersion,
    FileRole,
    IssuerProfile,
    NumberRegister,
    PdfStatus,
    RecipientRole,
)
from .pdfs import sha256_hex

#: Placeholders every document template may use (name → what it is), filled by ``render_content``.
COMMON_PLACEHOLDERS = {
    "issuer_mark": "发文机关标志",
    "doc_number": "发文字号",
    "title": "标题",
    "main_to": "主送机关",
    "body": "正文（{{p body }}，由系统按公文格式生成）",
    "attachment_note": "附件说明（{{p attachment_note }}）",
    "attachments": "附件页（{{p attachments }}，含附件表格）",
    "signature": "发文机关署名",
    "date": "成文日期",
    "cc": "抄送机关（为空时不显示抄送行）",
    "printer": "印发机关",
    "print_date": "印发日期",
    "office_name": "发文机关全称",
}
REQUIRED_PLACEHOLDERS = {"doc_number": "发文字号"}
_CODE = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]{2,20}$")
_TEXT_MAX = 2000


def chinese_date(day: dt.date) -> str:
    """成文日期: year in full, month and day without leading zeros (GB/T 9704-2012 §7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日"


def format_number(code: str, year: int, seq: int) -> str:
    """发文字号: 机关代字〔年份〕序号号, without 第 and without leading zeros (§7.2.5)."""
    return f"{code}〔{year}〕{seq}号"


def _require_office(user, office) -> None:
    if not (getattr(user, "is_authenticated", False) and user.unit_id == office.pk and user.role == "office"):
        raise ValidationError(_("只有发文机关（本单位考核办）可以制发公文"))


def _clean_text(value: str, label: str, max_length: int = _TEXT_MAX) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationError(_("“%(f)s”含有无效字符") % {"f": label})
    if len(value) > max_length:
        raise ValidationError(_("“%(f)s”过长（最多 %(n)s 字）") % {"f": label, "n": max_length})
    return value


# --- office settings ---------------------------------------------------------------------------------------------

@transaction.atomic
def profile_save(*, user, office, code: str, mark: str = "", signature: str = "", printer: str = "") -> IssuerProfile:
    _require_office(user, office)
    code = _clean_text(code, _("机关代字"), 20)
    if not _CODE.match(code):
        raise ValidationError(_("机关代字应为 2–20 个汉字、字母或数字，如：豫法治办"))
    profile = IssuerProfile.objects.filter(office=office).first()
    before = {"code": profile.code, "mark": profile.mark, "signature": profile.signature,
              "printer": profile.printer} if profile else None
    profile = profile or IssuerProfile(office=office)
    profile.code = code
    profile.mark = _clean_text(mark, _("发文机关标志"), 60)
    profile.signature = _clean_text(signature, _("发文机关署名"), 60)
    profile.printer = _clean_text(printer, _("印发机关"), 60)
    profile.updated_by = user
    profile.full_clean()
    profile.save()
    record_event(actor=user, action="documents.profile_save", target=profile, before=before,
                 after={"code": profile.code, "mark": profile.mark, "signature": profile.signature,
                        "printer": profile.printer}, unit=office)
    return profile


def profile_of(office) -> IssuerProfile | None:
    return IssuerProfile.objects.filter(office=office).first()


# --- templates ---------------------------------------------------------------------------------------------------

def _sample_context(extra: dict[str, str]) -> dict:
    sample = {
        "issuer_mark": "示例市法治政府建设领导小组办公室", "doc_number": "示法治办〔2026〕1号",
        "title": "关于示例事项的通知", "main_to": "示例单位",
        "body": gongwen.RawXml(gongwen.body_xml([gongwen.Para("示例正文。")])),
        "attachment_note": gongwen.RawXml(gongwen.attachment_note_xml(["示例附件"])),
        "attachments": gongwen.RawXml(gongwen.attachments_xml(
            [gongwen.Attachment("示例附件", gongwen.Table(["序号", "内容"], [["1", "示例"]]))])),
        "signature": "示例市法治政府建设领导小组办公室", "date": "2026年3月1日", "cc": "示例抄送单位",
        "printer": "示例市法治政府建设领导小组办公室", "print_date": "2026年3月1日",
        "office_name": "示例市法治政府建设领导小组办公室",
    }
    for name, value in extra.items():
        sample.setdefault(name, value)
    return sample


def template_problems(data: bytes, *, extra: dict[str, str]) -> list[str]:
    """Why ``data`` cannot be used as a document template: not a .docx, forbidden constructs (loops …), unknown
    or missing placeholders, a page setup outside GB/T 9704-2012, or a failure to render with sample values.
    ``extra``: the kind's own placeholders (name → sample value)."""
    known = set(COMMON_PLACEHOLDERS) | set(extra)
    found = docx_templates.problems(data, known=known, required=REQUIRED_PLACEHOLDERS)
    if found:
        return found
    try:
        found = gongwen.layout_problems(data)
    except Exception:  # python-docx could not read the sections
        return [_("不是有效的 Word（.docx）文件")]
    if found:
        return found
    try:
        docx_templates.render(data, _sample_context(extra))
    except Exception as exc:  # any failure means the template is unusable: say why
        return [_("模板无法生成文书：%(error)s") % {"error": str(exc)[:200]}]
    return []


def template_check(data: bytes, name: str, *, extra: dict[str, str]) -> None:
    """Raise ``ValidationError`` with every reason ``data`` is refused as a template."""
    if not name.lower().endswith(".docx"):
        raise ValidationError(_("模板必须是 Word（.docx）文件"))
    if len(data) > docx_templates.MAX_TEMPLATE_BYTES:
        raise ValidationError(_("模板文件过大（上限 5 MB）"))
    found = template_problems(data, extra=extra)
    if found:
        raise ValidationError(found)


# --- rendering ---------------------------------------------------------------------------------------------------

def render_content(content: kinds.Content, *, office, profile: IssuerProfile | None, number: str,
                   signed_on: dt.date) -> bytes:
    """The .docx of ``content`` in the template it names, finalised (mark fitted, signature centred)."""
    name = office.name
    context = {
        **content.context,
        "issuer_mark": (profile.mark if profile and profile.mark else name),
        "doc_number": number,
        "title": content.title,
        "main_to": content.main_to,
        "body": gongwen.RawXml(gongwen.body_xml(content.body)),
        "attachment_note": gongwen.RawXml(gongwen.attachment_note_xml([a.title for a in content.attachments])),
        "attachments": gongwen.RawXml(gongwen.attachments_xml(content.attachments)),
        "signature": (profile.signature if profile and profile.signature else name),
        "date": chinese_date(signed_on),
        "cc": content.cc_to,
        "printer": (profile.printer if profile and profile.printer else name),
        "print_date": chinese_date(signed_on),
        "office_name": name,
    }
    problems = docx_templates.problems(content.template, known=set(context), required=REQUIRED_PLACEHOLDERS)
    if problems:  # a template stored before these rules, or changed since
        raise ValidationError([_("模板不符合公文格式要求：%(p)s") % {"p": p} for p in problems])
    try:
        data = docx_templates.render(content.template, context)
    except Exception as exc:
        raise ValidationError(_("模板无法生成文书：%(error)s") % {"error": str(exc)[:200]}) from None
    return gongwen.finalize(data)


def _build(kind_key: str, *, office, subject, about_unit, params: dict) -> tuple[kinds.Kind, kinds.Content]:
    kind = kinds.get(kind_key)
    if kind is None:
        raise ValidationError(_("未知的文书类型"))
    return kind, kind.build(office=office, subject=subject, about_unit=about_unit, params=params)


def _apply_overrides(content: kinds.Content, main_to: str | None, cc_to: str | None) -> None:
    if main_to is not None:
        content.main_to = _clean_text(main_to, _("主送机关"), 1000) or content.main_to
    if cc_to is not None:
        content.cc_to = _clean_text(cc_to, _("抄送机关"), 1000)
    content.cc_to = content.cc_to.rstrip("。.")


def document_preview(*, office, kind: str, subject=None, about_unit=None, params: dict | None = None,
                     main_to: str | None = None, cc_to: str | None = None) -> bytes:
    """The .docx as it would be issued today, with the number left open (样稿). Writes nothing."""
    _kind, content = _build(kind, office=office, subject=subject, about_unit=about_unit, params=params or {})
    _apply_overrides(content, main_to, cc_to)
    profile = profile_of(office)
    code = profile.code if profile else "（机关代字）"
    today = timezone.localdate()
    return render_content(content, office=office, profile=profile, number=f"{code}〔{today.year}〕　号",
                          signed_on=today)


def _store_version(*, document: Document, content: kinds.Content, data: bytes, user, reason: str) -> DocumentVersion:
    number = (document.versions.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    version = DocumentVersion(document=document, version=number, reason=reason, sha256=sha256_hex(data),
                              created_by=user, created_at=timezone.now(),
                              pdf_status=PdfStatus.PENDING if pdf.available() else PdfStatus.UNAVAILABLE)
    version.full_clean()
    version.save()
    base = _file_base(document)
    files = [(FileRole.DOCX, f"{base}.docx", data)]
    files += [(FileRole.XLSX, name, sheet) for name, sheet in content.sheets]
    for role, name, payload in files:
        item = DocumentFile(version=version, role=role, name=name[:255], sha256=sha256_hex(payload), size=len(payload))
        item.file.save(f"{role}-{sha256_hex(payload)[:16]}.{role}", ContentFile(payload), save=False)
        item.save()
    return version


def _file_base(document: Document) -> str:
    """File names as a registry clerk files them: number, then title (no path characters)."""
    text = f"{document.number}_{document.title}"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text)[:150]


def _files_summary(version: DocumentVersion) -> dict:
    return {f.name: f.sha256 for f in version.files.all()}


def _recipients(document: Document, content: kinds.Content) -> None:
    seen = set()
    for role, units in ((RecipientRole.MAIN, content.main_units), (RecipientRole.CC, content.cc_units)):
        for unit in units:
            if (unit.pk, role) not in seen:
                seen.add((unit.pk, role))
                DocumentRecipient.objects.create(document=document, unit=unit, role=role)


def _queue_pdf(version: DocumentVersion) -> None:
    if version.pdf_status != PdfStatus.PENDING:
        return
    transaction.on_commit(lambda: _send_pdf(version))


def _send_pdf(version: DocumentVersion) -> None:
    """After commit: queue the PDF; with the task queue down the version says so (PDF failed, retry later) instead
    of the request failing after the document was issued (finding 6 of issue 14)."""
    try:
        dispatch(tasks.make_pdf, version.pk)
    except BrokerUnavailable:
        with transaction.atomic():
            DocumentVersion.objects.filter(pk=version.pk, pdf_status=PdfStatus.PENDING).update(
                pdf_status=PdfStatus.FAILED, pdf_error=str(BrokerUnavailable.message))
            record_event(actor="system", action="document.pdf_failed", target=version.document, before=None,
                         after={"version": version.version, "message": str(BrokerUnavailable.message)},
                         unit=version.document.office)


@transaction.atomic
def document_issue(*, user, office, kind: str, key: str, subject=None, about_unit=None, params: dict | None = None,
                   main_to: str | None = None, cc_to: str | None = None, signed_on: dt.date | None = None
                   ) -> Document:
    """Issue a document: give it the office's next number for this year and store version 1."""
    _require_office(user, office)
    profile = profile_of(office)
    if profile is None or not profile.code:
        raise ValidationError(_("请先在“发文设置”中填写本机关的机关代字，才能编发文字号"))
    existing = Document.objects.filter(office=office, key=key).first()
    if existing is not None:
        raise ValidationError(_("该文书已制发（%(n)s），如需更新请在公文页面重新生成") % {"n": existing.number})
    params = params or {}
    kind_obj, content = _build(kind, office=office, subject=subject, about_unit=about_unit, params=params)
    _apply_overrides(content, main_to, cc_to)
    signed_on = signed_on or timezone.localdate()
    register, _created = NumberRegister.objects.select_for_update().get_or_create(office=office, year=signed_on.year)
    register.last += 1
    register.save(update_fields=["last"])
    number = format_number(profile.code, signed_on.year, register.last)
    data = render_content(content, office=office, profile=profile, number=number, signed_on=signed_on)
    document = Document(
        office=office, kind=kind_obj.key, key=key, title=content.title[:300], year=signed_on.year,
        seq=register.last, number=number, main_to=content.main_to, cc_to=content.cc_to,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None, about_unit=about_unit, params=params,
        signed_on=signed_on, issued_by=user, issued_at=timezone.now(),
    )
    document.full_clean()
    document.save()
    _recipients(document, content)
    version = _store_version(document=document, content=content, data=data, user=user, reason=_("制发"))
    record_event(actor=user, action="document.issue", target=document, before=None,
                 after={"number": number, "kind": kind_obj.key, "title": document.title,
                        "main_to": document.main_to, "cc_to": document.cc_to, "version": 1,
                        "sha256": version.sha256, "files": _files_summary(version)}, unit=office)
    _queue_pdf(version)
    return document


@transaction.atomic
def document_regenerate(*, user, document: Document, reason: str) -> DocumentVersion:
    """A new version of an issued document: same number and date, content built from the data as it is now."""
    _require_office(user, document.office)
    reason = _clean_text(reason, _("重新生成原因"), 300)
    if not reason:
        raise ValidationError(_("请说明重新生成的原因"))
    document = Document.objects.select_for_update().get(pk=document.pk)
    previous = document.versions.order_by("-version").first()
    _kind, content = _build(document.kind, office=document.office, subject=document.subject,
                            about_unit=document.about_unit, params=document.params)
    content.main_to, content.cc_to = document.main_to, document.cc_to  # addressees are part of the issue
    data = render_content(content, office=document.office, profile=profile_of(document.office),
                          number=document.number, signed_on=document.signed_on)
    version = _store_version(document=document, content=content, data=data, user=user, reason=reason)
    record_event(actor=user, action="document.regenerate", target=document, reason=reason,
                 before={"version": previous.version, "sha256": previous.sha256} if previous else None,
                 after={"number": document.number, "version": version.version, "sha256": version.sha256,
                        "files": _files_summary(version)}, unit=document.office)
    _queue_pdf(version)
    return version


@transaction.atomic
def pdf_retry(*, user, document: Document) -> DocumentVersion:
    """Try the PDF of the latest version again (after LibreOffice was installed, or a timeout)."""
    _require_office(user, document.office)
    version = document.versions.order_by("-version").first()
    if version is None or version.pdf_status == PdfStatus.DONE:
        raise ValidationError(_("最新版本已有 PDF"))
    if not pdf.available():
        DocumentVersion.objects.filter(pk=version.pk).update(pdf_status=PdfStatus.UNAVAILABLE)
        raise ValidationError(_("服务器未安装 LibreOffice，暂不能生成 PDF；Word 文件可正常下载"))
    DocumentVersion.objects.filter(pk=version.pk).update(pdf_status=PdfStatus.PENDING, pdf_error="")
    version.pdf_status = PdfStatus.PENDING
    record_event(actor=user, action="document.pdf_retry", target=document, before=None,
                 after={"version": version.version}, unit=document.office)
    _queue_pdf(version)
    return version
