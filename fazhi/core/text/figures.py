"""Statistics in report text (数据提取) and the catalogue of standard keys (指标目录).

Every number with a unit or a percent sign becomes a :class:`Figure` (label, value, unit,
sentence, offset). Rules:

* number and unit are cut out first, then converted (TEXT-NOTES.md): ``1.06万名`` → 10600 名,
  ``2.07亿件（次）`` → 207000000 件（次）, ``四十四项`` → 44 项;
* years, dates, document numbers (``第230号``, ``〔2020〕1号``) and times are not statistics;
* the label is the best short description of what is counted: the noun phrase right after a measure
  word when there is one (``1.06万名领导干部同步参训`` → ``领导干部``, ``等6件省政府规章`` →
  ``省政府规章``), else the *subject*: the clause before the number, trimmed at punctuation and
  stop words (``2024年全省共收到行政复议申请34777件`` → ``收到行政复议申请``,
  ``街道平均编制由72名增至87名`` → ``街道平均编制``); a figure with neither takes the verb phrase
  after it (``3次听取研究法治建设工作汇报`` → ``听取研究法治建设工作汇报``);
* a figure inside a stretch rebuilt by mojibake repair is ``low_confidence``.

The catalogue maps figures to standard keys by subject (the clause before the number, so a count
keeps the verb that says what was counted: 收到, 办结, 纠正…) and topic (the last of 复议/诉讼/调解/文件
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
TAIL_NOISE = re.compile(r"(?:共计|合计|共|累计|总计|分别|达到|达|为|是|约|超过|突破|近|增至|同比|由)+$")

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
    #: the clause before the number, trimmed (``收到行政复议申请``); the catalogue matches on it.
    #: Equal to ``label`` unless a noun after the measure word gave a better label.
    subject: str = ""

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
            "subject": self.subject,
        }


def _sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    start = pos
    while start > 0 and not SENTENCE_END.match(text[start - 1]):
        start -= 1
    m = SENTENCE_END.search(text, pos)
    end = m.end() if m else len(text)
    return start, end


#: where a subject phrase starts (quotes are kept: ``完成“双盲”评审项目``)
SUBJECT_START = re.compile(r"[，。；：！？\n（）《》,;:]")
#: inner stop words: the subject is what follows the last one (``三级政府共受理报备文件`` → ``受理报备文件``)
INNER_STOP = re.compile(r"^.*(?:共计|合计|总计|累计|(?<!公)共(?![同享建治产青性识]))(?=.)")
#: ``由72名增至87名``: the change's subject is what comes before ``由``
CHANGE = re.compile(r"由[^由]*?(?:增至|增加到|增加至|增长到|增长至|提高到|提高至|提升到|提升至|上升到|上升至|降至|下降到|下降至|减少到|减少至|减至)$")
#: ``通过省政府门户网站等平台发布…`` → ``发布…`` (the channel is not what is counted)
CHANNEL = re.compile(r"^(?:通过|依托|利用)[^，]{1,24}(?:平台|网站|渠道|媒体|系统)")
#: units after which a noun can follow (``1.06万名领导干部``); not %, money or multiples
NOUN_UNITS = frozenset(UNITS.split("|")) - {"万元", "亿元", "元", "倍"}
#: where a noun phrase after the measure word ends: punctuation, digits, conjunctions, verbs,
#: adverbs and prepositions that documents put after the counted thing
NP_END = re.compile(
    r"[，。；：、！？\n《》,;:\d]|和|及|与|或|的(?!“)|同步|全员|全部|全程|全面|均|已|都|在|进行|实现|下沉|参加|参与|"
    r"参训|得到|获得|被|由|为|达|增|占|分别|正常|通过|开展|完成|用于|纳入|落地|以上|以下|左右|周[一二三四五六日]|"
    r"进入|列入|覆盖|向|对|从|将|按|经|予以|办结|成为|作为|受益|获|日常|(?<!公)共(?![同享建治产青性识])|累计|次(?=[，。；、])"
)
#: a phrase after the number that starts with a verb is no noun phrase (``3次听取研究…``)
VERB_START = re.compile(r"^(?:听取|研究|开展|组织|办理|完成|实现|进行|参加|参与|获得|得到|增|减|达|提|降|下降|上升|次)")
NP_TRAIL = re.compile(r"(?:内|前|后|以来|期间|之内)$")


def _subject(text: str, start: int, sent_start: int) -> str:
    """The clause before the number, trimmed at punctuation and stop words (see module docstring)."""
    i = start
    while i > sent_start and not SUBJECT_START.match(text[i - 1]):
        i -= 1
    clause = text[i:start].strip()
    if not clause and i > 0 and text[i - 1] == "》":
        # a count of a named publication: "编撰《…知识手册》1500册"
        j = text.rfind("《", max(sent_start, i - 60), i)
        return text[j:i] if j >= 0 else ""
    change = CHANGE.search(clause)
    if change:
        clause = clause[: change.start()]
    earlier = list(FIGURE.finditer(clause))
    if earlier:
        # a list of figures: "接待群众6.4万批、14.1万人次", "建议32件、政协提案5件"
        head, tail = clause[: earlier[0].start()], clause[earlier[-1].end() :]
        if "、" in tail:
            tail = tail.rsplit("、", 1)[1]
            clause = tail or head
        else:
            clause = re.sub(r"^(?:和|及|与|以及)", "", tail) or head
    clause = INNER_STOP.sub("", clause)
    clause = LEAD_NOISE.sub("", clause)
    clause = CHANNEL.sub("", clause)
    clause = TAIL_NOISE.sub("", clause)
    return clause.strip().strip("、，").strip()


def _noun_after(text: str, end: int, unit: str) -> str:
    """The noun phrase right after a measure word (``名领导干部同步参训`` → ``领导干部``), or ""."""
    if unit not in NOUN_UNITS and unit.removesuffix("（次）") not in NOUN_UNITS:
        return ""
    window = text[end : end + 40]
    if window.startswith("的"):  # "不少于15人的兼职应急救援队伍"
        window = window[1:]
    if VERB_START.match(window):
        return ""
    out: list[str] = []
    k = 0
    while k < len(window):
        ch = window[k]
        if ch == "（":  # a short parenthesis inside the phrase: "乡镇（街道）"
            close = window.find("）", k)
            if 0 < close - k <= 7:
                out.append(window[k : close + 1])
                k = close + 1
                continue
            break
        if NP_END.match(window, k) or ch == "）":
            break
        out.append(ch)
        k += 1
    phrase = NP_TRAIL.sub("", "".join(out)).strip()
    if phrase.count("“") != phrase.count("”"):
        phrase = phrase.replace("“", "").replace("”", "")
    han = sum("\u4e00" <= c <= "\u9fff" for c in phrase)
    return phrase if han >= 2 and len(phrase) <= 24 else ""


def _verb_after(text: str, end: int) -> str:
    """The clause after a figure that has neither noun nor subject (``3次听取研究法治建设工作汇报``)."""
    m = re.match(r"[^，。；：！？\n]{2,30}", text[end:])
    return m.group(0).strip() if m else ""


def _label(text: str, start: int, sent_start: int, end: int | None = None, unit: str = "") -> str:
    """The best description of a figure: noun after the measure word, else subject, else verb after."""
    noun = _noun_after(text, end, unit) if end is not None else ""
    if noun:
        return noun
    subject = _subject(text, start, sent_start)
    if subject or end is None:
        return subject
    return _verb_after(text, end)


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
        subject = _subject(text, m.start(), s0)
        figures.append(
            Figure(
                label=_label(text, m.start(), s0, m.end(), unit),
                value=value,
                unit=unit,
                sentence=text[s0:s1].strip(),
                offset=m.start(),
                raw=m.group(0),
                approximate=approx,
                low_confidence=any(a <= m.start() < b for a, b in spans),
                sentence_offset=s0 + (len(text[s0:s1]) - len(text[s0:s1].lstrip())),
                subject=subject,
            )
        )
    for m in PERCENT_CN.finditer(text):
        value = parse_number(m.group("num"))
        if value is None:
            continue
        s0, s1 = _sentence_bounds(text, m.start())
        subject = _subject(text, m.start(), s0)
        figures.append(
            Figure(subject, value, "%", text[s0:s1].strip(), m.start(), m.group(0),
                   low_confidence=any(a <= m.start() < b for a, b in spans),
                   sentence_offset=s0 + (len(text[s0:s1]) - len(text[s0:s1].lstrip())),
                   subject=subject)
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
        topics[fig.offset] = _topic(fig, prefix + (fig.subject or fig.label))
    for fig in figures:
        topic = topics[fig.offset]
        for key, need_topic, pattern, kind in CATALOGUE_RULES:
            if key in out or (kind == "rate") != fig.is_rate:
                continue
            if need_topic and topic != need_topic:
                continue
            if not pattern.search(fig.subject or fig.label):
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
