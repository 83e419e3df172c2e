"""Cleaning (文本清洗): from scraped/exported text to the document's own text.

Steps, in this order (each one's rule and source in its function's docstring):

1. database-export header and its English machine translation → metadata (seed 000);
2. GBK one-byte-offset mojibake repair (seed 001, :mod:`.mojibake`);
3. pinyin annotations removed (``設(shè)`` → ``設``, seed 001);
4. traditional → simplified with OpenCC (繁简转换), the original kept in ``CleanResult.original``;
5. page chrome removed (navigation, share buttons, footers; DOMAIN.md §7) — publication date and
   source kept as metadata;
6. punctuation normalised (ASCII punctuation inside Chinese → full-width, full-width digits → ASCII);
7. run-on paragraphs split after ``。`` + whitespace, lines broken inside sentences rejoined (seed 003).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .mojibake import LOST, repair_text

HAN = "\u4e00-\u9fff"
# Han characters plus CJK / full-width punctuation: "Chinese context" for punctuation rules
CJK = "\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2018-\u201d\u2014\u2026\u00b7"

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ"
_PY = f"a-z{_TONED}"
#: ``字(pīnyīn)``: a toned pinyin syllable in ASCII parentheses right after a Han character
#: (TEXT-NOTES.md: removes all ~2,280 of seed 001 and nothing in the other seeds). The "("
#: may be missing where mojibake repair lost it (``執zhí)``) — then a tone mark is required.
PINYIN = re.compile(
    rf"(?<=[{HAN}\ufffd])(?:\((?=[{_PY}]*[{_TONED}])[{_PY}]{{1,7}}\)|(?=[{_PY}]*[{_TONED}])[{_PY}]{{1,7}}\))"
)

#: Lines that are page furniture, not document text (DOMAIN.md §7). Matched after t2s conversion.
CHROME_PATTERNS = [
    re.compile(p)
    for p in (
        r"设为首页|收藏本站|加入收藏",
        r"^当前位置\s*[:：]",
        r"^您(?:现在)?的位置\s*[:：]",
        r"^分享到\s*[:：]?",
        r"扫一扫在手机(?:上)?打开当前页",
        r"不良信息举报",
        r"^(?:发布|发表|更新)(?:时间|日期)\s*[:：]",
        r"【\s*字体\s*[:：]",
        r"^(?:打印本页|关闭窗口|返回顶部|【打印】|【关闭】)",
        r"^(?:上一篇|下一篇)\s*[:：]",
        r"版权所有|ICP备|网站标识码|公网安备",
        r"^(?:主办|承办)单位\s*[:：]",
    )
]

#: Export header keys of the document database that produced seed 000.
EXPORT_KEYS = {
    "English title (machine-translated)": "english_title",
    "Published": "published",
    "Type": "type",
    "Subtype": "subtype",
    "Level": "level",
    "Length": "length",
}

#: A numbering label at the start of a line: such a line starts a new item, never a continuation.
LABEL_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、．.]|[（(][一二三四五六七八九十百\d\ufffd]+[)）]|\d+[.．、](?!\d)|"
    r"[①-⑳]|第[一二三四五六七八九十百\d]+[章节条部分])"
)


@dataclass
class CleanResult:
    """Clean text plus what was removed or could not be repaired (清洗结果)."""

    text: str
    original: str
    metadata: dict[str, Any] = field(default_factory=dict)
    chrome_lines: list[str] = field(default_factory=list)
    unrepaired: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    #: (start, end) offsets in ``text`` of stretches rebuilt by mojibake repair: figures read there
    #: are low confidence (a lost digit can pass unnoticed: "1211" → "211").
    repaired_spans: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "metadata": self.metadata,
            "chrome_lines": self.chrome_lines,
            "unrepaired": self.unrepaired,
            "stats": self.stats,
            "repaired_spans": [list(s) for s in self.repaired_spans],
        }


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # C++ OpenCC build (TEXT-NOTES.md: ~30× faster than the pure-Python port)

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → simplified (繁体转简体) with OpenCC's phrase-aware ``t2s`` profile."""
    return _t2s().convert(text) if text else text


def is_traditional(text: str) -> bool:
    """True when OpenCC changes more than 2% of the Han characters (the text is mostly traditional)."""
    han = re.findall(rf"[{HAN}]", text[:20000])
    if not han:
        return False
    sample = "".join(han[:3000])  # 3000 characters decide it as well as 20000, at a seventh of the cost
    converted = to_simplified(sample)
    changed = sum(a != b for a, b in zip(sample, converted, strict=False))
    return changed > 0.02 * len(sample)


