"""Outline of a document (文档层级结构): numbered items as a tree.

Numbering styles, in the order of the national standard for official documents (GB/T 9704-2012,
结构层次序数: 一、 → （一） → 1. → （1）), plus ① and the inline enumeration 一是…二是…
(DOMAIN.md §7). ASCII parentheses are already full-width after cleaning; ``(一)`` is accepted too
so the parser also works on raw text. A style nests under every style that ranks before it, so a
document that starts at （一） still gets a sensible tree.

A heading runs into its body text (``（一）指导思想。高举…``): the title is the text up to the first
``。``/``；``/``：``, the rest is the item's text. An item number lost to mojibake (``（�）``) takes
its position: previous sibling's ordinal + 1 (TEXT-NOTES.md).

Several documents in one text (seed 001: the implementation plan, then the 考核方案 published with
it): :func:`split_documents` cuts the text where the top-level numbering starts again at 1 right
after a document title line; :func:`group_by_document` assigns the roots of :func:`parse_outline`
to those documents. ``parse_outline`` itself is unchanged: it returns every top-level item, both
documents' included, in document order.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .numbers import parse_cn_int

CN = "零〇一二两三四五六七八九十百"
#: (style, regex at line start, rank). Lower rank = higher level.
STYLES: list[tuple[str, re.Pattern[str], int]] = [
    ("chapter", re.compile(rf"^第([{CN}\d]+)(?:部分|[章部编])[、：:\s]*"), 0),
    ("cn", re.compile(rf"^([{CN}]+)、\s*"), 1),
    ("paren_cn", re.compile(rf"^[（(]([{CN}]+)[）)]\s*"), 2),
    ("arabic", re.compile(r"^(\d{1,3})[.．、](?!\d)\s*"), 3),
    ("paren_arabic", re.compile(r"^[（(](\d{1,3}|\ufffd+)[）)]\s*"), 4),
    ("circled", re.compile(r"^([①-⑳])\s*"), 5),
]
INLINE_RANK = 6
#: 一是…二是… : an enumeration marker at the start of a sentence or clause
INLINE = re.compile(rf"(?:(?<=^)|(?<=[。；：，\n]))(?:第)?([{CN}]{{1,3}})是")
TITLE_END = re.compile(r"[。；：]")


@dataclass
class OutlineNode:
    """One numbered item (条目): label as written, ordinal as a number, title, own text, children."""

    level: int
    label: str
    ordinal: int
    title: str
    text: str
    offset: int
    style: str
    end: int = 0
    children: list[OutlineNode] = field(default_factory=list)
    deadlines: list[Any] = field(default_factory=list)
    ordinal_inferred: bool = False

    def walk(self):
        """This node then all descendants, depth first in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "level": self.level,
            "label": self.label,
            "ordinal": self.ordinal,
            "title": self.title,
            "text": self.text,
            "offset": self.offset,
            "end": self.end,
            "style": self.style,
            "children": [c.to_dict() for c in self.children],
        }
        if self.ordinal_inferred:
            d["ordinal_inferred"] = True
        if self.deadlines:
            d["deadlines"] = [dl.to_dict() for dl in self.deadlines]
        return d


def _ordinal(raw: str) -> int | None:
    if raw.isascii() and raw.isdigit():
        return int(raw)
    if raw in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳" and len(raw) == 1:
        return ord(raw) - ord("①") + 1
    return parse_cn_int(raw)


def _split_title(body: str) -> tuple[str, str]:
    m = TITLE_END.search(body)
    if m is None:
        return body.strip(), ""
    return body[: m.start()].strip(), body[m.end() :].strip()


def _match_label(line: str) -> tuple[str, int, re.Match[str]] | None:
    for style, pattern, rank in STYLES:
        m = pattern.match(line)
        if m:
            return style, rank, m
    return None


