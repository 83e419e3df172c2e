"""Statistics in report text (数据提取) and the catalogue of standard keys (指标目录).

Every number with a unit or a percent sign becomes a :class:`Figure` (label, value, unit,
sentence, offset). Rules:

* number and unit are cut out first, then converted (TEXT-NOTES.md): ``1.06万名`` → 10600 名,
  ``2.07亿件（次）`` → 207000000 件（次）, ``四十四项`` → 44 项;
* years, dates, document numbers (``第230号``, ``〔2020〕1号``) and times are not statistics;
* the label is the clause before the number minus time/scope prefixes and linking verbs
  (``2024年全省共收到行政复议申请34777件`` → ``收到行政复议申请``);
* a figure inside a stretch rebuilt by mojibake repair is ``low_confidence``.

The catalogue maps figures to standard keys by label and topic (the last of 复议/诉讼/调解/文件
named before the figure in its sentence), and gives every rate its numerator and denominator when
two counts of the same sentence reproduce it within 0.5 points (DOMAIN.md §6: a rate is only
comparable with its basis beside it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .numbers import normalize, parse_number

UNITS = (
    "人次|场次|件次|余件|余名|余人|余次|余项|余个|万元|亿元|元|件|名|人|次|个|项|部|条|篇|份|期|家|户|批|起|场|"
    "所|座|册|天|小时|公里|亩|倍|封|宗|单|类|支|队|处|套|张|台|种"
)
NUMBER = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|[一二两三四五六七八九十百千]{2,})"
FIGURE = re.compile(
    rf"(?P<num>{NUMBER})(?P<mult>[万亿]{{0,2}})(?P<approx>余|多)?"
    rf"(?:(?P<pct>%|％)|(?P<unit>(?:{UNITS})(?:（次）|\(次\))?))"
)
PERCENT_CN = re.compile(r"百分之(?P<num>[\d.]+|[一二两三四五六七八九十百]+)")
SENTENCE_END = re.compile(r"[。！？\n]")
CLAUSE_START = re.compile(r"[，。；：！？\n（）“”《》]")
LEAD_NOISE = re.compile(r"^(?:\d{4}年度?|今年|全年|当年|以来|其中|同时|此外|全省|全市|全县|全区|各级|共|累计|截至\S{0,8}?底)+")
TAIL_NOISE = re.compile(r"(?:共计|共|累计|总计|分别|达到|达|为|是|约|超过|突破|近|增至|同比)+$")

# Catalogue rules: key → (topic required or None, label regex, kind)
CATALOGUE_RULES: list[tuple[str, str | None, re.Pattern[str], str]] = [
    ("reconsideration.correction_rate", "复议", re.compile(r"纠错率"), "rate"),
    ("reconsideration.resolution_rate", "复议", re.compile(r"化解率"), "rate"),
    ("reconsideration.mediated", "复议", re.compile(r"(?:调解|和解).*结案|结案.*(?:调解|和解)"), "count"),
    ("reconsideration.received", "复议", re.compile(r"(?:收到|受理|新收|收案|接收|申请).*|.*复议申请.*"), "count"),
    ("reconsideration.closed", "复议", re.compile(r"^(?:依法)?(?:办结|审结|结案)$|复议.*(?:办结|审结)"), "count"),
    ("litigation.head_appearance_rate", None, re.compile(r"出庭(?:应诉)?率"), "rate"),
    ("litigation.loss_rate", None, re.compile(r"败诉率"), "rate"),
    ("litigation.cases", "诉讼", re.compile(r"(?:诉讼|应诉)案件|^(?:办结|审结|受理|新收|收到)"), "count"),
    ("mediation.success_rate", "调解", re.compile(r"调解成功率|调处成功率|成功率|调成率"), "rate"),
    ("mediation.success", "调解", re.compile(r"调解成功|调处成功|成功调解|^调成$"), "count"),
    ("mediation.disputes", "调解", re.compile(r"(?:调处|排查|受理|调解).*(?:矛盾纠纷|民间纠纷|矛盾)"), "count"),
    ("normative_docs.filed", "文件", re.compile(r"报备.*文件|备案.*文件|文件.*备案"), "count"),
    ("normative_docs.corrected", "文件", re.compile(r"纠正.*文件|撤销.*文件"), "count"),
]
TOPICS = {
    "复议": re.compile(r"复议"),
    "诉讼": re.compile(r"诉讼|应诉"),
    "调解": re.compile(r"调解|调处|矛盾纠纷|民间纠纷|人民调解"),
    "文件": re.compile(r"规范性文件|报备|备案审查"),
}
RATE_KEYS = [k for k, _t, _p, kind in CATALOGUE_RULES if kind == "rate"]
ALL_KEYS = [k for k, *_ in CATALOGUE_RULES]


@dataclass
class Figure:
    """A statistic as written in the text (统计数据)."""

    label: str
    value: Decimal
    unit: str
    sentence: str
    offset: int
    raw: str
    approximate: bool = False
    low_confidence: bool = False
    #: offset of ``sentence`` in the text (so the text before the figure is known exactly)
    sentence_offset: int = 0

    @property
    def is_rate(self) -> bool:
        return self.unit == "%"

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "value": str(self.value),
            "unit": self.unit,
            "sentence": self.sentence,
            "offset": self.offset,
            "raw": self.raw,
            "approximate": self.approximate,
            "low_confidence": self.low_confidence,
            "sentence_offset": self.sentence_offset,
        }


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = pos
    while start > 0 and not SENTENCE_END.match(text[start - 1]):
        start -= 1
    m = SENTENCE_END.search(text, pos)
    end = m.end() if m else len(text)
    return start, end


def _label(text: str, start: int, sent_start: int) -> str:
    i = start
    while i > sent_start and not CLAUSE_START.match(text[i - 1]):
        i -= 1
    label = text[i:start].strip()
    # in a list of figures keep only this item: "废止2件、宣布失效7件" → "宣布失效"
    label = re.sub(rf"^.*\d(?:{UNITS}|%)、", "", label)
    label = LEAD_NOISE.sub("", label)
    label = TAIL_NOISE.sub("", label)
    return label.strip()


def _is_not_statistic(text: str, m: re.Match[str]) -> bool:
    s = m.start()
    if text[max(0, s - 2) : s].endswith(("第", "〔", "[", "【")):
        return True  # ordinal or document number: 第230号, 〔2020〕1号 (years never match: 年 is no unit)
    # a piece of a bigger token (1+31+38, 2021—2025)
    return s > 0 and (text[s - 1].isdigit() or text[s - 1] in ".-—～~+")


def extract_figures(text: str, low_confidence_spans: list[tuple[int, int]] | None = None) -> list[Figure]:
    """Every statistic in ``text`` in document order (see module docstring for the rules)."""
    spans = low_confidence_spans or []
    figures: list[Figure] = []
    for m in FIGURE.finditer(text):
        if _is_not_statistic(text, m):
            continue
        base = parse_number(m.group("num"))
        if base is None:
            continue
        value = base
        for unit in m.group("mult"):
            value *= Decimal(10_000) if unit == "万" else Decimal(100_000_000)
        value = normalize(value)
        unit = "%" if m.group("pct") else m.group("unit")
        approx = bool(m.group("approx")) or unit.startswith("余")
        unit = unit.removeprefix("余")
        s0, s1 = _sentence_bounds(text, m.start())
        figures.append(
            Figure(
                label=_label(text, m.start(), s0),
                value=value,
                unit=unit,
                sentence=text[s0:s1].strip(),
                offset=m.start(),
                raw=m.group(0),
                approximate=approx,
                low_confidence=any(a <= m.start() < b for a, b in spans),
                sentence_offset=s0 + (len(text[s0:s1]) - len(text[s0:s1].lstrip())),
            )
        )
    for m in PERCENT_CN.finditer(text):
        value = parse_number(m.group("num"))
        if value is None:
            continue
        s0, s1 = _sentence_bounds(text, m.start())
        figures.append(
            Figure(_label(text, m.start(), s0), value, "%", text[s0:s1].strip(), m.start(), m.group(0),
                   low_confidence=any(a <= m.start() < b for a, b in spans),
                   sentence_offset=s0 + (len(text[s0:s1]) - len(text[s0:s1].lstrip())))
        )
    figures.sort(key=lambda f: f.offset)
    return figures


def _topic(fig: Figure, text_before: str) -> str | None:
    """The topic of a figure: what its sentence is about before it.

    复议 and 诉讼 name the proceeding; the later of the two wins. Mediation inside a
    reconsideration sentence (经调解、和解结案) stays a reconsideration figure, so 调解 and 文件
    are topics only when no proceeding is named.
    """
    last: dict[str, int] = {}
    for name, pattern in TOPICS.items():
        for mm in pattern.finditer(text_before):
            last[name] = mm.start()
    proceedings = {k: v for k, v in last.items() if k in ("复议", "诉讼")}
    if proceedings:
        return max(proceedings, key=lambda k: proceedings[k])
    others = {k: v for k, v in last.items() if k not in ("复议", "诉讼")}
    return max(others, key=lambda k: others[k]) if others else None


def _basis(rate: Figure, counts: list[Figure], topics: dict[int, str | None]) -> tuple[Figure, Figure] | None:
    """Two counts of the rate's sentence and topic whose ratio reproduces the rate within 0.5 points."""
    same = [
        c for c in counts
        if c.sentence == rate.sentence and c.offset < rate.offset and c.value > 0
        and topics.get(c.offset) == topics.get(rate.offset)
    ]
    best = None
    for num in same:
        for den in same:
            if num is den or num.value > den.value:
                continue
            diff = abs(num.value * 100 / den.value - rate.value)
            if diff <= Decimal("0.5") and (best is None or diff < best[0] or
                                           (diff == best[0] and num.offset + den.offset > best[1].offset + best[2].offset)):
                best = (diff, num, den)
    return (best[1], best[2]) if best else None


