from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from fazhi.portal import search
from fazhi.reports import services

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"


def seed(number: str) -> str:
    return next(SEEDS.glob(f"{number}_*.txt")).read_text(encoding="utf-8")


@pytest.fixture
def published(people, units):
    """Seed 000 accepted for C1 (2024), seed 002 submitted only (not public) for C2."""
    report = services.report_save(user=people["assessed"], unit=units["C1"], year=2024, text=seed("000"))
    services.report_review(user=people["office"], report=report, action="accept")
    hidden = services.report_save(user=people["assessed_c2"], unit=units["C2"], year=2023, text=seed("002"))
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
    services.report_review(user=people["office"], report=hidden, action="accept")
    assert hidden in search.search_reports("潢川")
    services.report_set_public(user=people["office"], report=hidden, public=False)
    assert search.search_reports("潢川") == []


def test_sub_word_query_inside_a_jieba_word(people, published):
    _report, hidden = published
    assert search.search_reports("复议体制") == []  # only in seed 002, not yet accepted
    services.report_review(user=people["office"], report=hidden, action="accept")
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


def test_search_pages_are_ranked_and_cut_in_the_database(db, units, people):
    """``SearchHits``: the count is capped, a page is one LIMIT/OFFSET (pages do not overlap and cover every
    hit, best first), filters apply inside the query, and on PostgreSQL the stored vector is the one ranked."""
    from django.db import connection

    from fazhi.reports.models import AnnualReport, ReportStatus

    for i in range(25):
        report = AnnualReport.objects.create(
            unit=units["C1"] if i % 2 else units["C2"], year=2000 + i, title=f"报告{i}",
            clean_text="行政复议" * (1 + i % 5) + "依法行政", status=ReportStatus.ACCEPTED, is_public=True)
        search.index_report(report)
    hits = search.SearchHits("行政复议")
    assert len(hits) == 25
    first, second = list(hits[0:20]), list(hits[20:40])
    assert len(first) == 20 and len(second) == 5
    assert not {r.pk for r in first} & {r.pk for r in second}
    # more occurrences rank higher: the first hit repeats the phrase most often
    assert first[0].clean_text.count("行政复议") == 5
    assert len(search.SearchHits("行政复议", cap=10)) == 10
    only_c1 = search.SearchHits("行政复议", AnnualReport.objects.filter(unit=units["C1"]))
    assert len(only_c1) == 12 and all(r.unit_id == units["C1"].pk for r in only_c1[0:20])
    assert len(search.SearchHits("不存在的词语")) == 0
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM portal_searchdocument WHERE vector IS NOT NULL")
            assert cursor.fetchone()[0] == 25
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'portal_searchdocument'")
            names = {row[0] for row in cursor.fetchall()}
        assert names & {"portal_searchdocument_rum", "portal_searchdocument_vector"}
        assert "portal_searchdocument_fts" not in names


def test_cached_index_text_equals_a_plain_cut_on_the_seeds():
    from pathlib import Path

    for path in (Path(search.__file__).parents[1] / "demo" / "seeds").glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert search.index_text(text) == search.index_text_uncached(text), path.name
