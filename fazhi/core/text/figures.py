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

_UNIT_WORDS = ["人次", "场次", "件次", "台次", "车次", "户次", "家次", "项次", "期次", "批次", "余件", "余名", "余人", "余次", "余项", "余个", "万元", "亿元", "元", "件", "名", "人", "次", "个", "项", "部", "条", "篇", "份", "期", "家", "户", "批", "起", "场", "所", "座", "册", "天", "小时", "公里", "亩", "倍", "封", "宗", "单", "类", "支", "队", "处", "套", "张", "台", "种", "轮", "卷", "平方米", "公顷", "笔", "例", "学时", "课时", "个工作日", "工作日", "个百分点", "百分点"]
#: measure words (量词), longest first so that 批次 wins over 批
UNITS = "|".join(sorted(set(_UNIT_WORDS), key=len, reverse=True))
#: a numeral of any length: Arabic digits, or Chinese numerals — one character too (十个, 三项, 两次) except
#: 一 and 零 alone, which are parts of words far more often than counts (一体化, 进一步, 一件事)
NUMBER = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]{2,}|[二两三四五六七八九十])"
FIGURE = re.compile(
    rf"(?P<num>{NUMBER})(?P<mult>[万亿]{{0,2}})(?P<approx>余|多)?"
    rf"(?:(?P<pct>%|％)|(?P<unit>(?:{UNITS})(?:（次）|\(次\))?))"
)
#: ranks (排名): 位居全市第三, 排名全省第1位, 名列全国第十
RANK = re.compile(
    r"(?:位居|位列|排名|排在|名列|居于|列)(?P<scope>全国|全省|全市|全县|全区|全州|[\u4e00-\u9fff]{0,6}?)"
    r"第(?P<num>\d{1,3}|[一二三四五六七八九十]{1,3})(?:名|位)?"
)
#: Chinese numerals inside a word or a slogan are no count (统一, 之一; 三项制度, 两个维护, 一件事, 一次性)
CN_WORD_BEFORE = re.compile(r"[第每统唯之同单进逐这那哪某几初万周星]$")
SLOGAN_AFTER = re.compile(r"[”\"]?(?:制度|全面|意识|自信|维护|确立|务必|代表|事|性|办|清单制度|大)")
PERCENT_CN = re.compile(r"百分之(?P<num>[\d.]+|[一二两三四五六七八九十百]+)")
SENTENCE_END = re.compile(r"[。！？\n]")
CLAUSE_START = re.compile(r"[，。；：！？\n（）“”《》]")
LEAD_NOISE = re.compile(r"^(?:\d{4}年度?|今年|全年|当年|以来|其中|同时|此外|全省|全市|全县|全区|各级|共|累计|截至\S{0,8}?底)+")
TAIL_NOISE = re.compile(
    r"(?:共计|合计|共|累计|总计|分别|达到|达|为|是|约|超过|突破|近|增至|同比|由|保持|稳定在|控制在|均|已|"
    r"(?:压缩|缩短|提高|提升|增加|增长|减少|降低|下降|上升|扩大|减)(?:至|到)|超|将|至|到)+$"
)
#: a label that is only a verb of change or a filler word says nothing on its own (issue 16: 增长, 提高到, 总量,
#: 规模, 将, 超, 至): it takes the noun of the figure before it in the sentence
BARE = re.compile(
    r"^(?:同比|环比|较上年|比上年)?(?:增长|下降|提高|提升|减少|上升|降低|增加|扩大|减|增)?(?:了|到|至)?$|"
    r"^(?:总量|规模|总数|数量|总计|合计|其中|将|超|至|达|为|分别|分别为|约|近|共)$"
)
#: verbs a count label starts with (收到行政复议申请): the noun after them is what is counted
COUNT_VERB = re.compile(
    r"^(?:依法)?(?:收到|新收|受理|审结|办结|结案|审查|审核|清理|制发|制定|印发|备案|报备|纠正|撤销|废止|调解|调处|调成|"
    r"化解|排查|评查|抽查|查处|办理|发生|组织|开展|完成|培训|接待)"
)
COUNT_VERB_ANY = re.compile(COUNT_VERB.pattern.removeprefix("^"))
#: a count verb alone (审结, 清理): the figure before it in the sentence says what was counted
BARE_VERB = re.compile(COUNT_VERB.pattern + r"$")
#: the head noun of a long phrase after the measure word: "27件以县政府为被告的行政诉讼案件" → 行政诉讼案件
HEAD_AFTER_DE = re.compile(r"^[^，。；：、！？\n]{1,24}的(?P<head>[^，。；：、！？\n的]{2,12}?)(?=[，。；：！？\n]|$)")

