"""Deadlines: dates relative to the document year, recurring rules, working-day periods."""

from __future__ import annotations

from datetime import date

from fazhi.core.text.deadlines import attach_deadlines, find_deadlines, guess_base_year
from fazhi.core.text.outline import parse_outline

from .conftest import cleaned


def test_forms():
    text = "2022年年底前基本形成；7月底前选择试点；政府常务会议每季度至少学法1次；要在5个工作日内进行核实；2024年3月15日前报送；年内实现。"
    found = {d.phrase: d for d in find_deadlines(text, base_year=2020)}
    assert found["2022年年底前"].date == date(2022, 12, 31)
    assert found["7月底前"].date == date(2020, 7, 31) and found["7月底前"].year_inferred
    assert found["每季度"].kind == "recurring" and found["每季度"].rule == "FREQ=MONTHLY;INTERVAL=3"
    assert found["5个工作日内"].kind == "within_working_days" and found["5个工作日内"].days == 5
    assert found["2024年3月15日前"].date == date(2024, 3, 15)
    assert found["年内"].date == date(2020, 12, 31)


def test_seed003_attached_to_tasks():
    text = cleaned("003").text
    assert guess_base_year(text) == 2020
    roots = parse_outline(text)
    loose = attach_deadlines(roots, find_deadlines(text))
    tasks = {c.ordinal: c for r in roots for c in r.children if c.style == "paren_cn"}
    assert [(d.phrase, d.date) for d in tasks[42].deadlines] == [("7月底前", date(2020, 7, 31))]
    assert [d.rule for d in tasks[41].deadlines] == ["FREQ=MONTHLY;INTERVAL=3", "FREQ=MONTHLY;INTERVAL=6"]
    assert [d.phrase for d in tasks[6].deadlines] == ["年内"]
    assert loose == []


def test_seed001_deadlines():
    deadlines = find_deadlines(cleaned("001").text, base_year=2022)
    phrases = [d.phrase for d in deadlines]
    assert phrases.count("2022年年底前") == 5
    assert "5个工作日内" in phrases
    assert date(2025, 12, 31) in {d.date for d in deadlines}


def test_invalid_dates_ignored():
    assert find_deadlines("13月底前，2024年2月30日前", base_year=2024) == []