def split_export_header(text: str) -> tuple[str, dict[str, Any], list[str]]:
    """Separate the database-export header of seed 000 from the document (导出头信息).

    Shape (seed 000): title line, ``Key`` / value line pairs (``English title (machine-translated)``,
    ``Published``, ``Type``, …), ``Summary``, numbered English paragraphs ``(1)  …``, then ``Original``
    followed by the Chinese text, itself numbered ``(1)  ``. Returns (body, metadata, header lines).
    """
    lines = text.split("\n")
    if "Original" not in (line.strip() for line in lines) or not any(
        line.strip() in EXPORT_KEYS for line in lines[:40]
    ):
        return text, {}, []
    metadata: dict[str, Any] = {}
    idx = next(i for i, line in enumerate(lines) if line.strip() == "Original")
    header = lines[:idx]
    nonempty = [line.strip() for line in header if line.strip()]
    if nonempty and nonempty[0] not in EXPORT_KEYS:
        metadata["title"] = nonempty[0]
    for i, line in enumerate(nonempty):
        key = EXPORT_KEYS.get(line)
        if key and i + 1 < len(nonempty):
            metadata[key] = nonempty[i + 1]
    if "Summary" in nonempty:
        start = nonempty.index("Summary") + 1
        translation = [re.sub(r"^\(\d+\)\s+", "", line) for line in nonempty[start:]]
        metadata["translation"] = "\n".join(translation)
    body_lines = [re.sub(r"^\(\d+\)\s{2,}", "", line) for line in lines[idx + 1 :]]
    return "\n".join(body_lines), metadata, [line for line in header if line.strip()] + [lines[idx]]


def strip_pinyin(text: str) -> tuple[str, int]:
    """Remove ``字(pīnyīn)`` annotations; returns the text and how many were removed."""
    return PINYIN.subn("", text)


def strip_chrome(text: str) -> tuple[str, list[str], dict[str, Any]]:
    """Drop page-chrome lines; keep publication time and source found in them as metadata."""
    kept: list[str] = []
    removed: list[str] = []
    metadata: dict[str, Any] = {}
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and any(p.search(stripped) for p in CHROME_PATTERNS):
            removed.append(stripped)
            m = re.search(r"(?:发布|发表|更新)(?:时间|日期)\s*[:：]\s*(\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2})?)", stripped)
            if m:
                metadata.setdefault("published", m.group(1))
            m = re.search(r"(?:信息)?来源\s*[:：]\s*(\S+)", stripped)
            if m:
                metadata.setdefault("source", m.group(1).rstrip("【"))
            continue
        kept.append(line)
    return "\n".join(kept), removed, metadata


_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_FULLWIDTH_ALNUM[0x3000] = 0x20  # ideographic space
_FULLWIDTH_ALNUM[0xA0] = 0x20


def normalise_punctuation(text: str) -> str:
    """Punctuation in Chinese context → full-width; full-width letters/digits → ASCII (标点规范化).

    ``,;:?!`` next to a Chinese character become ``，；：？！``; ASCII parentheses enclosing
    Chinese text or a numbering label become ``（）`` (so ``(一)`` and ``（一）`` are one style, and
    ``(2021—2025年)`` becomes ``（2021—2025年）``); ``1．`` becomes ``1.``. Times (``14:44``)
    and thousands separators (``1,000``) are left alone because both neighbours are digits.
    """
    text = text.translate(_FULLWIDTH_ALNUM)
    text = re.sub(r"(?<=\d)．(?=\d)", ".", text)
    text = re.sub(r"^(\s*\d+)．", r"\1.", text, flags=re.M)
    for ascii_p, wide in ((",", "，"), (";", "；"), (":", "："), ("?", "？"), ("!", "！")):
        esc = re.escape(ascii_p)
        text = re.sub(rf"(?<=[{CJK}]){esc}|{esc}(?=[{HAN}])", wide, text)

    def paren(m: re.Match[str]) -> str:
        inner = m.group(1)
        at_line_start = m.start() == 0 or text[m.start() - 1] == "\n"
        if re.search(rf"[{CJK}\ufffd]", inner) or (at_line_start and re.fullmatch(r"\d{1,3}", inner)):
            return f"（{inner}）"
        return m.group(0)

    text = "\n".join(line.strip() for line in text.split("\n"))
    text = re.sub(r"\(([^()\n]{0,80})\)", paren, text)
    # mixed pairs left by repair or sloppy typing: "（1)" / "(1）"
    text = re.sub(r"[（(]([^（）()\n]{1,10})[)）]", lambda m: f"（{m.group(1)}）" if "（" in m.group(0) or "）" in m.group(0) else m.group(0), text)
    return text