def parse_outline(text: str, *, inline: bool = True) -> list[OutlineNode]:
    """Parse numbered items of ``text`` (ideally the output of :func:`~.cleaning.clean`) into a tree."""
    roots: list[OutlineNode] = []
    stack: list[tuple[int, OutlineNode]] = []  # (rank, node)
    pos = 0
    open_node: OutlineNode | None = None
    body_parts: dict[int, list[str]] = {}
    for raw_line in text.split("\n"):
        line_start = pos
        pos += len(raw_line) + 1
        lead = len(raw_line) - len(raw_line.lstrip())
        line = raw_line.strip()
        if not line:
            continue
        found = _match_label(line)
        if found is None:
            if open_node is not None:
                body_parts[id(open_node)].append(line)
            continue
        style, rank, m = found
        ordinal = _ordinal(m.group(1))
        while stack and stack[-1][0] >= rank:
            stack.pop()
        siblings = stack[-1][1].children if stack else roots
        inferred = ordinal is None
        if ordinal is None:
            same = [s for s in siblings if s.style == style]
            ordinal = same[-1].ordinal + 1 if same else 1
        title, rest = _split_title(line[m.end() :])
        node = OutlineNode(
            level=len(stack) + 1,
            label=m.group(0).strip(),
            ordinal=ordinal,
            title=title,
            text="",
            offset=line_start + lead,
            style=style,
            ordinal_inferred=inferred,
        )
        body_parts[id(node)] = [rest] if rest else []
        siblings.append(node)
        stack.append((rank, node))
        open_node = node
    all_nodes = [n for r in roots for n in r.walk()]
    for node in all_nodes:
        node.text = "\n".join(body_parts.get(id(node), []))
    roots = _wrap_appended_lists(roots, text)
    _set_ends(roots, len(text))
    if inline:
        for node in all_nodes:
            _add_inline(node, text)
    return roots


def _shift_levels(node: OutlineNode, by: int) -> None:
    for n in node.walk():
        n.level += by


def _wrap_appended_lists(roots: list[OutlineNode], text: str) -> list[OutlineNode]:
    """A top-level numbering that starts again at 1 without a document title before it (an appended
    list: ``一、…十、`` after the report's signature, 附件 task lists) becomes one ``style="list"`` node
    holding its items, so it is not read as more top-level sections (issue 16). A restart after a
    title line is a new document and stays top-level (:func:`split_documents` cuts there)."""
    out: list[OutlineNode] = []
    current: OutlineNode | None = None
    floor = 0
    for k, root in enumerate(roots):
        prev = roots[k - 1] if k else None
        restart = (
            prev is not None and root.ordinal == 1 and root.style == prev.style
            and (current.children[-1] if current is not None else prev).ordinal >= 2
        )
        if restart:
            floor = max(floor, prev.offset + 1)
            if _title_before(text, root.offset, floor) is None:
                line_start = text.rfind("\n", 0, root.offset) + 1
                intro_start = text.rfind("\n", 0, max(0, line_start - 1)) + 1
                intro = text[intro_start:line_start].strip()
                current = OutlineNode(
                    level=1, label="", ordinal=len([n for n in out if n.style == "list"]) + 1,
                    title=intro[:60] if intro and _LABEL_LINE.match(intro) is None else "",
                    text="", offset=root.offset, style="list",
                )
                out.append(current)
            else:
                current = None
                floor = root.offset
        if current is not None:
            _shift_levels(root, 1)
            current.children.append(root)
        else:
            out.append(root)
    return out


def _set_ends(nodes: list[OutlineNode], limit: int) -> None:
    for i, node in enumerate(nodes):
        node.end = nodes[i + 1].offset if i + 1 < len(nodes) else limit
        _set_ends(node.children, node.end)


def _add_inline(node: OutlineNode, text: str) -> None:
    """Turn ``一是…二是…`` in an item's own text into child items (consecutive ordinals only)."""
    start = node.offset
    own_end = node.children[0].offset if node.children else node.end
    own = text[start:own_end]
    markers: list[tuple[int, int, re.Match[str]]] = []
    expected = 1
    for m in INLINE.finditer(own):
        n = parse_cn_int(m.group(1))
        if n == expected:
            markers.append((n, m.start(), m))
            expected += 1
    if len(markers) < 2:
        return
    inline_nodes = []
    for k, (n, s, m) in enumerate(markers):
        e = markers[k + 1][1] if k + 1 < len(markers) else len(own)
        body = own[m.end() : e].strip()
        # the last item ends at its paragraph's end: later paragraphs are not part of it
        if k + 1 == len(markers) and "\n" in body:
            body = body.split("\n", 1)[0]
        title, rest = _split_title(body)
        inline_nodes.append(
            OutlineNode(
                level=node.level + 1,
                label=m.group(0),
                ordinal=n,
                title=title,
                text=rest,
                offset=start + s,
                end=start + s + len(m.group(0)) + len(body),
                style="inline",
            )
        )
    node.children = inline_nodes + node.children


def iter_nodes(roots: list[OutlineNode]):
    """All nodes in document order."""
    for r in roots:
        yield from r.walk()


