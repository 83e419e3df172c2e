"""Document type and provenance (文种识别与来源): what kind of document a text is, who issued it, which year.

Types (``DOCTYPES``): ``annual_report`` 法治政府建设年度报告, ``work_report`` 政府工作报告, ``work_plan``
工作要点·工作安排, ``implementation_plan`` 实施方案, ``other``. Each type scores the title (weight 3) and
marks of its body (weight 1 each: 各位代表 and 请予审议 are a 政府工作报告's; 第一责任人, 存在的不足 and
下一年度 an annual report's; 责任单位 and 牵头单位 a plan's…); the confidence is the winner's share of
the scores, so a 政府工作报告 that also says 第一责任人 stays a 政府工作报告 with less confidence.

Provenance: the issuer is read from the title (``某市人民政府关于…的报告`` → ``某市人民政府``), else from
the signature (an organ's name on its own line near the end, before or after a date line), else from
the letterhead (``…人民政府文件``); the year from the title (``关于2023年度…``), else the body's first
year (``2024年以来``), else the signature date's year minus one (a report is signed the year after).
Where each was read is reported (``issuer_source``, ``year_source``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .numbers import parse_cn_int

DOCTYPES = {
    "annual_report": "法治政府建设年度报告",
    "work_report": "政府工作报告",
    "work_plan": "工作要点·工作安排",
    "implementation_plan": "实施方案",
    "other": "其他文件",
}

TITLE_RULES: dict[str, re.Pattern[str]] = {
    "annual_report": re.compile(r"(?:法治政府|依法行政|法治).{0,12}(?:情况|工作|年度)?的?(?:报告|总结)|年度报告"),
    "work_report": re.compile(r"政府工作报告|^工作报告$"),
    "work_plan": re.compile(r"工作要点|工作安排|工作计划|重点工作|任务分工"),
    "implementation_plan": re.compile(r"实施方案|实施意见|实施规划|行动方案|建设规划|方案$"),
}
BODY_RULES: dict[str, list[re.Pattern[str]]] = {
    "annual_report": [re.compile(p) for p in (
        r"第一责任人", r"存在的(?:主要)?(?:不足|问题)|问题和不足|不足和原因", r"下一年度|下一步|\d{4}年[，,]我们将",
        r"其他需要报告的情况", r"现将.{0,20}情况报告如下", r"法治政府建设",
    )],
    "work_report": [re.compile(p) for p in (
        r"各位代表", r"请予审议", r"政协委员", r"向大会报告", r"过去(?:的)?一年|过去五年", r"今年(?:经济社会)?发展的主要预期目标",
        r"地区生产总值|GDP",
    )],
    "work_plan": [re.compile(p) for p in (
        r"责任单位", r"牵头单位", r"配合单位", r"各地各部门要", r"(?:年底|月底)前", r"工作要点|工作安排",
    )],
    "implementation_plan": [re.compile(p) for p in (
        r"指导思想", r"(?:主要|工作|总体)目标", r"保障措施", r"组织实施|组织保障", r"到20\d{2}年", r"本(?:实施)?方案",
    )],
}
TITLE_WEIGHT = 3

#: an organ's name (机关名称) as it signs: ends with the kind of body it is
ORGAN = r"[\u4e00-\u9fff（）()]{2,30}?(?:人民政府|人民政府办公室|人民政府办公厅|委员会|领导小组|办公室|办公厅|管委会|管理委员会|政府|厅|局|委|办|院|中心)"
ISSUER_IN_TITLE = re.compile(rf"^(?P<issuer>{ORGAN})(?:关于|\d{{4}}年|[二〇一二三四五六七八九零]{{4}}年|法治|年度)")
ORGAN_LINE = re.compile(rf"^{ORGAN}$")
LETTERHEAD = re.compile(rf"^(?P<issuer>{ORGAN})文件$")
DATE_LINE = re.compile(r"^(\d{4}|[二〇一二三四五六七八九零○]{4})年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})日$")
#: a year in the title; of a range (2021—2025年) the first
YEAR_IN_TITLE = re.compile(r"(20\d{2}|19\d{2})(?:\s*[—–-]+\s*\d{4})?年")
YEAR_IN_BODY = re.compile(r"(?:^|[。\n])\s*(20\d{2})年(?:度)?(?:以来|，|,|是|全|我|在|，)")
#: "（2021—2025年）" on the line after the title: the plan's period
SUBTITLE_YEARS = re.compile(r"^[（(]\s*(\d{4})\s*[—–-]+\s*\d{4}\s*年\s*[）)]$")
#: a page that announces the document: "近日，中共河南省委、河南省人民政府印发了《…》"
ANNOUNCED = re.compile(rf"(?:^|[。，,\n])(?:近日|日前)?[，,]?(?P<issuer>(?:中共)?{ORGAN}(?:[、和](?:中共)?{ORGAN})*)(?:联合)?印发(?:了)?《")
CN_YEAR = re.compile(r"[二〇一二三四五六七八九零○]{4}")


@dataclass
class DocumentKind:
    """What :func:`classify` found (文种、发文机关、年度)."""

    doctype: str
    confidence: float
    scores: dict[str, int]
    title: str = ""
    issuer: str | None = None
    issuer_source: str | None = None  # "title" | "signature" | "letterhead"
    year: int | None = None
    year_source: str | None = None  # "title" | "body" | "signature"
    signature_line: int | None = None
    evidence: dict[str, list[str]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return DOCTYPES[self.doctype]

    def to_dict(self) -> dict[str, Any]:
        return {
            "doctype": self.doctype, "name": self.name, "confidence": self.confidence, "scores": self.scores,
            "title": self.title, "issuer": self.issuer, "issuer_source": self.issuer_source, "year": self.year,
            "year_source": self.year_source, "signature_line": self.signature_line, "evidence": self.evidence,
        }


def _cn_year(text: str) -> int | None:
    digits = text.replace("○", "〇")
    n = parse_cn_int(digits)
    return n if n and 1900 <= n <= 2100 else None


def document_title(text: str, lines: list[str] | None = None) -> str:
    """The title: the first line of the first lines (before any sentence) that names a document kind;
    a title broken over two lines is joined (``某县人民政府关于2023年度`` + ``法治政府建设情况的报告``)."""
    lines = lines if lines is not None else text.split("\n")
    head: list[str] = []
    for raw in lines[:12]:
        line = raw.strip()
        if not line:
            continue
        if "。" in line or len(line) > 80:
            break
        head.append(line)
    for k, line in enumerate(head):
        if re.search(r"〔\d{4}〕|^\S{2,30}[:：]$", line) or LETTERHEAD.match(line):
            continue  # document number, addressee, letterhead
        joined = line + (head[k + 1] if k + 1 < len(head) and not re.search(r"〔|[:：]$|^[（(]", head[k + 1]) else "")
        for candidate in (line, joined):
            if any(p.search(candidate) for p in TITLE_RULES.values()) and not ORGAN_LINE.match(candidate):
                return candidate
    return ""


def _signature(lines: list[str]) -> tuple[str | None, int | None, int | None]:
    """(issuer, year, line number) of the signature block: an organ's name next to a date line near the end."""
    last = [(i, ln.strip()) for i, ln in enumerate(lines) if ln.strip()][-12:]
    for k in range(len(last) - 1, -1, -1):
        i, line = last[k]
        m = DATE_LINE.match(line)
        if not m:
            continue
        year = int(m.group(1)) if m.group(1).isdigit() else _cn_year(m.group(1))
        for j in (k - 1, k - 2, k + 1):
            if 0 <= j < len(last) and ORGAN_LINE.match(last[j][1]):
                return last[j][1], year, last[j][0] + 1
        return None, year, i + 1
    return None, None, None


