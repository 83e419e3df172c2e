"""The official-document format (党政机关公文格式, GB/T 9704-2012) as a .docx builder. No domain knowledge.

What the standard fixes and where it is applied here:
- A4 paper; 天头 (top margin) 37 mm, 订口 (left margin) 28 mm, 版心 (type area) 156 × 225 mm (§5.2.1–5.2.2):
  ``_section_setup``;
- body in 3号仿宋 (16 pt), 22 lines of 28 characters (§5.2.3): the document grid (``_GRID``) and an exact line
  pitch of 28.95 pt on every paragraph of the body;
- 发文机关标志 in red 小标宋, 35 mm below the top of the type area (§7.2.4); 发文字号 two lines below it, a red
  separator 4 mm under it (§7.2.5–7.2.6); title in 2号小标宋 two lines under the separator (§7.3.1); 主送机关
  flush left one line under the title, ending with a full-width colon (§7.3.2); body paragraphs indented by two
  characters, headings of level 1 in 黑体 and level 2 in 楷体 (§7.3.3); 附件说明 one line under the body, two
  characters in (§7.3.4); 发文机关署名 centred over the 成文日期, which stands four characters from the right, with
  room above for the seal (§7.3.5.1); attachments on pages of their own (§7.3.6); 版记 with 抄送 and 印发机关和
  印发日期 in 4号仿宋 between a thick first and last rule, the last on the bottom edge of the type area of the last
  page (§7.4); page numbers "— 1 —" in 4号宋体 7 mm under the type area, odd pages right and even pages left,
  one character in (§7.5).

Fonts are named as Chinese offices have them (``FONTS``); where they are missing, LibreOffice renders with the
open fallbacks of ``fazhi/io/fonts/fonts.conf``.

A document is built either as a template (``template_docx``: the variable parts are docxtpl placeholders, an
office may edit everything around them in Word) or filled in by the caller (``body_xml``/``attachments_xml``
give the XML for the ``{{p body }}`` and ``{{p attachments }}`` placeholders). ``finalize`` runs after rendering:
it fits the 发文机关标志 to the width of the type area and centres the 署名 over the date, which depend on the
final text.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_SECTION
from docx.oxml import parse_xml
from docx.shared import Mm

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = f'xmlns:w="{W_NS}"'

# --- the numbers of the standard -------------------------------------------------------------------------------

PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
TOP_MM, LEFT_MM = 37, 28
TYPE_WIDTH_MM, TYPE_HEIGHT_MM = 156, 225
RIGHT_MM = PAGE_WIDTH_MM - LEFT_MM - TYPE_WIDTH_MM  # 26
BOTTOM_MM = PAGE_HEIGHT_MM - TOP_MM - TYPE_HEIGHT_MM  # 35
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28

#: Chinese font sizes (字号) in points.
SIZE = {"初号": 42, "小初": 36, "一号": 26, "二号": 22, "三号": 16, "四号": 14, "小四": 12, "五号": 10.5}

#: The fonts as offices have them; ``fonts.conf`` maps each to an open font for rendering.
FONTS = {"fang": "仿宋_GB2312", "title": "方正小标宋简体", "hei": "黑体", "kai": "楷体_GB2312", "song": "宋体"}
RED = "FF0000"


def twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


#: 22 lines in 225 mm: 28.95 pt (579 twips) a line, as the common 公文 templates set it (22 × 28.95 pt ≤ 225 mm).
LINE_TWIPS = 579
#: One character of the 28 in a line of 156 mm.
CHAR_TWIPS = twips(TYPE_WIDTH_MM) / CHARS_PER_LINE
#: 28 characters of 16 pt need 15.79 pt each: every run is set 0.25 pt tighter (15.75 pt: 28 fit, 29 do not).
#: Word's character grid (``linesAndChars``) would do the same in Word, but LibreOffice lays such a grid out
#: with wider cells; letter spacing gives 28 in both. The line grid stays, for Word users who add lines.
CHAR_SPACING_TWENTIETHS = -5
_GRID = f'<w:docGrid {NSDECL} w:type="lines" w:linePitch="{LINE_TWIPS}"/>'

#: Paragraph styles the template carries, so ``finalize`` finds the parts that depend on the final text and an
#: office editing in Word sees what each paragraph is.
STYLE_MARK, STYLE_SIGNATURE, STYLE_DATE = "GongwenMark", "GongwenSignature", "GongwenDate"


# --- what a document is made of --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Para:
    """A body paragraph. ``level`` 1 and 2 are the first two heading levels (一、 in 黑体, （一） in 楷体); ``lead``
    is a heading run into the paragraph ("一是……。" then text): set in the level's font, the rest in 仿宋."""

    text: str
    level: int = 0
    lead: str = ""


