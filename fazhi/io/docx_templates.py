"""Word templates that offices upload (docxtpl, Jinja placeholders), rendered in a sandbox and checked first.

An office uploads templates; ``{{ ''.__class__.__mro__ }}`` must not reach Python internals, and a template must
not be able to run for ever or fill the disk. So: a sandboxed Jinja environment, strict about unknown
placeholders, without ``**`` or huge ``*`` repetitions, and templates with loops (``{% for %}``), macros or
includes are refused — the variable parts of a document (its body, its attachment tables) come as whole
placeholders built by the platform (``{{p body }}``), so a template never needs one.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from docx import Document
from docx.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
#: An uploaded .docx is a zip; refuse one whose parts inflate beyond this (zip bomb).
MAX_UNCOMPRESSED = 50 * 1024 * 1024
_FORBIDDEN = {nodes.For: "for", nodes.Macro: "macro", nodes.CallBlock: "call", nodes.Include: "include",
              nodes.Import: "import", nodes.FromImport: "import", nodes.Extends: "extends", nodes.Block: "block"}
_FORBIDDEN_LABELS = {"for": "循环（for）", "macro": "宏（macro）", "call": "调用块（call）", "include": "引用（include）",
                     "import": "导入（import）", "extends": "继承（extends）", "block": "块（block）"}


class _Environment(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context, operator, left, right):
        if operator == "**":
            raise SecurityError("“**” is not allowed in document templates")
        sizes = [len(v) for v in (left, right) if isinstance(v, str | list | tuple)]
        counts = [v for v in (left, right) if isinstance(v, int) and not isinstance(v, bool)]
        if sizes and counts and sizes[0] * max(counts[0], 0) > 10_000:
            raise SecurityError("repetition too long for a document template")
        return super().call_binop(context, operator, left, right)


def environment() -> SandboxedEnvironment:
    return _Environment(undefined=StrictUndefined, autoescape=True)


def render(template: bytes, context: dict) -> bytes:
    """The rendered .docx. Values are escaped; ``fazhi.io.gongwen.RawXml`` values go in as WordprocessingML."""
    document = DocxTemplate(io.BytesIO(template))
    document.render(context, jinja_env=environment(), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class Analysis:
    placeholders: frozenset[str]
    forbidden: tuple[str, ...]  # Jinja tags of forbidden constructs found (for, macro …)


def _sources(data: bytes) -> list[str]:
    """The Jinja source docxtpl would render: body, headers and footers, after docxtpl's own tag patching."""
    helper = DocxTemplate(io.BytesIO(data))
    document = Document(io.BytesIO(data))
    sources = [helper.patch_xml(helper.xml_to_string(document._element.body))]
    for rel in document.part.rels.values():
        if rel.reltype in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI) and rel.target_part.blob:
            sources.append(helper.patch_xml(helper.xml_to_string(parse_xml(rel.target_part.blob))))
    return sources


def analyse(data: bytes) -> Analysis:
    """Placeholders used and forbidden constructs, without rendering. Raises ``ValueError`` with a message
    saying what is wrong when the file is not a .docx or its Jinja does not parse."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ValueError(_("不是有效的 Word（.docx）文件"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(item.file_size for item in archive.infolist()) > MAX_UNCOMPRESSED:
            raise ValueError(_("Word 文件解压后过大"))
        if "word/document.xml" not in archive.namelist():
            raise ValueError(_("不是有效的 Word（.docx）文件"))
    try:
        sources = _sources(data)
    except Exception:  # python-docx/docxtpl refuse it: a broken package
        raise ValueError(_("不是有效的 Word（.docx）文件")) from None
    env = environment()
    names: set[str] = set()
    forbidden: list[str] = []
    for source in sources:
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as exc:
            raise ValueError(_("占位符写法有误：%(error)s") % {"error": exc.message}) from None
        for node in tree.find_all(nodes.Name):
            if node.ctx == "load":
                names.add(node.name)
        for node_type, label in _FORBIDDEN.items():
            if any(True for _ in tree.find_all(node_type)) and label not in forbidden:
                forbidden.append(label)
    return Analysis(frozenset(names), tuple(forbidden))


def problems(data: bytes, *, known: set[str], required: dict[str, str]) -> list[str]:
    """Everything that makes ``data`` unusable as a template with these placeholders, in plain words:
    forbidden constructs, unknown placeholders, missing required ones (``required``: name → what it is)."""
    try:
        analysis = analyse(data)
    except ValueError as exc:
        return [str(exc)]
    out = [_("模板中不能使用%(what)s：可变内容由系统生成，请使用已有的占位符") % {"what": _(_FORBIDDEN_LABELS[key])}
           for key in analysis.forbidden]
    unknown = sorted(analysis.placeholders - known)
    if unknown:
        out.append(_("模板中有未知的占位符：%(names)s") % {"names": "、".join(f"{{{{ {name} }}}}" for name in unknown)})
    for name, label in required.items():
        if name not in analysis.placeholders:
            out.append(_("模板缺少%(what)s占位符 %(name)s") % {"what": _(label), "name": f"{{{{ {name} }}}}"})
    return out