def classify(text: str, title: str | None = None) -> DocumentKind:
    """Type, issuer and year of a cleaned document (see module docstring)."""
    lines = text.split("\n")
    if title and (re.search(r"〔\d{4}〕|号$", title) or LETTERHEAD.match(title)):
        title = None  # a document number or letterhead taken for the title by the page
    title = document_title(text, lines) or (title or "")
    # "关于印发《X》的通知" is an X
    issued = re.search(r"印发[《〈]?(.+?)[》〉]?的通知", title)
    subject_title = issued.group(1) if issued else title
    scores: dict[str, int] = {}
    evidence: dict[str, list[str]] = {}
    body = text[:20000]
    for kind in TITLE_RULES:
        score = 0
        ev: list[str] = []
        tm = TITLE_RULES[kind].search(subject_title) if subject_title else None
        if tm:
            score += TITLE_WEIGHT
            ev.append(f"title:{tm.group(0)}")
        for p in BODY_RULES[kind]:
            m = p.search(body)
            if m:
                score += 1
                ev.append(m.group(0))
        scores[kind] = score
        evidence[kind] = ev
    # a 政府工作报告 is a report too: its own title wins over the generic "报告"
    if subject_title and TITLE_RULES["work_report"].search(subject_title) and TITLE_RULES["annual_report"].search(
            subject_title):
        scores["annual_report"] -= TITLE_WEIGHT
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], list(DOCTYPES).index(kv[0])))
    best, top = ranked[0]
    total = sum(scores.values())
    if top < 3:
        doctype, confidence = "other", round(1 - top / 3 * 0.5, 2)
    else:
        doctype, confidence = best, round(top / total, 2) if total else 0.0
    kind = DocumentKind(doctype=doctype, confidence=confidence, scores=scores, title=title, evidence=evidence)
    _provenance(kind, text, lines, title)
    return kind


