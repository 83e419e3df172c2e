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


def _two_part_corpus(units, n_word: int, n_sub: int):
    """``n_word`` reports holding 行政复议 as a word (1–4 times), ``n_sub`` holding it only inside
    行政复议体制 (jieba: 行政/复议体制)."""
    from fazhi.reports.models import AnnualReport, ReportStatus

    made = {"word": [], "sub": []}
    for i in range(n_word + n_sub):
        word = i < n_word
        report = AnnualReport.objects.create(
            unit=units["C1"] if i % 2 else units["C2"], year=1990 + i, title=f"报告{i}",
            clean_text=("依法开展行政复议工作。" * (1 + i % 4)) if word else "稳妥推进行政复议体制改革。",
            status=ReportStatus.ACCEPTED, is_public=True)
        search.index_report(report)
        made["word" if word else "sub"].append(report.pk)
    return made


def test_query_words_are_cut_as_the_index_cuts_them():
    rank = search.PostgresBackend.rank_tsquery
    assert rank(search.parse_query("行政复议")) == "行政复议"
    # 纠错率 is held inside 直接纠错率 (a domain word jieba keeps whole): both order the hits
    assert rank(search.parse_query("纠错率")) == "纠错率 | 直接纠错率"
    assert rank(search.parse_query("政务服务")) == "政务 | 服务"  # two-character words are bigrams of the index
    assert rank(search.parse_query("出庭 应诉")).split(" | ")[0] == "出庭"
    assert rank(search.parse_query("法")) == ""  # nothing to order by: the phrase orders
    # the words are in the index text exactly as the query gives them
    indexed = set(search.index_text("依法开展行政复议工作，直接纠错率为17.86%").split())
    assert {"行政复议", "直接纠错率"} <= indexed
    imply = search.PostgresBackend.words_imply_match
    assert imply(search.parse_query("纠错率"), "纠错率 | 直接纠错率")
    assert not imply(search.parse_query("政务服务"), "政务 | 服务")
    assert not imply(search.parse_query("行政复议 纠错率"), "行政复议 | 纠错率 | 直接纠错率")


@pytest.mark.parametrize("size", [3, 7, 20])
def test_pages_cover_every_hit_once_across_the_two_parts(db, units, size):
    """Reports holding the query as a word come first, then those holding it only inside another word; pages of
    any size (one straddling the two parts, one starting past the first part) give every hit exactly once, and
    the count is exact below the cap and capped above it."""
    from django.db import connection

    made = _two_part_corpus(units, n_word=10, n_sub=6)
    every = set(made["word"]) | set(made["sub"])
    hits = search.SearchHits("行政复议")
    assert len(hits) == 16
    seen = []
    for start in range(0, 20, size):
        seen += [r.pk for r in hits[start : start + size]]
    assert sorted(seen) == sorted(every)
    assert len(search.SearchHits("行政复议", cap=12)) == 12
    assert len(search.SearchHits("行政复议", cap=5)) == 5
    best = hits[0:1][0]
    assert best.clean_text.count("行政复议") == 4
    if connection.vendor == "postgresql":
        assert set(seen[:10]) == set(made["word"])  # whole-word holders first
        with connection.cursor() as cursor:
            cursor.execute("SHOW enable_seqscan")
            assert cursor.fetchone()[0] == "on"  # the count's planner settings do not outlive it


def test_sub_word_only_hits_are_found_and_counted(db, units):
    made = _two_part_corpus(units, n_word=0, n_sub=5)
    hits = search.SearchHits("行政复议")
    assert len(hits) == 5
    assert sorted(r.pk for r in hits[0:20]) == sorted(made["sub"])
    assert [r.pk for r in hits[2:4]] == [r.pk for r in hits[0:20]][2:4]


def test_narrowed_search_stays_inside_the_filter(db, units):
    from fazhi.reports.models import AnnualReport

    made = _two_part_corpus(units, n_word=6, n_sub=4)
    only_c1 = search.SearchHits("行政复议", AnnualReport.objects.filter(unit=units["C1"]))
    assert len(only_c1) == 5
    page = only_c1[0:20]
    assert {r.unit_id for r in page} == {units["C1"].pk}
    assert {r.pk for r in page} <= set(made["word"]) | set(made["sub"])


def test_index_entry_of_an_unpublished_report_is_not_shown(db, units):
    """The unfiltered search does not join the report table in the database (the index holds published
    reports only); a stale entry still never reaches the page."""
    from fazhi.reports.models import AnnualReport

    made = _two_part_corpus(units, n_word=3, n_sub=0)
    AnnualReport.objects.filter(pk=made["word"][0]).update(is_public=False)  # no index_report: a stale entry
    assert made["word"][0] not in [r.pk for r in search.SearchHits("行政复议")[0:20]]
