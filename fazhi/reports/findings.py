"""Findings of the report check in the reader's language (检查发现).

The toolkit (``fazhi.core.text``) reports findings as codes with parameters; this module renders them with
gettext (Chinese message ids, English in the .po), so no code or key ever reaches the page.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .selectors import key_label

PART_LABELS = {
    "leadership": gettext_lazy("党政主要负责人履行推进法治建设第一责任人职责情况"),
    "measures": gettext_lazy("推进法治政府建设的主要举措和成效"),
    "shortcomings": gettext_lazy("存在的不足和原因"),
    "next_year": gettext_lazy("下一年度推进法治政府建设的主要安排"),
    "other": gettext_lazy("其他需要报告的情况"),
}
DOCTYPE_LABELS = {
    "annual_report": gettext_lazy("法治政府建设年度报告"),
    "work_report": gettext_lazy("政府工作报告"),
    "work_plan": gettext_lazy("工作要点或工作安排"),
    "implementation_plan": gettext_lazy("实施方案"),
    "other": gettext_lazy("其他文件"),
}
SOURCE_LABELS = {
    "title": gettext_lazy("标题"),
    "signature": gettext_lazy("落款"),
    "letterhead": gettext_lazy("版头"),
    "body": gettext_lazy("正文"),
}


def part_label(key: str) -> str:
    return str(PART_LABELS.get(key, _("未知部分")))


def doctype_label(key: str | None) -> str:
    return str(DOCTYPE_LABELS.get(key or "other", DOCTYPE_LABELS["other"]))


def source_label(key: str | None) -> str:
    return str(SOURCE_LABELS.get(key or "", _("文档")))


def render(finding: dict[str, Any]) -> str:
    """One finding (``{"code", "params"}``) as a sentence in the active language."""
    code = finding.get("code")
    p = dict(finding.get("params") or {})
    if code == "not_annual_report":
        return _("这份文档看起来是%(doctype)s，不是法治政府建设年度报告（可信度 %(confidence)d%%）") % {
            "doctype": doctype_label(p.get("doctype")), "confidence": round(float(p.get("confidence") or 0) * 100)}
    if code == "part_missing":
        return _("缺少“%(part)s”部分") % {"part": part_label(p.get("part", ""))}
    if code == "part_empty":
        return _("“%(part)s”部分只有标题没有内容（第 %(line)s 行）") % {
            "part": part_label(p.get("part", "")), "line": p.get("line")}
    if code == "part_by_content":
        return _("“%(part)s”没有单独标题，按内容在第 %(line)s 行找到") % {
            "part": part_label(p.get("part", "")), "line": p.get("line")}
    if code == "no_causes":
        return _("“存在的不足和原因”只列了问题，没有分析原因（第 %(line)s 行起）") % {"line": p.get("line")}
    if code == "count_order":
        return _("%(small)s（%(a)s）大于%(big)s（%(b)s）") % {
            "small": key_label(p.get("small")), "big": key_label(p.get("big")), "a": p.get("a"), "b": p.get("b")}
    if code == "rate_out_of_range":
        return _("比率超出 0–100%%：%(label)s %(value)s%%") % {"label": p.get("label"), "value": p.get("value")}
    if code == "rate_in_range":
        return _("%(key)s %(value)s%% 超出 0–100%%") % {"key": key_label(p.get("key")), "value": p.get("value")}
    if code == "rate_basis":
        return _("%(key)s：按 %(numerator)s / %(denominator)s 计算为 %(computed)s%%，报告写 %(stated)s%%") % {
            "key": key_label(p.get("key")), "numerator": p.get("numerator"), "denominator": p.get("denominator"),
            "computed": p.get("computed"), "stated": p.get("stated")}
    if code == "issuer_mismatch":
        return _("文档%(source)s中的发文机关是“%(issuer)s”，不是提交单位“%(unit)s”") % {
            "source": source_label(p.get("source")), "issuer": p.get("issuer"), "unit": p.get("unit")}
    if code == "year_mismatch":
        return _("文档%(source)s中的年度是 %(doc_year)s 年，不是提交的 %(year)s 年度") % {
            "source": source_label(p.get("source")), "doc_year": p.get("doc_year"), "year": p.get("year")}
    return _("检查发现一个问题")


def render_check(check: dict[str, Any]) -> str:
    """A consistency check (passed or not) as a sentence; a stored check from before codes keeps its message."""
    code = check.get("code")
    p = dict(check.get("params") or {})
    if not code:
        return str(check.get("message", ""))
    if check.get("ok"):
        if code == "count_order":
            return _("%(small)s（%(a)s）不超过%(big)s（%(b)s）") % {
                "small": key_label(p.get("small")), "big": key_label(p.get("big")), "a": p.get("a"), "b": p.get("b")}
        if code == "rate_in_range":
            return _("%(key)s %(value)s%% 在 0–100%% 之间") % {"key": key_label(p.get("key")), "value": p.get("value")}
        if code == "rate_basis":
            return _("%(key)s：按 %(numerator)s / %(denominator)s 计算为 %(computed)s%%，与报告一致") % {
                "key": key_label(p.get("key")), "numerator": p.get("numerator"), "denominator": p.get("denominator"),
                "computed": p.get("computed")}
    return render(check)
