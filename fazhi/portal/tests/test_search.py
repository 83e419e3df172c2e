from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from fazhi.portal import search
from fazhi.reports import services

#: the seeds are other governments' reports submitted here as test data: confirmed with this reason
SEED_ELSEWHERE = "示例报告：原文来自其他单位"

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"


def seed(number: str) -> str:
    return next(SEEDS.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture
def published(people, units):
    """Seed 000 accepted for C1 (2024), seed 002 submitted only (not public) for C2."""
    report = services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed"], unit=units["C1"], year=2024, text=seed("000"))
    services.report_review(user=people["office"], report=report, action="accept", text="来源已核实")
    hidden = services.report_save(provenance_reason=SEED_ELSEWHERE, user=people["assessed_c2"], unit=units["C2"], year=2023, text=seed("002"))
    return report, hidden


def test_index_text_has_bigrams_and_domain_words():
    text = search.index_text("直接纠错率为17.86%，深化复议体制改革")
    tokens = text.split()
    assert {"纠错", "错率", "复议", "议体", "体制"} <= set(tokens)
    assert "纠错率" in tokens or "直接纠错率" in tokens  # domain word list
    assert "17" in tokens


@pytest.mark.parametrize("query", ["行政复议", "纠错率", "出庭应诉率", "双随机", "行政复议 纠错率", "34777"])
def test_search_finds_published_report(published, query):
    report, hidden = published
    found = search.search_reports(query)
    assert report in found, query
    assert hidden not in found


def test_unpublished_report_not_found(published):
    _report, _hidden = published
    # "潢川" occurs only in seed 002, which is submitted but not accepted
    assert search.search_reports("潢川") == []


def test_return_removes_from_index(people, published, units):
    _report, hidden = published
    services.report_review(user=people["office"], report=hidden, action="accept", text="来源已核实")
    assert hidden in search.search_reports("潢川")
    services.report_set_public(user=people["office"], report=hidden, public=False)
    assert search.search_reports("潢川") == []


def test_sub_word_query_inside_a_jieba_word(people, published):
    _report, hidden = published
    assert search.search_reports("复议体制") == []  # only in seed 002, not yet accepted
    services.report_review(user=people["office"], report=hidden, action="accept", text="来源已核实")
    assert search.search_reports("复议体制") == [hidden]  # seed 002: 稳妥推进行政复议体制改革


def test_no_false_phrase_match(published):
    assert search.search_reports("纠错体制") == []


def test_highlight_escapes_then_marks():
    html = search.highlight("<b>行政复议</b> 直接纠错率为17.86%", "纠错率 行政复议")
    assert "&lt;b&gt;<mark>行政复议</mark>&lt;/b&gt;" in html
    assert "直接<mark>纠错率</mark>为" in html
    assert "<script>" not in search.highlight("<script>x</script>纠错率", "纠错率")


def test_search_page_highlights(client, published):
    page = client.get(reverse("portal:search"), {"q": "纠错率"}).content.decode()
    assert "<mark>纠错率</mark>" in page
    assert "河南省人民政府关于2024年度法治政府建设情况的报告" in page
    page = client.get(reverse("portal:search"), {"q": "潢川"}).content.decode()
    assert "潢川县人民政府" not in page


def test_search_page_filters(client, published):
    page = client.get(reverse("portal:search"), {"q": "行政复议", "year": 2023}).content.decode()
    assert "<mark>" not in page


def test_hostile_query_escaped(client, published):
    page = client.get(reverse("portal:search"), {"q": "<script>alert(1)</script> 行政复议"}).content.decode()
    assert "<script>alert(1)" not in page