@dataclass(frozen=True)
class Table:
    """An attachment table: header row repeated on every page; ``widths`` relative (default equal)."""

    headers: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None


@dataclass(frozen=True)
class Attachment:
    title: str
    table: Table | None = None
    paragraphs: list[Para] = field(default_factory=list)
    note: str = ""  # a line under the table, e.g. what the figures mean


_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL2 = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")


def paragraphs(lines) -> list[Para]:
    """Body paragraphs from plain lines, the heading level read from the numbering (一、 → 1, （一） → 2)."""
    out = []
    for line in lines:
        text = line.strip()
        if not text:
            continue
        level = 1 if _LEVEL1.match(text) else 2 if _LEVEL2.match(text) else 0
        out.append(Para(text, level))
    return out


def text_width(text: str) -> float:
    """Width in characters of the 28-character line: full-width characters 1, ASCII and digits ½."""
    return sum(0.5 if unicodedata.east_asian_width(c) in ("Na", "H") else 1 for c in text)


# --- XML pieces ------------------------------------------------------------------------------------------------

def _rpr(font: str, size: float, *, color: str = "", bold: bool = False, scale: int = 100) -> str:
    half = round(size * 2)
    return (
        f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}" w:hint="eastAsia"/>'
        + ("<w:b/><w:bCs/>" if bold else "")
        + (f'<w:color w:val="{color}"/>' if color else "")
        + f'<w:spacing w:val="{CHAR_SPACING_TWENTIETHS}"/>'
        + (f'<w:w w:val="{scale}"/>' if scale != 100 else "")
        + f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>'
    )


def _run(text: str, font: str, size: float, **kw) -> str:
    return f'<w:r>{_rpr(font, size, **kw)}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _ppr(*, align: str = "both", first: float = 0, left: float = 0, right: float = 0, line: int = LINE_TWIPS,
         rule: str = "exact", before: int = 0, style: str = "", page_break: bool = False, keep_next: bool = False, border: str = "",
         font: str = FONTS["fang"], size: float = SIZE["三号"], **run) -> str:
    """Paragraph properties; indents in characters of the 28-character line."""
    ind = ""
    if first or left or right:
        first_attr = (f' w:firstLine="{round(first * CHAR_TWIPS)}"' if first > 0
                      else f' w:hanging="{round(-first * CHAR_TWIPS)}"' if first < 0 else "")
        ind = f'<w:ind w:left="{round(left * CHAR_TWIPS)}" w:right="{round(right * CHAR_TWIPS)}"{first_attr}/>'
    return (
        "<w:pPr>"
        + (f'<w:pStyle w:val="{style}"/>' if style else "")
        + ("<w:keepNext/>" if keep_next else "")
        + ("<w:pageBreakBefore/>" if page_break else "")
        + '<w:widowControl w:val="0"/>'
        + border
        + f'<w:spacing w:before="{before}" w:after="0" w:line="{line}" w:lineRule="{rule}"/>'
        + ind
        + f'<w:jc w:val="{align}"/>'
        + _rpr(font, size, **run)
        + "</w:pPr>"
    )


def _p(text: str = "", *, font: str = FONTS["fang"], size: float = SIZE["三号"], color: str = "",
       runs: str | None = None, **ppr) -> str:
    body = runs if runs is not None else (_run(text, font, size, color=color) if text else "")
    return f"<w:p {NSDECL}>{_ppr(font=font, size=size, color=color, **ppr)}{body}</w:p>"


def blank(count: int = 1) -> str:
    """Empty body lines (空一行, 空二行 …)."""
    return "".join(_p() for _ in range(count))


def _para_xml(para: Para) -> str:
    fonts = {0: FONTS["fang"], 1: FONTS["hei"], 2: FONTS["kai"]}
    font = fonts.get(para.level, FONTS["fang"])
    if para.lead:
        runs = _run(para.lead, font, SIZE["三号"]) + _run(para.text, FONTS["fang"], SIZE["三号"])
        return _p(runs=runs, first=2)
    # a heading that stands alone stays with the paragraph after it; one that runs on into text does not
    heading = para.level in (1, 2) and text_width(para.text) <= CHARS_PER_LINE - 2
    return _p(para.text, font=font, first=2, keep_next=heading)


