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

from .figures import RATE_KEYS, Figure, catalogue, catalogue_to_dict, extract_figures
from .outline import OutlineNode, parse_outline

PARTS: list[tuple[str, str, re.Pattern[str], re.Pattern[str]]] = [
    (
        "leadership",
        "党政主要负责人履行推进法治建设第一责任人职责情况",
        re.compile(r"第一责任人"),
        re.compile(r"(?:主要负责(?:人|同志)|党政主要负责).{0,30}第一责任人|第一责任人.{0,10}职责"),
    ),
    (
        "measures",
        "推进法治政府建设的主要举措和成效",
        re.compile(r"主要举措|举措和成效|主要工作|工作成效|主要做法"),
        re.compile(r"(?:取得|推进).{0,20}(?:成效|进展)|主要举措"),
    ),
    (
        "shortcomings",
        "存在的不足和原因",
        re.compile(r"不足|问题和原因|存在的问题|短板|薄弱"),
        re.compile(r"(?:存在|仍有|还有).{0,12}(?:不足|问题|短板|薄弱环节|差距)"),
    ),
    (
        "next_year",
        "下一年度推进法治政府建设的主要安排",
        re.compile(r"(?:下一年度|下一步|\d{4}年度?).{0,20}(?:安排|打算|计划|思路)|工作打算|下步"),
        re.compile(r"(?:\d{4}年|下一步|今后|明年|新的一年)[^。]{0,40}(?:我们将|将继续|将坚持|将进一步|将以)|我们将"),
    ),
    (
        "other",
        "其他需要报告的情况",
        re.compile(r"其他需要报告|其他情况|需要报告的其他"),
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

    @property
    def ok(self) -> bool:
        return all(p["present"] for p in self.parts) and all(c["ok"] for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "parts": self.parts,
            "figures": [f.to_dict() for f in self.figures],
            "catalogue": catalogue_to_dict(self.catalogue),
            "checks": self.checks,
        }


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def find_parts(text: str, outline: list[OutlineNode] | None = None) -> list[dict[str, Any]]:
    """Where each of the five parts is: by a top-level heading, else by content."""
    roots = outline if outline is not None else parse_outline(text, inline=False)
    # only short headings (a whole-line title), not body items that run their text in
    headings = [n for n in roots if n.style in ("cn", "chapter")]
    parts: list[dict[str, Any]] = []
    used: set[int] = set()
    for key, name, heading_re, content_re in PARTS:
        entry: dict[str, Any] = {"key": key, "name": name, "present": False, "how": None, "where": None}
        for node in headings:
            if id(node) in used:
                continue
            if heading_re.search(node.title):
                used.add(id(node))
                entry.update(
                    present=True,
                    how="heading",
                    where={"offset": node.offset, "line": _line_of(text, node.offset), "heading": f"{node.label}{node.title}"},
                )
                break
        if not entry["present"]:
            m = content_re.search(text)
            if key == "measures" and m is None and len(headings) >= 2:
                m = re.search(re.escape(headings[0].label + headings[0].title), text)
            if m:
                s = max(text.rfind("。", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
                e = text.find("。", m.end())
                snippet = text[s : (e + 1 if e >= 0 else len(text))].strip()[:120]
                entry.update(
                    present=True,
                    how="content",
                    where={"offset": m.start(), "line": _line_of(text, m.start()), "snippet": snippet},
                )
        parts.append(entry)
    return parts


def consistency_checks(cat: dict[str, dict[str, Any]], figures: list[Figure]) -> list[dict[str, Any]]:
    """Cross-checks of the catalogue (DOMAIN.md §6): ordering of counts, rate ranges, rate = counts."""
    checks: list[dict[str, Any]] = []

    def le(small: str, big: str, what: str) -> None:
        if small in cat and big in cat:
            a, b = cat[small]["value"], cat[big]["value"]
            checks.append(
                {"check": f"{small} <= {big}", "ok": a <= b, "message": f"{what}: {a} ≤ {b}" if a <= b else f"{what}: {a} > {b}"}
            )

    le("reconsideration.closed", "reconsideration.received", "办结数不超过收案数 closed ≤ received")
    le("reconsideration.mediated", "reconsideration.closed", "调解和解结案数不超过办结数 mediated ≤ closed")
    le("mediation.success", "mediation.disputes", "调解成功数不超过纠纷数 success ≤ disputes")
    for fig in figures:
        if fig.is_rate and not (Decimal(0) <= fig.value <= Decimal(100)) and "增长" not in fig.label and "同比" not in fig.sentence[: max(0, fig.offset - fig.sentence_offset)][-6:]:
            checks.append(
                {"check": "rate_range", "ok": False, "offset": fig.offset,
                 "message": f"比率超出0–100 / rate out of 0–100: {fig.label} {fig.value}%"}
            )
    for key in RATE_KEYS:
        entry = cat.get(key)
        if not entry:
            continue
        value = entry["value"]
        in_range = Decimal(0) <= value <= Decimal(100)
        checks.append({"check": f"{key} in 0–100", "ok": in_range, "message": f"{key} = {value}%"})
        num, den = entry.get("numerator"), entry.get("denominator")
        if num is None and key == "reconsideration.resolution_rate" and {"reconsideration.mediated", "reconsideration.closed"} <= cat.keys():
            num, den = cat["reconsideration.mediated"]["value"], cat["reconsideration.closed"]["value"]
        if num is not None and den:
            computed = (num * 100 / den).quantize(Decimal("0.01"))
            ok = abs(computed - value) <= Decimal("0.5")
            checks.append(
                {"check": f"{key} = numerator/denominator", "ok": ok,
                 "message": f"{num}/{den} = {computed}% vs stated {value}%"}
            )
    return checks


def check_report(text: str, low_confidence_spans: list[tuple[int, int]] | None = None) -> ReportCheck:
    """Check a cleaned annual report: parts, figures, catalogue and consistency checks."""
    figures = extract_figures(text, low_confidence_spans)
    cat = catalogue(figures)
    return ReportCheck(parts=find_parts(text), figures=figures, catalogue=cat, checks=consistency_checks(cat, figures))