# Catalogue rules: key → (topic required or None, pattern searched in the figure's subject and label, kind).
# First matching rule wins, so the narrower come first (调解和解结案 before 审结; 出庭应诉案件 before 诉讼案件;
# 备案审查 before 审查). 收到 (applications received), 受理 (accepted) and 审结/办结 (closed) are three counts.
CATALOGUE_RULES: list[tuple[str, str | None, re.Pattern[str], str]] = [
    ("reconsideration.correction_rate", "复议", re.compile(r"纠错率"), "rate"),
    ("reconsideration.resolution_rate", "复议", re.compile(r"化解率"), "rate"),
    ("litigation.head_appearance_rate", None, re.compile(r"出庭(?:应诉)?率"), "rate"),
    ("litigation.loss_rate", None, re.compile(r"败诉率"), "rate"),
    ("mediation.success_rate", "调解", re.compile(r"调解成功率|调处成功率|成功率|调成率"), "rate"),
    ("litigation.head_appearances", None, re.compile(r"(?:负责人|负责同志|首长).{0,4}出庭|^出庭应诉|出庭应诉(?:案件)?$"), "count"),
    ("reconsideration.mediated", "复议", re.compile(r"(?:调解|和解).{0,6}结案|结案.{0,4}(?:调解|和解)|调解和解"), "count"),
    ("reconsideration.received", "复议", re.compile(r"收到|新收|收案|接收|^(?:行政)?复议申请|(?<!受理)申请(?!.*(?:受理|审结|办结))"), "count"),
    ("reconsideration.accepted", "复议", re.compile(r"受理"), "count"),
    ("reconsideration.closed", "复议", re.compile(r"办结|审结|结案"), "count"),
    ("litigation.cases", "诉讼", re.compile(r"(?:诉讼|应诉)案件|^(?:办结|审结|受理|新收|收到|发生)"), "count"),
    ("mediation.success", "调解", re.compile(r"调解成功|调处成功|成功调解|^调成$"), "count"),
    ("mediation.disputes", "调解", re.compile(r"(?:调处|排查|受理|调解|化解).*(?:矛盾纠纷|民间纠纷|矛盾)"), "count"),
    ("normative_docs.filed", "文件", re.compile(r"报备|备案"), "count"),
    ("normative_docs.corrected", "文件", re.compile(r"纠正|撤销"), "count"),
    ("normative_docs.reviewed", "文件", re.compile(r"审查|审核"), "count"),
    ("normative_docs.issued", "文件", re.compile(r"制发|制定|印发|出台|新制定"), "count"),
    ("normative_docs.cleaned", "文件", re.compile(r"清理"), "count"),
    ("case_review.files", "案卷", re.compile(r"案卷"), "count"),
]
#: Chinese names of the keys (the reports app shows them translated)
KEY_NAMES = {
    "reconsideration.received": "行政复议收案数", "reconsideration.accepted": "行政复议受理数",
    "reconsideration.closed": "行政复议办结数", "reconsideration.correction_rate": "行政复议纠错率",
    "reconsideration.resolution_rate": "行政复议化解率", "reconsideration.mediated": "调解和解结案数",
    "litigation.head_appearance_rate": "负责人出庭应诉率", "litigation.head_appearances": "负责人出庭应诉案件数",
    "litigation.loss_rate": "行政诉讼败诉率", "litigation.cases": "行政诉讼案件数",
    "mediation.success_rate": "调解成功率", "mediation.success": "调解成功数", "mediation.disputes": "调解纠纷数",
    "normative_docs.filed": "报备规范性文件数", "normative_docs.corrected": "纠正违法文件数",
    "normative_docs.reviewed": "审查规范性文件数", "normative_docs.issued": "制发规范性文件数",
    "normative_docs.cleaned": "清理规范性文件数", "case_review.files": "评查行政执法案卷数",
}
TOPICS = {
    "复议": re.compile(r"复议"),
    "诉讼": re.compile(r"诉讼|应诉"),
    "调解": re.compile(r"调解|调处|矛盾纠纷|民间纠纷|人民调解"),
    "文件": re.compile(r"规范性文件|报备|备案审查"),
    "案卷": re.compile(r"案卷"),
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
    start = max(text.rfind("。", 0, pos), text.rfind("！", 0, pos), text.rfind("？", 0, pos), text.rfind("\n", 0, pos)) + 1
    m = SENTENCE_END.search(text, pos)
    end = m.end() if m else len(text)
    return start, end


#: where a subject phrase starts (quotes are kept: ``完成“双盲”评审项目``)
SUBJECT_START = re.compile(r"[，。；：！？\n（）《》,;:]")
_LAST_SUBJECT_START = re.compile(r"[，。；：！？\n（）《》,;:](?=[^，。；：！？\n（）《》,;:]*$)")
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
    last = _LAST_SUBJECT_START.search(text, sent_start, start)
    i = last.start() + 1 if last else sent_start
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
    # "人员编制原则上不低于全部人员编制的80%": what is compared, not what it is compared with
    clause = re.sub(r"(?:原则上)?(?:不低于|不少于|不超过|不高于|高于|低于|超过|占)[^，]{0,16}的$", "", clause)
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
    head = HEAD_AFTER_DE.match(window)
    if head and not re.search(r"(?:案件|申请|文件|事项|企业|人员|问题|项目|机构|单位|群众|线索|纠纷|建议|提案)$",
                              head.group("head")):
        head = None
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
    if head and head.group("head") not in phrase:
        return head.group("head")  # the phrase stopped before its head: "以县政府为被告的行政诉讼案件"
    if phrase.count("“") != phrase.count("”"):
        phrase = phrase.replace("“", "").replace("”", "")
    han = sum("\u4e00" <= c <= "\u9fff" for c in phrase)
    return phrase if han >= 2 and len(phrase) <= 24 else ""


def _verb_after(text: str, end: int) -> str:
    """The clause after a figure that has neither noun nor subject (``3次听取研究法治建设工作汇报``)."""
    m = re.match(r"[^，。；：！？\n]{2,30}", text[end:])
    return m.group(0).strip() if m else ""


def _label(text: str, start: int, sent_start: int, end: int | None = None, unit: str = "",
           subject: str | None = None) -> str:
    """The best description of a figure: noun after the measure word, else subject, else verb after."""
    noun = _noun_after(text, end, unit) if end is not None else ""
    if noun:
        return noun
    if subject is None:
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
        num = m.group("num")
        if not num[0].isdigit() and (
            CN_WORD_BEFORE.search(text, max(0, m.start() - 1), m.start()) or SLOGAN_AFTER.match(text, m.end())
        ):
            continue  # 统一, 之一; 三项制度, 一件事
        base = parse_number(num)
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
                label=_label(text, m.start(), s0, m.end(), unit, subject),
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
    for m in RANK.finditer(text):
        value = parse_number(m.group("num"))
        if value is None:
            continue
        s0, s1 = _sentence_bounds(text, m.start())
        subject = _subject(text, m.start(), s0)
        start = m.start("num") - 1  # the figure is "第三": its offset points at 第
        figures.append(
            Figure(subject or m.group("scope"), value, "名次", text[s0:s1].strip(), start, text[start : m.end()],
                   low_confidence=any(a <= start < b for a, b in spans),
                   sentence_offset=s0 + (len(text[s0:s1]) - len(text[s0:s1].lstrip())), subject=subject)
        )
    figures.sort(key=lambda f: f.offset)
    _pair_respectively(text, figures)
    _carry_subject(figures)
    return figures


#: "收到、受理、审结行政复议案件分别为2210件、2058件、1987件": the items before 分别 pair with the figures by position
RESPECTIVELY = re.compile(r"分别(?:为|是|达到|达|有|占)?$")
LIST_SEP = re.compile(r"[、和及与]|以及")


def _pair_respectively(text: str, figures: list[Figure]) -> None:
    """Labels of a "分别为" list: item k of the list before 分别 with the noun they share (see RESPECTIVELY)."""
    k = 0
    while k < len(figures):
        fig = figures[k]
        before = text[fig.sentence_offset : fig.offset]
        m = re.search(r"([^，。；：！？\n]*?)分别(?:为|是|达到|达|有|占)?$", before)
        if not m:
            k += 1
            continue
        run = [fig]
        j = k + 1
        while j < len(figures) and figures[j].sentence_offset == fig.sentence_offset:
            gap = text[run[-1].offset + len(run[-1].raw) : figures[j].offset]
            if not re.fullmatch(r"[、和及与，,]|以及", gap):
                break
            run.append(figures[j])
            j += 1
        clause = LEAD_NOISE.sub("", INNER_STOP.sub("", CHANNEL.sub("", m.group(1)))).strip()
        items = [x for x in LIST_SEP.split(clause) if x]
        if len(run) >= 2 and len(items) == len(run):
            # the last item carries the shared noun: 审结行政复议案件 → 行政复议案件
            short = min(len(x) for x in items[:-1])
            shared = items[-1][short:] if len(items[-1]) > short + 1 else ""
            for f, item in zip(run, items, strict=True):
                f.label = f.subject = (item if item.endswith(shared) else item + shared) if shared else item
        elif len(run) >= 2 and clause:
            for f in run:
                if BARE.match(f.label) or not f.label:
                    f.label = f.subject = clause
        k = j


def _noun_of(label: str) -> str:
    """What a count label counts: the label without its leading verb (受理行政复议案件 → 行政复议案件)."""
    found = [m for m in COUNT_VERB_ANY.finditer(label) if len(label) - m.end() >= 2]
    return label[found[-1].end():] if found else label


def _previous_clause(fig: Figure) -> str:
    """The clause before the one holding ``fig`` in its sentence, without figures (``组织应急演练``)."""
    before = fig.sentence[: max(0, fig.offset - fig.sentence_offset)]
    clauses = [c.strip() for c in re.split(r"[，；：,;]", before)][:-1]
    for clause in reversed(clauses):
        if clause and not FIGURE.search(clause) and 2 <= len(clause) <= 20:
            return LEAD_NOISE.sub("", clause)
    return ""


def _carry_subject(figures: list[Figure]) -> None:
    """A clause with only a verb or a filler (…203件，同比下降5%，审结196件) takes the subject of the figure
    before it in the same sentence: 行政复议案件同比下降, 审结行政复议案件 (the subject the catalogue reads
    stays the clause itself, so its verb still says what was counted)."""
    prev: Figure | None = None
    for fig in figures:
        if prev is not None and prev.sentence_offset == fig.sentence_offset and prev.label:
            noun = _noun_of(prev.label)
            if BARE_VERB.match(fig.label) and noun != prev.label:
                fig.label = fig.label + noun
            elif not fig.label or BARE.match(fig.label):
                fig.label = noun + fig.label
        if fig.label and BARE_VERB.match(fig.label):
            clause = _previous_clause(fig)
            noun = _noun_of(clause) if clause else ""
            if noun and noun != fig.label:
                fig.label = fig.label + noun  # 组织应急演练，…完成1120场次 → 完成应急演练
        if fig.label and not BARE.match(fig.label) and not fig.is_rate:
            prev = fig  # a rate (同比下降5%) says nothing of what the next count counts


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
        topics[fig.offset] = _topic(fig, prefix + (fig.subject or "") + "|" + fig.label)
    for fig in figures:
        topic = topics[fig.offset]
        for key, need_topic, pattern, kind in CATALOGUE_RULES:
            if key in out or (kind == "rate") != fig.is_rate:
                continue
            if need_topic and topic != need_topic:
                continue
            if key == "case_review.files" and fig.unit not in ("卷", "件", "份", "宗"):
                continue  # 评查三轮 counts rounds, not files
            said = fig.subject if fig.subject and fig.subject != fig.label else ""
            if not (pattern.search(fig.label) or (said and pattern.search(said))):
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
                # the counting basis: which counts of the sentence make the rate (DOMAIN.md §6: a rate is only
                # comparable with its basis beside it); None when the report states the rate alone
                entry["basis"] = None
                if basis:
                    entry["numerator"], entry["denominator"] = basis[0].value, basis[1].value
                    entry["basis"] = {"numerator_label": basis[0].label, "denominator_label": basis[1].label,
                                      "numerator_offset": basis[0].offset, "denominator_offset": basis[1].offset}
            out[key] = entry
            break
    return out


def catalogue_to_dict(cat: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """JSON-ready copy: Decimals as strings (exact), None kept."""
    return {
        k: {f: (str(v) if isinstance(v, Decimal) else v) for f, v in entry.items()} for k, entry in cat.items()
    }
