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
