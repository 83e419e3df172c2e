"""Letters from results: the 法治建议书 (for 合格/不合格 units, seed 001 §六) and the result notice, as .docx.

The office may upload its own template per kind (``LetterTemplate``); otherwise the default shipped here is built
with python-docx at first use. Templates are docxtpl (Jinja) documents; the placeholders are ``CONTEXT_KEYS``.
An uploaded template is rendered with sample values before it is accepted.
"""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.audit.services import record_event

from .models import LetterKind, LetterTemplate

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
CONTEXT_KEYS = {
    "unit_name": "被考核单位名称",
    "campaign_name": "考核名称",
    "year": "考核年度",
    "grade": "等次",
    "total": "总分",
    "rank_text": "排名（仅排名类别，否则为空）",
    "office_name": "考核办名称",
    "date": "发文日期",
}
SAMPLE = {"unit_name": "示例市人民政府", "campaign_name": "2026年度法治政府建设考核", "year": 2026,
          "grade": "合格", "total": "72.50", "rank_text": "第12名", "office_name": "示例考核办",
          "date": "2026年3月1日"}

_DEFAULT_BODY = {
    LetterKind.RECOMMENDATION: (
        "法治建议书",
        [
            "{{ unit_name }}：",
            "在{{ campaign_name }}中，你单位考核总分为{{ total }}分，等次为“{{ grade }}”{{ rank_text }}。",
            "根据考核方案关于考核结果运用的规定，现就你单位法治政府建设工作提出以下建议：",
            "一、对照考核反馈的问题逐项整改，并按期报告整改情况；",
            "二、建议在本年度评先评优中不再推荐你单位为先进单位；",
            "三、加强领导干部学法用法，健全依法决策机制。",
        ],
    ),
    LetterKind.NOTICE: (
        "考核结果通知",
        [
            "{{ unit_name }}：",
            "{{ campaign_name }}已经审定。你单位考核总分为{{ total }}分，等次为“{{ grade }}”{{ rank_text }}。",
            "请对照考核反馈的问题认真整改，并按要求报告整改情况。",
        ],
    ),
}


def default_template(kind: str) -> bytes:
    """The shipped template for ``kind``, built with python-docx."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    title, paragraphs = _DEFAULT_BODY[LetterKind(kind)]
    document = Document()
    heading = document.add_heading(title, level=1)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in paragraphs:
        document.add_paragraph(text)
    signature = document.add_paragraph("{{ office_name }}")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date = document.add_paragraph("{{ date }}")
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def template_bytes(owner, kind: str) -> bytes:
    """The office's template for ``kind`` (own, or of a level above), else the default."""
    chain = [*owner.ancestors(), owner]
    custom = LetterTemplate.objects.filter(owner__in=chain, kind=kind).order_by("-owner__path").first()
    if custom is not None:
        with custom.file.open("rb") as handle:
            return handle.read()
    return default_template(kind)


def _environment():
    """The Jinja environment of letters: sandboxed (an office uploads templates; ``{{ ''.__class__.__mro__ }}``
    must not reach Python internals), strict about unknown placeholders (a typo is refused at upload instead of
    printing nothing), and without ``**`` or huge ``*`` repetitions (``{{ "x" * 10**9 }}``)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment, SecurityError

    class LetterEnvironment(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def call_binop(self, context, operator, left, right):
            if operator == "**":
                raise SecurityError("“**” is not allowed in letter templates")
            sizes = [len(v) for v in (left, right) if isinstance(v, str | list | tuple)]
            counts = [v for v in (left, right) if isinstance(v, int) and not isinstance(v, bool)]
            if sizes and counts and sizes[0] * max(counts[0], 0) > 10_000:
                raise SecurityError("repetition too long for a letter template")
            return super().call_binop(context, operator, left, right)

    return LetterEnvironment(undefined=StrictUndefined, autoescape=True)


def render(template: bytes, context: dict) -> bytes:
    from docxtpl import DocxTemplate

    document = DocxTemplate(io.BytesIO(template))
    document.render(context, jinja_env=_environment(), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def validate_template(data: bytes, name: str) -> None:
    """A .docx, not too big, that renders with sample values."""
    if not name.lower().endswith(".docx"):
        raise ValidationError(_("模板必须是 Word（.docx）文件"))
    if len(data) > MAX_TEMPLATE_BYTES:
        raise ValidationError(_("模板文件过大（上限 5 MB）"))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError(_("不是有效的 Word（.docx）文件"))
    try:
        render(data, SAMPLE)
    except Exception as exc:  # any failure means the template is unusable: say why
        raise ValidationError(_("模板无法生成文书：%(error)s") % {"error": str(exc)[:200]}) from None


@transaction.atomic
def template_upload(*, user, owner, kind: str, data: bytes, name: str) -> LetterTemplate:
    if kind not in LetterKind.values:
        raise ValidationError(_("未知的文书类型"))
    validate_template(data, name)
    item = LetterTemplate.objects.filter(owner=owner, kind=kind).first()
    before = {"original_name": item.original_name} if item else None
    item = item or LetterTemplate(owner=owner, kind=kind)
    if item.pk and item.file:
        item.file.delete(save=False)
    item.original_name = name[:255]
    item.uploaded_by = user
    item.file.save(f"{kind}.docx", ContentFile(data), save=False)
    item.save()
    record_event(actor=user, action="letter_template.upload", target=item, before=before,
                 after={"kind": kind, "original_name": item.original_name}, unit=owner)
    return item


def letter_context(result, office_name: str) -> dict:
    campaign = result.campaign
    ranked = result.category in (campaign.ranked_categories or []) and result.rank is not None
    today = timezone.localdate()
    return {
        "unit_name": result.unit.name,
        "campaign_name": campaign.name,
        "year": campaign.year,
        "grade": result.grade,
        "total": format(result.total, "f"),
        "rank_text": f"，在同类单位中排第{result.rank}名" if ranked else "",
        "office_name": office_name,
        "date": f"{today.year}年{today.month}月{today.day}日",
    }


def letter_render(*, result, kind: str, office_name: str) -> bytes:
    return render(template_bytes(result.campaign.owner, kind), letter_context(result, office_name))