def tidy_whitespace(text: str) -> str:
    """Strip lines, drop spaces between Chinese characters and digits, collapse blank lines."""
    text = re.sub(rf"(?<=[{CJK}])[ \t]+(?=[{CJK}0-9])", "", text)
    text = re.sub(rf"(?<=[0-9])[ \t]+(?=[{CJK}])", "", text)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def split_run_on(text: str) -> str:
    """Start a new paragraph after ``。`` followed by whitespace (an export flattened paragraphs into spaces)."""
    return re.sub(r"(?<=[。！？；])[ \t]+(?=\S)", "\n\n", text)


def _is_body(line: str) -> bool:
    """A line of running text (it has sentence punctuation), as opposed to a title or heading."""
    if "。" in line or "；" in line:
        return True
    return "，" in line and not LABEL_START.match(line) and len(line) >= 30


def rejoin_lines(text: str) -> tuple[str, int]:
    """Rejoin lines broken inside a sentence (断行合并, seed 003: ``7月底`` / ``前选择``).

    A line is continued by the next non-blank line when it is running text (has ``。`` or ``；``,
    or ``，`` without a numbering label), does not end with closing punctuation, and the next line
    does not start with a numbering label. Titles and headings (no sentence punctuation) are
    never joined.
    """
    lines = text.split("\n")
    out: list[str] = []
    joined = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        while True:
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j >= len(lines):
                break
            nxt = lines[j].strip()
            tail = line.rstrip()
            if (
                tail
                and _is_body(tail)
                and re.search(rf"[{HAN}0-9、，“《（a-zA-Z]$", tail)
                and not LABEL_START.match(nxt)
                and re.match(rf"[{HAN}0-9，、。；：）》”a-zA-Z]", nxt)
            ):
                line = tail + nxt
                joined += 1
                i = j
                continue
            break
        out.append(line)
        i += 1
    return "\n".join(out), joined


def clean(text: str, *, simplify: bool = True) -> CleanResult:
    """Clean a document's text (see module docstring for the steps and their order)."""
    original = text
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    stats: dict[str, int] = {}
    body, metadata, header_lines = split_export_header(text)
    chrome: list[str] = list(header_lines)

    repaired, report = repair_text(body)
    stats["repaired_lines"] = len(report.repaired_lines)
    stats["guessed_chars"] = len(report.guessed)
    stats["refolded_chars"] = len(report.refolded)

    after_pinyin, n_pinyin = strip_pinyin(repaired)
    stats["pinyin_removed"] = n_pinyin

    traditional = simplify and is_traditional(after_pinyin)
    metadata["traditional"] = traditional
    converted = to_simplified(after_pinyin) if traditional else after_pinyin

    without_chrome, removed, chrome_meta = strip_chrome(converted)
    chrome.extend(removed)
    for key, value in chrome_meta.items():
        metadata.setdefault(key, value)

    result = normalise_punctuation(without_chrome)
    result = split_run_on(result)
    result = tidy_whitespace(result)
    result, n_joined = rejoin_lines(result)
    result = re.sub(r"\n{2,}", "\n", result)  # one paragraph per line
    stats["joined_lines"] = n_joined
    stats["chrome_lines"] = len(chrome)

    title = next((ln for ln in result.split("\n") if ln.strip()), "")
    if "title" not in metadata and title and len(title) <= 80 and "。" not in title:
        metadata["title"] = title

    # locate repaired stretches in the final text (same post-repair transforms applied to them)
    spans: list[tuple[int, int]] = []
    pos = 0
    for _line, segment in report.segments:
        seg = PINYIN.sub("", segment)
        seg = to_simplified(seg) if traditional else seg
        seg = normalise_punctuation(seg).strip()
        if not seg:
            continue
        found = result.find(seg, pos)
        if found < 0:
            found = result.find(seg)
        if found >= 0:
            spans.append((found, found + len(seg)))
            pos = found + len(seg)
    unrepaired = []
    for m in re.finditer(LOST, result):
        line_no = result.count("\n", 0, m.start()) + 1
        unrepaired.append(
            {"line": line_no, "offset": m.start(), "snippet": result[max(0, m.start() - 10) : m.start() + 10]}
        )
    stats["unrepaired_chars"] = len(unrepaired)
    if report.guessed:
        metadata["guessed_chars"] = report.guessed
    return CleanResult(
        text=result,
        original=original,
        metadata=metadata,
        chrome_lines=chrome,
        unrepaired=unrepaired,
        stats=stats,
        repaired_spans=sorted(spans),
    )
