"""Report check: the five parts (DOMAIN.md §6) and consistency checks."""

from __future__ import annotations

import json

from fazhi.core.text.report_check import check_report

from .conftest import cleaned


def _check(seed):
    r = cleaned(seed)
    return check_report(r.text, r.repaired_spans)


def test_seed002_all_five_parts_by_heading():
    rc = _check("002")
    assert [p["how"] for p in rc.parts] == ["heading"] * 5
    assert [p["where"]["heading"][:2] for p in rc.parts] == ["一、", "二、", "三、", "四、", "五、"]
    assert rc.ok


def test_seed000_parts_by_content():
    parts = {p["key"]: p for p in _check("000").parts}
    assert parts["leadership"]["how"] == "content"
    assert "第一责任人" in parts["leadership"]["where"]["snippet"]
    assert parts["shortcomings"]["present"] and "问题和短板" in parts["shortcomings"]["where"]["snippet"]
    assert parts["next_year"]["present"] and "我们将" in parts["next_year"]["where"]["snippet"]
    assert parts["measures"]["present"]
    assert not parts["other"]["present"]


def test_seed004_parts():
    parts = {p["key"]: p for p in _check("004").parts}
    assert [k for k, p in parts.items() if p["present"]] == ["leadership", "measures", "shortcomings", "next_year"]
    assert "薄弱环节" in parts["shortcomings"]["where"]["snippet"]


def test_seed000_checks():
    rc = _check("000")
    checks = {c["check"]: c for c in rc.checks}
    assert checks["reconsideration.closed <= reconsideration.received"]["ok"]
    c = checks["reconsideration.resolution_rate = numerator/denominator"]
    assert c["ok"] and c["message"] == "8223/30460 = 27.00% vs stated 27%"
    assert all(c["ok"] for c in rc.checks)
    json.dumps(rc.to_dict(), ensure_ascii=False)


def test_inconsistent_report_flagged():
    text = "行政复议收到申请100件，办结120件，经调解、和解结案30件，化解率为50%。出庭应诉率达到130%。"
    rc = check_report(text)
    checks = {c["check"]: c for c in rc.checks}
    assert not checks["reconsideration.closed <= reconsideration.received"]["ok"]
    assert not checks["litigation.head_appearance_rate in 0–100"]["ok"]
    assert not rc.ok


def test_rate_against_counts_within_half_point():
    ok = check_report("行政复议办结30460件；经调解、和解结案8223件，化解率为27.4%。")
    bad = check_report("行政复议办结30460件；经调解、和解结案8223件，化解率为28%。")
    key = "reconsideration.resolution_rate = numerator/denominator"
    assert {c["check"]: c for c in ok.checks}[key]["ok"]
    assert not {c["check"]: c for c in bad.checks}[key]["ok"]


# --- section-scoped part detection (issue 16) ---------------------------------------------------

COUNTY = """某县人民政府关于2022年度法治政府建设情况的报告
县委、县政府高度重视法治政府建设，现将有关情况报告如下。
一、工作回顾
（一）加强组织领导。县政府主要负责同志切实履行推进法治建设第一责任人职责，召开常务会议4次。
（二）深化“放管服”改革。及时解决群众反映存在的问题，全年办理事项1200件。
二、问题与不足
一是基层执法力量薄弱；二是法治宣传针对性不强。究其原因，主要是经费保障不足、人员流动较大。
三、下一步工作打算
下一步，我们将继续深化法治政府建设。
"""


def _parts(text):
    return {p["key"]: p for p in check_report(text).parts}


def test_variant_headings_found_at_their_heading():
    parts = _parts(COUNTY)
    assert parts["measures"]["how"] == "heading" and parts["measures"]["where"]["line"] == 3
    assert parts["shortcomings"]["how"] == "heading" and parts["shortcomings"]["where"]["heading"] == "二、问题与不足"
    assert parts["next_year"]["where"]["heading"] == "三、下一步工作打算"
    # leadership has no heading: found by content inside the measures section, not elsewhere
    assert parts["leadership"]["how"] == "content" and parts["leadership"]["where"]["line"] == 4
    assert parts["shortcomings"]["causes"] is True
    assert not parts["other"]["present"]


