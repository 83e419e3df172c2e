"""Deadlines in plan text (时限解析): dates, recurring rules, working-day periods.

A small parser for the forms the documents use (DOMAIN.md §7; jionlp would add ~250 MB for
the same result, TEXT-NOTES.md):

* ``2022年年底前`` / ``2022年底前`` / ``到2025年`` → 2022-12-31 / 2025-12-31 (kind ``date``);
* ``2020年7月底前`` / ``7月底前`` → last day of the month, the year being the document's
  (``base_year``) when not written; ``2024年3月15日前`` → that day;
* ``年内`` / ``年底前`` / ``全年`` without a year → 31 December of ``base_year``;
* ``每季度`` / ``每月`` / ``每半年`` / ``每年`` / ``每周`` → a recurring rule (RFC 5545 RRULE text);
* ``5个工作日内`` → kind ``within_working_days`` (working days follow the official calendar and
  are computed by the caller at the moment the period starts); ``15日内`` → ``within_days``.

Lines must be rejoined before parsing (seed 003 breaks ``7月底前`` across lines): run
:func:`~.cleaning.clean` first.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from .numbers import parse_cn_int
from .outline import OutlineNode, iter_nodes

NUM = r"(\d{1,3}|[一二两三四五六七八九十]{1,3})"
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("ymd", re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:前|之前|以前)")),
    ("ym", re.compile(r"(\d{4})年(\d{1,2})月(?:底|末|份)?(?:前|之前|以前)")),
    ("y_end", re.compile(r"(\d{4})年(?:年)?(?:底|末)(?:前|之前|以前)?")),
    ("by_year", re.compile(r"(?:到|至|截至)(\d{4})年(?![度底末\d]|\d{0,2}月)")),
    ("m", re.compile(r"(?<![\d年])(\d{1,2})月(?:底|末)(?:前|之前|以前)?")),
    ("m_before", re.compile(r"(?<![\d年])(\d{1,2})月(?:份)?(?:前|之前|以前)")),
    ("this_year", re.compile(r"(?<![\d])(?:年内|年底前|年末前|本年度内)")),
    ("recurring", re.compile(r"每(季度|个季度|月|半年|年度?|周|星期|旬)")),
    ("working_days", re.compile(rf"{NUM}个?工作日(?:内|之内|以内)")),
    ("days", re.compile(rf"{NUM}(?:日|天)(?:内|之内|以内)")),
]
RRULES = {
    "季度": "FREQ=MONTHLY;INTERVAL=3",
    "个季度": "FREQ=MONTHLY;INTERVAL=3",
    "月": "FREQ=MONTHLY",
    "半年": "FREQ=MONTHLY;INTERVAL=6",
    "年": "FREQ=YEARLY",
    "年度": "FREQ=YEARLY",
    "周": "FREQ=WEEKLY",
    "星期": "FREQ=WEEKLY",
    "旬": "FREQ=DAILY;INTERVAL=10",
}


@dataclass
class Deadline:
    """A time limit found in the text (时限)."""

    kind: str  # "date" | "recurring" | "within_working_days" | "within_days"
    phrase: str
    offset: int
    date: date | None = None
    rule: str | None = None
    days: int | None = None
    year_inferred: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "phrase": self.phrase,
            "offset": self.offset,
            "date": self.date.isoformat() if self.date else None,
            "rule": self.rule,
            "days": self.days,
            "year_inferred": self.year_inferred,
        }


def _month_end(year: int, month: int) -> date | None:
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        return None
    return date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def guess_base_year(text: str) -> int | None:
    """The document's year: a year in its title line (``2020年度``), else the most frequent year."""
    first = next((ln for ln in text.split("\n") if ln.strip()), "")
    m = re.search(r"(20\d{2}|19\d{2})年", first)
    if m:
        return int(m.group(1))
    years = Counter(int(y) for y in re.findall(r"(20\d{2}|19\d{2})年", text))
    return years.most_common(1)[0][0] if years else None


def find_deadlines(text: str, base_year: int | None = None) -> list[Deadline]:
    """All deadlines in ``text``, in document order; overlapping matches keep the first, longest form."""
    if base_year is None:
        base_year = guess_base_year(text)
    found: list[Deadline] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if any(a < e and s < b for a, b in taken):
                continue
            d = _build(kind, m, base_year)
            if d is None:
                continue
            taken.append((s, e))
            found.append(d)
    found.sort(key=lambda d: d.offset)
    return found


def _build(kind: str, m: re.Match[str], base_year: int | None) -> Deadline | None:
    phrase, offset = m.group(0), m.start()
    if kind == "ymd":
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return Deadline("date", phrase, offset, date=d) if d else None
    if kind == "ym":
        d = _month_end(int(m.group(1)), int(m.group(2)))
        return Deadline("date", phrase, offset, date=d) if d else None
    if kind in ("y_end", "by_year"):
        d = _safe_date(int(m.group(1)), 12, 31)
        return Deadline("date", phrase, offset, date=d) if d else None
    if kind in ("m", "m_before"):
        if base_year is None:
            return None
        month = int(m.group(1))
        d = _month_end(base_year, month) if kind == "m" else _month_end(base_year, month - 1) if month > 1 else None
        return Deadline("date", phrase, offset, date=d, year_inferred=True) if d else None
    if kind == "this_year":
        if base_year is None:
            return None
        return Deadline("date", phrase, offset, date=date(base_year, 12, 31), year_inferred=True)
    if kind == "recurring":
        return Deadline("recurring", phrase, offset, rule=RRULES[m.group(1)])
    n = int(m.group(1)) if m.group(1).isdigit() else parse_cn_int(m.group(1))
    if not n:
        return None
    return Deadline("within_working_days" if kind == "working_days" else "within_days", phrase, offset, days=n)


def attach_deadlines(roots: list[OutlineNode], deadlines: list[Deadline]) -> list[Deadline]:
    """Attach each deadline to the deepest outline item containing it; returns the unattached ones."""
    nodes = list(iter_nodes(roots))
    loose: list[Deadline] = []
    for d in deadlines:
        best: OutlineNode | None = None
        for node in nodes:
            if node.offset <= d.offset < node.end and (best is None or node.level >= best.level):
                best = node
        if best is None:
            loose.append(d)
        else:
            best.deadlines.append(d)
    return loose