def catalogue(figures: list[Figure]) -> dict[str, dict[str, Any]]:
    """Standard keys filled where the text states them (first statement in document order wins)."""
    out: dict[str, dict[str, Any]] = {}
    counts = [f for f in figures if not f.is_rate]
    topics: dict[int, str | None] = {}
    for fig in figures:
        prefix = fig.sentence[: max(0, fig.offset - fig.sentence_offset)]
        topics[fig.offset] = _topic(fig, prefix + fig.label)
    for fig in figures:
        topic = topics[fig.offset]
        for key, need_topic, pattern, kind in CATALOGUE_RULES:
            if key in out or (kind == "rate") != fig.is_rate:
                continue
            if need_topic and topic != need_topic:
                continue
            if not pattern.search(fig.label):
                continue
            entry: dict[str, Any] = {
                "value": fig.value,
                "unit": fig.unit,
                "numerator": None,
                "denominator": None,
                "sentence": fig.sentence,
                "offset": fig.offset,
                "low_confidence": fig.low_confidence,
            }
            if kind == "rate":
                basis = _basis(fig, counts, topics)
                if basis:
                    entry["numerator"], entry["denominator"] = basis[0].value, basis[1].value
            out[key] = entry
            break
    return out


def catalogue_to_dict(cat: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """JSON-ready copy: Decimals as strings (exact), None kept."""
    return {
        k: {f: (str(v) if isinstance(v, Decimal) else v) for f, v in entry.items()} for k, entry in cat.items()
    }