def test_content_match_never_taken_from_another_parts_section():
    # "存在的问题" inside the measures section is a problem being solved, and the next-year section
    # holds no shortcomings: without a shortcomings heading the part is missing, not mislocated
    text = COUNTY.replace("二、问题与不足\n一是基层执法力量薄弱；二是法治宣传针对性不强。究其原因，主要是经费保障不足、人员流动较大。\n", "")
    text = text.replace("三、下一步工作打算\n下一步，我们将继续深化法治政府建设。", "二、下一步工作打算\n下一步，我们将着力补齐存在的短板和不足。")
    parts = _parts(text)
    assert not parts["shortcomings"]["present"]


def test_shortcomings_without_causes_flagged():
    text = COUNTY.replace("究其原因，主要是经费保障不足、人员流动较大。", "")
    assert _parts(text)["shortcomings"]["causes"] is False


def test_numbering_styles_and_wordings():
    cases = {
        "第一部分 2023年工作进展情况\n正文。\n第二部分 存在问题\n正文。\n第三部分 2024年工作安排\n正文。\n": "chapter",
        "【工作回顾】\n正文。\n【存在的问题】\n正文。\n【今后三年工作安排】\n正文。\n": "bracket",
        "1.主要工作及成效\n正文。\n2.存在的困难和问题\n正文。\n3.2025年重点工作任务\n正文。\n": "arabic",
        "（1）工作情况\n正文。\n（2）短板弱项\n正文。\n（3）明年工作思路\n正文。\n": "paren_arabic",
        "①主要做法\n正文。\n②存在不足\n正文。\n③下步打算\n正文。\n": "circled",
        "（一）主要成效\n正文。\n（二）存在问题\n正文。\n（三）今后五年发展安排\n正文。\n": "paren_cn",
        "开篇。\n主要工作\n正文。\n存在问题\n正文。\n下一步工作打算\n正文。\n": "plain",
    }
    for text, style in cases.items():
        parts = _parts(text)
        for key in ("measures", "shortcomings", "next_year"):
            assert parts[key]["how"] == "heading", (style, key, parts[key])
        assert parts["shortcomings"]["where"]["line"] in (3, 4), style


def test_empty_section_is_not_present():
    parts = _parts("一、主要举措和成效\n正文内容。\n二、存在的不足和原因\n三、下一年度主要安排\n将继续推进。")
    assert parts["shortcomings"]["how"] == "heading" and parts["shortcomings"]["present"] is False
    assert parts["shortcomings"]["empty"] is True


def test_combined_heading_narrowed_to_sub_heading():
    text = ("一、主要举措和成效\n正文。\n二、存在的问题和下一步打算\n（一）存在的问题\n问题较多，原因是投入不足。\n"
            "（二）下一步打算\n我们将继续努力。\n")
    parts = _parts(text)
    assert parts["shortcomings"]["where"]["heading"] == "（一）存在的问题"
    assert parts["next_year"]["where"]["heading"] == "（二）下一步打算"
    assert parts["shortcomings"]["where"]["section"]["end_line"] == 5


def test_a_plans_title_is_no_section_heading():
    parts = _parts(cleaned("003").text)
    assert parts["next_year"]["how"] != "heading"


def test_theme_headings_with_a_part_word_are_no_part_headings():
    # seed 004's shape: numbered themes of the work; "补齐短板" in a theme is no shortcomings heading
    text = ("前言。\n一、加强党的领导，全面推进法治政府建设\n主要负责同志履行第一责任人职责。\n二、坚持问题导向，补齐短板弱项\n"
            "正文。\n三、强化执法监督，提升执法水平\n正文。\n一年来，我市仍然存在一些薄弱环节。原因是投入不足。\n2025年，我们将继续推进。\n")
    parts = _parts(text)
    assert parts["shortcomings"]["how"] == "content" and parts["shortcomings"]["where"]["line"] == 8
    assert parts["measures"]["present"] and parts["measures"]["where"]["line"] == 2
    assert parts["shortcomings"]["causes"] is True