def _provenance(kind: DocumentKind, text: str, lines: list[str], title: str) -> None:
    m = ISSUER_IN_TITLE.match(title) if title else None
    sig_issuer, sig_year, sig_line = _signature(lines)
    kind.signature_line = sig_line
    if m:
        kind.issuer, kind.issuer_source = m.group("issuer"), "title"
    elif sig_issuer:
        kind.issuer, kind.issuer_source = sig_issuer, "signature"
    else:
        for raw in lines[:5]:
            lm = LETTERHEAD.match(raw.strip())
            if lm:
                kind.issuer, kind.issuer_source = lm.group("issuer"), "letterhead"
                break
        if kind.issuer is None:
            am = ANNOUNCED.search(text[:1500])
            if am:
                kind.issuer, kind.issuer_source = am.group("issuer"), "body"
    ym = YEAR_IN_TITLE.search(title) if title else None
    cy = CN_YEAR.search(title) if title and not ym else None
    if ym:
        kind.year, kind.year_source = int(ym.group(1)), "title"
    elif cy and _cn_year(cy.group(0)):
        kind.year, kind.year_source = _cn_year(cy.group(0)), "title"
    elif (sub := next((m for raw in lines[:8] if (m := SUBTITLE_YEARS.match(raw.strip()))), None)):
        kind.year, kind.year_source = int(sub.group(1)), "title"
    else:
        bm = YEAR_IN_BODY.search(text[:5000])
        if bm:
            kind.year, kind.year_source = int(bm.group(1)), "body"
        elif sig_year:
            kind.year, kind.year_source = sig_year - 1, "signature"
    if kind.doctype in ("work_plan", "implementation_plan") and kind.year_source == "signature" and sig_year:
        kind.year = sig_year  # a plan is for the year it is issued in


#: place names: the part of an organ's name up to its last 省/市/县/区/州/盟/旗/镇/乡/街道
PLACE = re.compile(r"^.*?(?:自治区|自治州|自治县|特别行政区|省|市|县|区|州|盟|旗|镇|乡|街道)")


def _norm(name: str) -> str:
    return re.sub(r"^中共|[\s（）()]", "", name)


def same_issuer(issuer: str, unit_name: str, unit_short: str = "") -> bool:
    """Whether ``issuer`` (read from the document) is the unit ``unit_name`` (or is part of it).

    Equal names, one containing the other (``郑州市政府`` / ``郑州市人民政府``), or the same place with a
    government organ (``郑州市人民政府办公室`` signs for ``郑州市人民政府``)."""
    a, b = _norm(issuer), _norm(unit_name)
    if not a or not b:
        return True
    if a in b or b in a or (unit_short and _norm(unit_short) in a):
        return True
    pa, pb = PLACE.match(a), PLACE.match(b)
    gov = re.compile(r"人民政府|政府")
    if pa and pb and pa.group(0) == pb.group(0) and gov.search(a) and gov.search(b):
        return True
    return a.replace("人民政府", "政府") == b.replace("人民政府", "政府")