def body_xml(items: list[Para]) -> str:
    """The XML of the body (正文) for the ``{{p body }}`` placeholder."""
    return "".join(_para_xml(p) for p in items)


def attachment_note_xml(titles: list[str]) -> str:
    """附件说明: one blank line under the body, "附件：" two characters in, names aligned when they wrap (§7.3.4)."""
    if not titles:
        return ""
    out = [blank()]
    if len(titles) == 1:
        out.append(_p(f"附件：{titles[0]}", left=5, first=-3))
    else:
        for i, title in enumerate(titles, 1):
            lead = "附件：" if i == 1 else ""
            out.append(_p(f"{lead}{i}.{title}", left=6, first=-4 if i == 1 else -1))
    return "".join(out)


_BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")


def _table_xml(table: Table) -> str:
    width = twips(TYPE_WIDTH_MM)
    weights = table.widths or [1] * len(table.headers)
    total = sum(weights)
    cols = [round(width * w / total) for w in weights]
    borders = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>' for s in _BORDER_SIDES)
    grid = "".join(f'<w:gridCol w:w="{c}"/>' for c in cols)
    size = SIZE["小四"]

    def cell(text: str, col: int, font: str) -> str:
        runs = _run(text, font, size) if text else ""
        para = f"<w:p>{_ppr(align='center', line=300, rule='atLeast', font=font, size=size)}{runs}</w:p>"
        return (f'<w:tc><w:tcPr><w:tcW w:w="{cols[col]}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
                f"{para}</w:tc>")

    header = "".join(cell(h, i, FONTS["hei"]) for i, h in enumerate(table.headers))
    rows = [f'<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>{header}</w:tr>']
    for row in table.rows:
        cells = "".join(cell("" if v is None else str(v), i, FONTS["fang"]) for i, v in enumerate(row))
        rows.append(f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
    return (
        f"<w:tbl {NSDECL}><w:tblPr><w:tblW w:w=\"{width}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
        f"<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
        f'<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


def attachments_xml(items: list[Attachment]) -> str:
    """Attachments, each on a page of its own: "附件N" in 3号黑体 on the first line, the title centred on the third
    line in 2号小标宋 (§7.3.6), then its table or paragraphs."""
    out = []
    for i, item in enumerate(items, 1):
        label = "附件" if len(items) == 1 else f"附件{i}"
        out.append(_p(label, font=FONTS["hei"], align="left", page_break=True))
        out.append(blank())
        out.append(_p(item.title, font=FONTS["title"], size=SIZE["二号"], align="center"))
        out.append(blank())
        out.extend(_para_xml(p) for p in item.paragraphs)
        if item.table is not None:
            out.append(_table_xml(item.table))
        if item.note:
            out.append(_p(item.note, size=SIZE["小四"], align="left", line=360))
    return "".join(out)


class RawXml:
    """WordprocessingML that docxtpl inserts as it is (autoescaping keeps its hands off ``__html__``). Only ever
    built by this module from escaped text."""

    def __init__(self, xml: str) -> None:
        self.xml = xml

    def __html__(self) -> str:
        return self.xml

    def __str__(self) -> str:
        return self.xml


# --- the whole document ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Layout:
    """The frame of a document; each value is text or a docxtpl placeholder (``{{ doc_number }}``)."""

    mark: str = "{{ issuer_mark }}"
    number: str = "{{ doc_number }}"
    title: str = "{{ title }}"
    main_to: str = "{{ main_to }}"
    body: str = "{{p body }}"
    attachment_note: str = "{{p attachment_note }}"
    signature: str = "{{ signature }}"
    date: str = "{{ date }}"
    attachments: str = "{{p attachments }}"
    cc: str = "{{ cc }}"
    cc_condition: str = "cc"  # the 抄送 row is left out when this is empty
    printer: str = "{{ printer }}"
    print_date: str = "{{ print_date }}"


def _section_setup(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin, section.bottom_margin = Mm(TOP_MM), Mm(BOTTOM_MM)
    section.left_margin, section.right_margin = Mm(LEFT_MM), Mm(RIGHT_MM)
    section.header_distance = Mm(15)
    # the dash of the page number stands 7 mm under the type area (its 4号 line as LibreOffice sets it)
    section.footer_distance = Mm(BOTTOM_MM - 7 - 6)
    sect_pr = section._sectPr
    for old in sect_pr.findall(f"{{{W_NS}}}docGrid"):
        sect_pr.remove(old)
    sect_pr.append(parse_xml(_GRID))
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, odd=True)
    _page_number(section.even_page_footer, odd=False)


def _page_number(footer, *, odd: bool) -> None:
    """"— 1 —" in 4号半角宋体: odd pages one character from the right, even pages one from the left (§7.5)."""
    font, size = FONTS["song"], SIZE["四号"]
    one = round(size * 20)  # one character of the page number's size
    ind = f'<w:ind w:right="{one}"/>' if odd else f'<w:ind w:left="{one}"/>'
    rpr = _rpr(font, size)
    xml = (
        f'<w:p {NSDECL}><w:pPr><w:spacing w:before="0" w:after="0" w:line="{round(size * 20)}" w:lineRule="exact"/>'
        f'{ind}<w:jc w:val="{"right" if odd else "left"}"/>{rpr}</w:pPr>'
        f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f'<w:r>{rpr}<w:t>1</w:t></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r></w:p>'
    )
    footer.is_linked_to_previous = False
    element = footer._element
    for p in list(element):
        element.remove(p)
    element.append(parse_xml(xml))


def _styles(document) -> None:
    """Normal = the body (3号仿宋, exact 28.95 pt); the three marker styles for ``finalize``."""
    styles = document.styles.element
    defaults = styles.find(f"{{{W_NS}}}docDefaults")
    if defaults is not None:
        styles.remove(defaults)
    font, half = FONTS["fang"], SIZE["三号"] * 2
    styles.insert(0, parse_xml(
        f'<w:docDefaults {NSDECL}><w:rPrDefault><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" '
        f'w:eastAsia="{font}" w:cs="{font}"/><w:spacing w:val="{CHAR_SPACING_TWENTIETHS}"/>'
        f'<w:sz w:val="{half:g}"/><w:szCs w:val="{half:g}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>'
        f'<w:pPrDefault><w:pPr><w:spacing w:before="0" w:after="0" w:line="{LINE_TWIPS}" w:lineRule="exact"/>'
        '</w:pPr></w:pPrDefault></w:docDefaults>'))
    for style in styles.findall(f"{{{W_NS}}}style"):
        if style.get(f"{{{W_NS}}}styleId") == "Normal":
            for child in list(style):
                if child.tag in (f"{{{W_NS}}}rPr", f"{{{W_NS}}}pPr"):
                    style.remove(child)
    for style_id, name in ((STYLE_MARK, "公文发文机关标志"), (STYLE_SIGNATURE, "公文发文机关署名"),
                           (STYLE_DATE, "公文成文日期")):
        styles.append(parse_xml(
            f'<w:style {NSDECL} w:type="paragraph" w:customStyle="1" w:styleId="{style_id}">'
            f'<w:name w:val="{name}"/><w:basedOn w:val="Normal"/><w:qFormat/></w:style>'))


def _red_rule() -> str:
    """The red separator under the 发文字号: as wide as the type area, 4 mm under the number (§7.2.6)."""
    return f'<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="{round(4 / 25.4 * 72)}" w:color="{RED}"/></w:pBdr>'


def _record_xml(layout: Layout) -> str:
    """版记 (§7.4): a frame anchored to the bottom of the type area of the last page — its last rule on the
    bottom edge — with 抄送 (one character in from both sides, wrapped lines aligned after the colon) and 印发机关
    (one in from the left) / 印发日期 (one in from the right), 4号仿宋; thick rules first and last (0.35 mm), a
    thin one between (0.25 mm). The 抄送 line is left out when ``layout.cc_condition`` is empty.

    The rules are filled paragraphs as tall as the rule: LibreOffice drops the bottom anchoring of a frame whose
    paragraphs have borders of their own."""
    width = twips(TYPE_WIDTH_MM)
    size = SIZE["四号"]
    one = round(size * 20)  # one character of 4号
    frame = (f'<w:framePr w:w="{width}" w:hSpace="0" w:vSpace="0" w:wrap="around" w:vAnchor="margin" '
             'w:hAnchor="margin" w:xAlign="center" w:yAlign="bottom"/>')
    rpr = _rpr(FONTS["fang"], size)

    def rule(mm: float) -> str:
        return (f'<w:p {NSDECL}><w:pPr>{frame}<w:shd w:val="clear" w:color="auto" w:fill="000000"/>'
                f'<w:spacing w:before="0" w:after="0" w:line="{round(mm / 25.4 * 1440)}" w:lineRule="exact"/>'
                '<w:rPr><w:sz w:val="2"/></w:rPr></w:pPr></w:p>')

    def para(runs: str, *, tabs: str = "", left: int = one, right: int = 0, hanging: int = 0) -> str:
        hang = f' w:hanging="{hanging}"' if hanging else ""
        return (f'<w:p {NSDECL}><w:pPr>{frame}<w:widowControl w:val="0"/>{tabs}'
                f'<w:spacing w:before="0" w:after="0" w:line="{round(size * 20 * 2)}" w:lineRule="exact"/>'
                f'<w:ind w:left="{left + hanging}" w:right="{right}"{hang}/><w:jc w:val="left"/>{rpr}</w:pPr>'
                f"{runs}</w:p>")

    def control(tag: str) -> str:
        return f'<w:p {NSDECL}><w:r><w:t>{{%p {tag} %}}</w:t></w:r></w:p>'

    cc = para(_run("抄送：", FONTS["fang"], size) + _run(layout.cc, FONTS["fang"], size)
              + _run("。", FONTS["fang"], size), right=one, hanging=3 * one)
    printed = para(
        _run(layout.printer, FONTS["fang"], size) + f"<w:r>{rpr}<w:tab/></w:r>"
        + _run(layout.print_date, FONTS["fang"], size) + _run("印发", FONTS["fang"], size),
        tabs=f'<w:tabs><w:tab w:val="right" w:pos="{width - one}"/></w:tabs>')
    if layout.cc_condition:
        cc_rows = control(f"if {layout.cc_condition}") + cc + rule(0.25) + control("endif")
    else:
        cc_rows = cc + rule(0.25)
    return rule(0.35) + cc_rows + printed + rule(0.35)


def template_docx(layout: Layout | None = None) -> bytes:
    """A complete document in the official format; the parts of ``layout`` are placeholders or text."""
    layout = layout or Layout()
    document = Document()
    _styles(document)
    _section_setup(document)
    body = document.element.body
    for child in list(body):
        if child.tag != f"{{{W_NS}}}sectPr":
            body.remove(child)
    mark_size = SIZE["初号"]
    parts = [
        # 发文机关标志: its top edge 35 mm under the top of the type area; size fitted by ``finalize``
        _p(layout.mark, font=FONTS["title"], size=mark_size, color=RED, align="center", style=STYLE_MARK,
           line=round(mark_size * 20 * 1.15), before=twips(35) - round(mark_size * 20 * 0.15)),
        blank(2),
        _p(layout.number, align="center", border=_red_rule()),
        blank(2),
        _p(layout.title, font=FONTS["title"], size=SIZE["二号"], align="center"),
        blank(),
        _p(runs=_run(layout.main_to, FONTS["fang"], SIZE["三号"]) + _run("：", FONTS["fang"], SIZE["三号"]),
           align="left"),
        _p(layout.body),
        _p(layout.attachment_note),
        blank(3),  # room for the seal: its top within one line of the body, 署名 and date under its centre
        _p(layout.signature, align="right", style=STYLE_SIGNATURE),
        _p(layout.date, align="right", right=4, style=STYLE_DATE),
        _p(layout.attachments),
        _record_xml(layout),
        _p(line=20),  # a frame needs a paragraph after it to anchor to (LibreOffice ignores one at the very end)
    ]
    sect_pr = body.find(f"{{{W_NS}}}sectPr")
    for element in parse_xml(f"<w:root {NSDECL}>{''.join(parts)}</w:root>"):
        sect_pr.addprevious(element)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- after rendering -------------------------------------------------------------------------------------------

def finalize(data: bytes) -> bytes:
    """Adjust what depends on the final text: the 发文机关标志 fitted to the type area (narrowed, as offices do,
    then smaller), the 署名 centred over the 成文日期 (§7.3.5.1). Paragraphs without the marker styles are left
    as they are (an office's own template)."""
    document = Document(io.BytesIO(data))
    by_style: dict[str, list] = {}
    for paragraph in document.paragraphs:
        p_style = paragraph._p.find(f"{{{W_NS}}}pPr/{{{W_NS}}}pStyle")
        if p_style is not None:
            by_style.setdefault(p_style.get(f"{{{W_NS}}}val"), []).append(paragraph)
    for paragraph in by_style.get(STYLE_MARK, []):
        _fit_mark(paragraph)
    dates = by_style.get(STYLE_DATE, [])
    for paragraph in by_style.get(STYLE_SIGNATURE, []):
        if dates:
            _centre_signature(paragraph, dates[0])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def mark_geometry(text: str) -> tuple[float, int]:
    """Font size (pt) and horizontal scale (%) that fit the 发文机关标志 into the 156 mm line: 初号 at full
    width if it fits, else narrowed down to 60 %, then smaller."""
    width_pt = TYPE_WIDTH_MM / 25.4 * 72 - 4
    chars = max(text_width(text), 1)
    size = float(SIZE["初号"])
    scale = min(100, int(width_pt / (chars * size) * 100))
    if scale < 60:
        scale = 60
        size = max(SIZE["三号"], int(width_pt / (chars * 0.6)))
    return size, scale


def _fit_mark(paragraph) -> None:
    size, scale = mark_geometry(paragraph.text)
    half = str(round(size * 2))
    for r_pr in paragraph._p.iter(f"{{{W_NS}}}rPr"):
        for tag in ("sz", "szCs"):
            el = r_pr.find(f"{{{W_NS}}}{tag}")
            if el is not None:
                el.set(f"{{{W_NS}}}val", half)
        w = r_pr.find(f"{{{W_NS}}}w")
        if w is None:
            w = parse_xml(f'<w:w {NSDECL} w:val="100"/>')
            sz = r_pr.find(f"{{{W_NS}}}sz")
            (sz.addprevious(w) if sz is not None else r_pr.append(w))
        w.set(f"{{{W_NS}}}val", str(scale))
    spacing = paragraph._p.find(f"{{{W_NS}}}pPr/{{{W_NS}}}spacing")
    if spacing is not None:
        line = round(size * 20 * 1.15)
        spacing.set(f"{{{W_NS}}}line", str(line))
        spacing.set(f"{{{W_NS}}}before", str(max(twips(35) - (line - round(size * 20)), 0)))


def _centre_signature(signature, date) -> None:
    date_ind = date._p.find(f"{{{W_NS}}}pPr/{{{W_NS}}}ind")
    date_right = int(date_ind.get(f"{{{W_NS}}}right", "0")) if date_ind is not None else 0
    offset = (text_width(date.text) - text_width(signature.text)) / 2 * CHAR_TWIPS
    right = max(round(date_right + offset), 0)
    p_pr = signature._p.get_or_add_pPr()
    ind = p_pr.find(f"{{{W_NS}}}ind")
    if ind is None:
        ind = parse_xml(f'<w:ind {NSDECL}/>')
        jc = p_pr.find(f"{{{W_NS}}}jc")
        (jc.addprevious(ind) if jc is not None else p_pr.append(ind))
    ind.set(f"{{{W_NS}}}right", str(right))


# --- checks of an office's template ----------------------------------------------------------------------------

def layout_problems(data: bytes) -> list[str]:
    """What breaks the page setup of the standard (A4, margins, type area, within 1 mm), in plain words
    (translated: the only part of this module a user reads)."""
    document = Document(io.BytesIO(data))
    problems = []
    for number, section in enumerate(document.sections, 1):
        where = _("第%(n)s节") % {"n": number} if len(document.sections) > 1 else ""

        def mm(length) -> float:
            return (length or 0) / 36000

        checks = [
            (_("纸张宽度"), mm(section.page_width), PAGE_WIDTH_MM),
            (_("纸张高度"), mm(section.page_height), PAGE_HEIGHT_MM),
            (_("上边距（天头）"), mm(section.top_margin), TOP_MM), (_("左边距（订口）"), mm(section.left_margin), LEFT_MM),
            (_("版心宽度"), mm(section.page_width) - mm(section.left_margin) - mm(section.right_margin), TYPE_WIDTH_MM),
            (_("版心高度"), mm(section.page_height) - mm(section.top_margin) - mm(section.bottom_margin),
             TYPE_HEIGHT_MM),
        ]
        for label, actual, expected in checks:
            if abs(actual - expected) > 1:
                problems.append(_("%(where)s%(what)s为 %(actual)s mm，应为 %(expected)s mm（GB/T 9704-2012）") % {
                    "where": where, "what": label, "actual": f"{actual:.1f}", "expected": expected})
    return problems