#: A numbering label at the start of a line (any style above, ASCII or full-width parentheses).
_LABEL_LINE = re.compile("|".join(p.pattern for _s, p, _r in STYLES))
#: At most this many lines between a document title and its first numbered item (preamble).
_MAX_PREAMBLE_LINES = 12


class Document(NamedTuple):
    """One document of a text holding several (标题, 起始位置, 正文). A plain ``(title, offset, text)`` tuple."""

    title: str
    offset: int
    text: str

    @property
    def end(self) -> int:
        return self.offset + len(self.text)

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "offset": self.offset, "end": self.end}


#: letterhead (``…领导小组文件``), document number (``豫法政〔2020〕1号``), date line: not titles
_NOT_TITLE = re.compile(r"^(?!.*关于).{2,24}文件$|〔\d{4}〕\d+号$|^\d{4}年\d{1,2}月\d{1,2}日$")


#: a document title names a kind of document; a signature (``某县人民政府``) or a date does not
_DOC_WORD = re.compile(r"方案|办法|规定|细则|安排|要点|报告|通知|意见|清单|计划|制度|标准|决定|规则|纲要|规划|指引|目录|条例|公告")


def _is_title_line(line: str) -> bool:
    """A document title: a short line of Chinese without sentence punctuation and without a label."""
    line = line.strip()
    return (
        4 <= len(line) <= 60
        and re.search(r"[\u4e00-\u9fff]", line) is not None
        and re.search(r"[。；，：！？;,:!?]", line) is None
        and _LABEL_LINE.match(line) is None
        and not re.fullmatch(r"[（(][^（）()]*[）)]", line)  # "（2021-2025年）" is a subtitle
        and _NOT_TITLE.search(line) is None
    )


def _title_before(text: str, offset: int, floor: int) -> tuple[str, int] | None:
    """The title line closest before ``offset`` (not before ``floor``) with only preamble between."""
    end = offset
    for _ in range(_MAX_PREAMBLE_LINES + 1):
        if end <= floor:
            return None
        start = text.rfind("\n", floor, end - 1) + 1
        start = max(start, floor)
        line = text[start : end - 1] if text[end - 1 : end] == "\n" else text[start:end]
        stripped = line.strip()
        if stripped:
            if _LABEL_LINE.match(stripped):
                return None  # the previous document's items run right up to the restart
            if _is_title_line(stripped) and _DOC_WORD.search(stripped):
                return stripped, start + (len(line) - len(line.lstrip()))
        end = start
    return None


def split_documents(text: str, roots: list[OutlineNode] | None = None) -> list[Document]:
    """Split ``text`` into the documents it holds: ``[(title, offset, text), …]`` (文档拆分).

    A new document starts at a title line (short, no sentence punctuation, no label) followed —
    after at most a short preamble — by a top-level item numbered 1 of the same style as the
    previous top-level item, whose ordinal was higher (seed 001: ``法治河南（法治政府）建设考核方案``
    then ``一、指导思想`` after ``十、…``). A text without such a restart is one document. The
    first document's title is its first title line ("" when it has none). Documents cover the
    text without gaps: each ends where the next starts. ``roots`` may pass an outline already parsed.
    """
    if roots is None:
        roots = parse_outline(text, inline=False)
    starts: list[tuple[str, int]] = []
    floor = 0
    for prev, root in itertools.pairwise(roots):
        floor = max(floor, prev.offset + 1)
        if root.ordinal != 1 or prev.ordinal <= 1 or root.style != prev.style:
            continue
        found = _title_before(text, root.offset, floor)
        if found:
            starts.append(found)
            floor = root.offset
    first_title = ""
    limit = starts[0][1] if starts else len(text)
    for line in text[:limit].split("\n"):
        if _LABEL_LINE.match(line.strip()):
            break
        if _is_title_line(line):
            first_title = line.strip()
            break
    bounds = [(first_title, 0), *starts]
    docs = []
    for k, (title, offset) in enumerate(bounds):
        end = bounds[k + 1][1] if k + 1 < len(bounds) else len(text)
        docs.append(Document(title, offset, text[offset:end]))
    return docs


def group_by_document(roots: list[OutlineNode], documents: list[Document]) -> list[list[OutlineNode]]:
    """The top-level items of each document (same order as ``documents``); offsets stay absolute."""
    groups: list[list[OutlineNode]] = [[] for _ in documents]
    for root in roots:
        for k in range(len(documents) - 1, -1, -1):
            if root.offset >= documents[k].offset:
                groups[k].append(root)
                break
    return groups
