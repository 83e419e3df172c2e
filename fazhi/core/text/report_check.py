"""Annual report check (年度报告检查): the five required parts and the consistency of its figures.

The five parts (DOMAIN.md §6, central rules on annual reports):

1. ``leadership`` 党政主要负责人履行推进法治建设第一责任人职责情况
2. ``measures`` 推进法治政府建设的主要举措和成效
3. ``shortcomings`` 存在的不足和原因
4. ``next_year`` 下一年度推进法治政府建设的主要安排
5. ``other`` 其他需要报告的情况

A part is found by a top-level heading first (``how="heading"``), else by content — a sentence
that does the part's job (``how="content"``), as reports that do not follow the template (seeds
000, 004) still cover most parts in prose. Checks (DOMAIN.md §6): closed ≤ received, success ≤
disputes, every rate within 0–100, and a stated rate equal to its counts within 0.5 points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .doctype import DocumentKind, classify
from .figures import RATE_KEYS, Figure, catalogue, catalogue_to_dict, extract_figures
from .outline import OutlineNode

PARTS: list[tuple[str, str, re.Pattern[str], re.Pattern[str]]] = [
    (
        "leadership",
        "党政主要负责人履行推进法治建设第一责任人职责情况",
        re.compile(r"第一责任人|(?:党政)?主要负责(?:人|同志).{0,12}(?:履行|职责|推进)|主要领导.{0,8}(?:履行|职责)|履行.{0,12}职责情况"),
        re.compile(r"(?:主要负责(?:人|同志)|党政主要负责|主要领导).{0,30}第一责任人|第一责任人.{0,10}职责|履行.{0,6}第一责任人"),
    ),
    (
        "measures",
        "推进法治政府建设的主要举措和成效",
        re.compile(
            r"主要举措|举措(?:和|及|与)成效|主要(?:工作|做法|成效|成绩)|工作(?:成效|情况|进展|回顾|开展情况)|"
            r"取得的(?:成效|成绩|进展)|(?:基本|总体|进展)情况|回顾|成效(?:和|与|及)(?:经验|做法)|做法(?:和|与|及)成效"
        ),
        re.compile(r"(?:取得|推进).{0,20}(?:成效|进展)|主要举措"),
    ),
    (
        "shortcomings",
        "存在的不足和原因",
        re.compile(r"不足|存在(?:的)?(?:主要)?问题|问题(?:与|和|及)(?:不足|短板|差距|原因|困难)|短板|薄弱|差距|困难和问题"),
        re.compile(
            r"(?:存在|仍有|还有|面临|也有)[^。；]{0,12}(?:不足|问题|短板|薄弱环节|差距|困难)|清醒(?:地)?(?:看到|认识到)"
        ),
    ),
    (
        "next_year",
        "下一年度推进法治政府建设的主要安排",
        re.compile(
            r"下一年度|下一步|下步|下阶段|今后|明年|新的一年|来年|工作打算|"
            r"(?:\d{4}|[二〇一二三四五六七八九零]{4})年.{0,24}(?:安排|打算|计划|思路|任务|谋划|展望|重点)|"
            r"(?:工作|主要|重点)(?:安排|打算|计划|思路|任务)"
        ),
        re.compile(
            r"(?:\d{4}年|下一步|下阶段|今后|明年|新的一年|来年)[^。]{0,40}"
            r"(?:我们将|将继续|将坚持|将进一步|将以|将着力|将全面|将深入|将持续|继续|着力|重点)|我们将"
        ),
    ),
    (
        "other",
        "其他需要报告的情况",
        re.compile(r"其他(?:需要|需)?(?:报告|说明)|其他情况|其他事项|需要报告的其他"),
        re.compile(r"其他需要报告的情况|需要报告的其他情况"),
    ),
]


@dataclass
class ReportCheck:
    """Result of :func:`check_report` (报告检查结果)."""

    parts: list[dict[str, Any]]
    figures: list[Figure]
    catalogue: dict[str, dict[str, Any]]
    checks: list[dict[str, Any]] = field(default_factory=list)
    kind: DocumentKind | None = None

    @property
    def ok(self) -> bool:
        return (all(p["present"] for p in self.parts) and all(c["ok"] for c in self.checks)
                and (self.kind is None or self.kind.doctype == "annual_report"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "parts": self.parts,
            "figures": [f.to_dict() for f in self.figures],
            "catalogue": catalogue_to_dict(self.catalogue),
            "checks": self.checks,
            "document": self.kind.to_dict() if self.kind else None,
            "findings": findings(self),
        }


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


#: numbered heading labels (GB/T 9704 order and the forms reports use), rank = level
HEADING_LABELS: list[tuple[str, re.Pattern[str], int]] = [
    ("chapter", re.compile(r"^第[一二三四五六七八九十\d]+(?:部分|章|编)[、：:\s]*"), 0),
    ("cn", re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]\s*"), 1),
    ("paren_cn", re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]\s*"), 2),
    ("arabic", re.compile(r"^\d{1,2}[.．、](?!\d)\s*"), 3),
    ("paren_arabic", re.compile(r"^[（(]\d{1,2}[）)]\s*"), 4),
    ("circled", re.compile(r"^[①-⑳]\s*"), 5),
]
BRACKET = re.compile(r"^【([^】]{2,30})】\s*")
#: an unnumbered heading line: short, no sentence punctuation
PLAIN_HEADING = re.compile(r"^[^。；，,;！？!?]{2,16}$")
HEADING_TITLE_END = re.compile(r"[。；：:！？]")
MAX_TITLE = 50
#: words that say the problems are explained (the template asks for 不足 *和原因*)
CAUSES = re.compile(r"原因|究其|根源|主要是由于|由于|在于|客观上|主观上|归因|导致|造成|受制于|缺乏")
#: a problem being solved is no shortcomings part ("及时解决群众反映存在的问题")
SOLVING = re.compile(r"(?:解决|整改|排查|梳理|查找|发现|针对|聚焦|化解|处理|反映)[^。，；]{0,6}$")
#: parts whose sections a content match of each part may not fall in (a sentence in another part's
#: section is that part's text, issue 16)
FOREIGN = {
    "leadership": {"shortcomings", "next_year", "other"},
    "measures": {"shortcomings", "next_year", "other"},
    "shortcomings": {"leadership", "next_year", "other"},
    "next_year": {"leadership", "measures", "other"},
    "other": set(),
}


@dataclass
class Heading:
    """A heading line (标题行): numbering style, rank, title, where it is and which parts it names."""

    style: str
    rank: int
    label: str
    title: str
    offset: int
    line_end: int
    line: int
    parts: list[str] = field(default_factory=list)
    end: int = 0  # end of its section


def find_headings(text: str) -> list[Heading]:
    """Every heading line of ``text``: numbered (一、 （一） 1. （1） ① 第X部分), bracketed 【…】, or an
    unnumbered short line naming a part (``存在问题``). Each carries the parts its title names."""
    out: list[Heading] = []
    pos = 0
    line_no = 0
    in_body = False  # the title zone (document title, number, addressee) holds no section heading
    for raw in text.split("\n"):
        line_no += 1
        start = pos
        pos += len(raw) + 1
        line = raw.strip()
        if not line:
            continue
        was_body, in_body = in_body, in_body or "。" in line
        lead = len(raw) - len(raw.lstrip())
        style, rank, label, rest = None, 0, "", line
        for st, pattern, rk in HEADING_LABELS:
            m = pattern.match(line)
            if m:
                style, rank, label, rest = st, rk, m.group(0).strip(), line[m.end():]
                break
        if style is None:
            m = BRACKET.match(line)
            if m:
                style, rank, label, rest = "bracket", -1, "", m.group(1)
            elif PLAIN_HEADING.match(line) and was_body:
                style, rank, rest = "plain", -1, line
            else:
                continue
        cut = HEADING_TITLE_END.search(rest)
        title = (rest[: cut.start()] if cut else rest).strip()
        if not title or len(title) > MAX_TITLE:
            continue
        heading = Heading(style, rank, label, title, start + lead, start + len(raw), line_no)
        heading.parts = _parts_named(title)
        if style == "plain" and not heading.parts:
            continue  # an ordinary short line (a title, a signature) is no section heading
        out.append(heading)
    return out


#: a heading that runs a sentence (with a comma: "二、坚持问题导向，补齐短板") is a theme of the work, and
#: names a part only in the template's own words
STRONG_HEADING = {
    "leadership": re.compile(r"第一责任人"),
    "measures": re.compile(r"主要举措|举措和成效|主要工作(?:及|和)成效"),
    "shortcomings": re.compile(r"存在的(?:主要)?(?:问题|不足)|不足和原因|问题和不足"),
    "next_year": re.compile(r"下一年度|下一步工作打算|\d{4}年.{0,12}(?:主要)?(?:工作)?安排"),
    "other": re.compile(r"其他需要报告"),
}


def _parts_named(title: str) -> list[str]:
    if "，" in title or "," in title:
        return [key for key, _n, _h, _c in PARTS if STRONG_HEADING[key].search(title)]
    named = [key for key, _n, heading_re, _c in PARTS if heading_re.search(title)]
    if "next_year" in named and "measures" in named and "shortcomings" not in named:
        named.remove("measures")  # "2025年主要工作安排" is the plan, not the year's work
    if "other" in named and len(named) > 1:
        named = ["other"]  # "其他需要报告的情况" names no other part
    return named


def _part_level(headings: list[Heading]) -> int | None:
    """The rank at which the report numbers its parts: the highest rank naming two or more parts,
    else the rank of the only numbered heading naming one."""
    by_rank: dict[int, set[str]] = {}
    for h in headings:
        if h.parts and h.rank >= 0:
            by_rank.setdefault(h.rank, set()).update(h.parts)
    if not by_rank:
        return None
    multi = [r for r, keys in by_rank.items() if len(keys) >= 2]
    return min(multi) if multi else min(by_rank)


def _snippet(text: str, start: int, end: int) -> str:
    s = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
    e = text.find("。", end)
    return text[s : (e + 1 if e >= 0 else len(text))].strip()[:120]


def find_parts(text: str, outline: list[OutlineNode] | None = None) -> list[dict[str, Any]]:
    """Where each of the five parts is (DOMAIN.md §6, issue 16).

    1. Headings first: every heading line (:func:`find_headings`); the level at which the report
       numbers its parts is the highest level whose headings name two parts or more; a heading of
       that level (or a bracketed / unnumbered part heading) opens a section that ends at the next one.
    2. A part named by a heading is judged inside its section: present when the section has text
       (``how="heading"``); a combined heading (``存在的问题和下一步打算``) is narrowed to a sub-heading
       naming only that part when there is one.
    3. A part with no heading is looked for by content (``how="content"``), but never inside a
       section of a part it cannot belong to (``FOREIGN``), and in a text without part headings the
       shortcomings and next-year parts are looked for after the work described before them.
    4. The shortcomings part must give causes (``causes``: True/False).

    ``where`` has ``line``, ``offset`` and ``heading`` or ``snippet``, and ``section`` (start and
    end offsets, first and last line). ``outline`` is accepted for compatibility and not needed.
    """
    headings = find_headings(text)
    level = _part_level(headings)
    boundaries = [h for h in headings if (level is not None and 0 <= h.rank <= level) or (h.rank < 0)]
    for k, h in enumerate(boundaries):
        h.end = boundaries[k + 1].offset if k + 1 < len(boundaries) else len(text)
    part_heads = [h for h in boundaries if h.parts and (h.rank == level or h.rank < 0)]
    sections: dict[str, tuple[int, int]] = {}
    found: dict[str, Heading] = {}
    for h in part_heads:
        for key in h.parts:
            if key not in found:
                found[key] = h
                sections[key] = (h.offset, h.end)
    # narrow a combined heading to a sub-heading naming only that part
    for key, h in list(found.items()):
        if len(h.parts) < 2:
            continue
        subs = [s for s in headings if h.offset < s.offset < h.end and s.rank > h.rank and s.parts == [key]]
        if subs:
            sub = subs[0]
            nxt = [s.offset for s in headings if sub.offset < s.offset < h.end and s.rank <= sub.rank]
            sub.end = nxt[0] if nxt else h.end
            found[key], sections[key] = sub, (sub.offset, sub.end)

    parts: list[dict[str, Any]] = []
    located: dict[str, int] = {}
    for key, name, _heading_re, content_re in PARTS:
        entry: dict[str, Any] = {"key": key, "name": name, "present": False, "how": None, "where": None}
        h = found.get(key)
        if h is not None:
            body = text[h.line_end : h.end].strip()
            run_in = text[h.offset : h.line_end].strip()[len(h.label) + len(h.title) :].strip("。；：: ")
            entry.update(
                how="heading",
                present=bool(body or run_in),
                where={"offset": h.offset, "line": h.line, "heading": f"{h.label}{h.title}",
                       "section": _section(text, h.offset, h.end)},
            )
            if not entry["present"]:
                entry["empty"] = True
            located[key] = h.offset
        else:
            m = _content_match(key, content_re, text, sections, located)
            numbered = [x for x in headings if x.rank >= 0]
            top = [x for x in numbered if x.rank == min(y.rank for y in numbered)] if numbered else []
            if key == "measures" and m is None and (boundaries or top):
                # numbered themes of the work (一、加强党的领导，…) are the measures, even without a part heading
                first = boundaries[0] if boundaries else top[0]
                if not first.end:
                    first.end = top[1].offset if len(top) > 1 else len(text)
                entry.update(present=True, how="content",
                             where={"offset": first.offset, "line": first.line, "snippet": f"{first.label}{first.title}",
                                    "section": _section(text, first.offset, first.end)})
                located[key] = first.offset
            elif m is not None:
                end = _content_end(text, m.start(), sections)
                entry.update(present=True, how="content",
                             where={"offset": m.start(), "line": _line_of(text, m.start()),
                                    "snippet": _snippet(text, m.start(), m.end()),
                                    "section": _section(text, m.start(), end)})
                located[key] = m.start()
        if key == "shortcomings" and entry["present"]:
            sec = entry["where"]["section"]
            body_start = found[key].line_end if key in found else sec["start"]
            entry["causes"] = CAUSES.search(text, body_start, sec["end"]) is not None
        parts.append(entry)
    return parts


def _section(text: str, start: int, end: int) -> dict[str, int]:
    return {"start": start, "end": end, "start_line": _line_of(text, start),
            "end_line": _line_of(text, max(start, end - 1))}


def _content_end(text: str, start: int, sections: dict[str, tuple[int, int]]) -> int:
    """A content-found part runs to the end of its paragraph (at most 1500 characters)."""
    e = text.find("\n", start)
    e = len(text) if e < 0 else e
    for s, _e in sections.values():
        if start < s < e:
            e = s
    return min(e, start + 1500)


def _content_match(key: str, pattern: re.Pattern[str], text: str, sections: dict[str, tuple[int, int]],
                   located: dict[str, int]) -> re.Match[str] | None:
    forbidden = [sections[k] for k in FOREIGN[key] if k in sections]
    floor = 0
    if not sections:
        # no part headings: the shortcomings come after the work, the plans after the shortcomings
        if key == "shortcomings":
            floor = int(len(text) * 0.3)
        elif key == "next_year":
            floor = located.get("shortcomings", int(len(text) * 0.4))
    candidates = []
    for m in pattern.finditer(text):
        if any(a <= m.start() < b for a, b in forbidden):
            continue
        if key == "shortcomings" and SOLVING.search(text, max(0, m.start() - 10), m.start()):
            continue
        candidates.append(m)
    after = [m for m in candidates if m.start() >= floor]
    return (after or candidates or [None])[0]


def consistency_checks(cat: dict[str, dict[str, Any]], figures: list[Figure]) -> list[dict[str, Any]]:
    """Cross-checks of the catalogue (DOMAIN.md §6): ordering of counts, rate ranges, rate = counts."""
    checks: list[dict[str, Any]] = []

    def le(small: str, big: str, what: str) -> None:
        if small in cat and big in cat:
            a, b = cat[small]["value"], cat[big]["value"]
            checks.append(
                {"check": f"{small} <= {big}", "ok": a <= b, "message": f"{what}: {a} ≤ {b}" if a <= b else f"{what}: {a} > {b}",
                 "code": "count_order", "params": {"small": small, "big": big, "a": str(a), "b": str(b)}}
            )

    le("reconsideration.closed", "reconsideration.received", "办结数不超过收案数 closed ≤ received")
    le("reconsideration.mediated", "reconsideration.closed", "调解和解结案数不超过办结数 mediated ≤ closed")
    le("mediation.success", "mediation.disputes", "调解成功数不超过纠纷数 success ≤ disputes")
    for fig in figures:
        if fig.is_rate and not (Decimal(0) <= fig.value <= Decimal(100)) and "增长" not in fig.label and "同比" not in fig.sentence[: max(0, fig.offset - fig.sentence_offset)][-6:]:
            checks.append(
                {"check": "rate_range", "ok": False, "offset": fig.offset,
                 "message": f"比率超出0–100 / rate out of 0–100: {fig.label} {fig.value}%",
                 "code": "rate_out_of_range", "params": {"label": fig.label, "value": str(fig.value)}}
            )
    for key in RATE_KEYS:
        entry = cat.get(key)
        if not entry:
            continue
        value = entry["value"]
        in_range = Decimal(0) <= value <= Decimal(100)
        checks.append({"check": f"{key} in 0–100", "ok": in_range, "message": f"{key} = {value}%",
                       "code": "rate_in_range", "params": {"key": key, "value": str(value)}})
        num, den = entry.get("numerator"), entry.get("denominator")
        if num is None and key == "reconsideration.resolution_rate" and {"reconsideration.mediated", "reconsideration.closed"} <= cat.keys():
            num, den = cat["reconsideration.mediated"]["value"], cat["reconsideration.closed"]["value"]
        if num is not None and den:
            computed = (num * 100 / den).quantize(Decimal("0.01"))
            ok = abs(computed - value) <= Decimal("0.5")
            checks.append(
                {"check": f"{key} = numerator/denominator", "ok": ok,
                 "message": f"{num}/{den} = {computed}% vs stated {value}%",
                 "code": "rate_basis", "params": {"key": key, "numerator": str(num), "denominator": str(den),
                                                  "computed": str(computed), "stated": str(value)}}
            )
    return checks


def findings(rc: ReportCheck) -> list[dict[str, Any]]:
    """What to tell the reader, as codes with parameters (the UI renders them in the reader's language).

    Codes: ``not_annual_report`` (doctype, confidence), ``part_missing`` / ``part_empty`` /
    ``part_by_content`` (part, line), ``no_causes`` (line), and every failed check's own code."""
    out: list[dict[str, Any]] = []
    if rc.kind is not None and rc.kind.doctype != "annual_report":
        out.append({"code": "not_annual_report", "severity": "bad",
                    "params": {"doctype": rc.kind.doctype, "confidence": rc.kind.confidence}})
    for p in rc.parts:
        line = (p.get("where") or {}).get("line")
        if p.get("empty"):
            out.append({"code": "part_empty", "severity": "bad", "params": {"part": p["key"], "line": line}})
        elif not p["present"]:
            out.append({"code": "part_missing", "severity": "bad", "params": {"part": p["key"]}})
        elif p["how"] == "content":
            out.append({"code": "part_by_content", "severity": "info", "params": {"part": p["key"], "line": line}})
        if p["key"] == "shortcomings" and p["present"] and p.get("causes") is False:
            out.append({"code": "no_causes", "severity": "warn", "params": {"line": line}})
    for c in rc.checks:
        if not c["ok"]:
            out.append({"code": c.get("code", "check_failed"), "severity": "warn", "params": c.get("params", {})})
    return out


def check_report(text: str, low_confidence_spans: list[tuple[int, int]] | None = None,
                 title: str | None = None) -> ReportCheck:
    """Check a cleaned annual report: type and provenance, parts, figures (extracted once), catalogue, checks."""
    figures = extract_figures(text, low_confidence_spans)
    cat = catalogue(figures)
    return ReportCheck(parts=find_parts(text), figures=figures, catalogue=cat,
                       checks=consistency_checks(cat, figures), kind=classify(text, title))
