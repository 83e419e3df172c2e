"""Query counts of the portal pages do not grow with the data (STYLE: no N+1; query-count tests).

Each page is measured with a small and a larger set of published reports, published campaigns with results,
and public opinions, under the same bound.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fazhi.assessment.models import Campaign, CampaignStatus, Result
from fazhi.orgs.models import Level, Unit, UnitKind
from fazhi.portal import search
from fazhi.portal.models import OpinionStatus, PublicOpinion
from fazhi.reports.models import AnnualReport, ReportStatus

SIZES = [2, 12]


@pytest.fixture(params=SIZES, ids=lambda n: f"size{n}")
def grown(request, units, people):
    """``n`` cities, each with a published report, a result in a published campaign and opinions; ``n``
    published campaigns."""
    n = request.param
    campaign = Campaign.objects.create(owner=units["P"], year=2024, name="2024年度测试考核",
                                       status=CampaignStatus.PUBLISHED)
    for i in range(n):
        unit = Unit.objects.create(code=f"Q{i:02d}", name=f"测试市{i:02d}人民政府", level=Level.CITY,
                                   kind=UnitKind.GOVERNMENT, parent=units["P"], category=1 + i % 2,
                                   region=f"测试市{i:02d}")
        report = AnnualReport.objects.create(unit=unit, year=2024, title=f"测试市{i:02d}法治政府建设年度报告",
                                             status=ReportStatus.ACCEPTED, is_public=True,
                                             clean_text="2024年，本市坚持依法行政，推进法治政府建设。")
        search.index_report(report)
        Result.objects.create(campaign=campaign, unit=unit, category=unit.category, applicable_points=Decimal(100),
                              earned=Decimal(90), base=Decimal(90), bonus=Decimal(0), deduction=Decimal(0),
                              total=Decimal(90), grade="优秀", rank=i + 1, computed_at=timezone.now())
        for status in (OpinionStatus.PENDING, OpinionStatus.APPROVED):
            PublicOpinion.objects.create(about_unit=unit, text=f"关于测试市{i:02d}的意见", status=status,
                                         is_public=status == OpinionStatus.APPROVED)
        Campaign.objects.create(owner=units["P"], year=2000 + i, name=f"{2000 + i}年度测试考核",
                                status=CampaignStatus.PUBLISHED)
    return campaign, n


@pytest.mark.parametrize(("name", "query", "bound"), [
    ("portal:index", "", 4),
    ("portal:reports", "", 6),
    # +1: the first search of a process asks whether the RUM index exists; on PostgreSQL +3 more: the count sets
    # and resets two planner settings around its index count of the words, then counts the rest (few hits)
    ("portal:search", "?q=法治政府", 7),
    ("portal:results", "", 3),
    ("portal:opinion", "", 4),
])
def test_public_pages_query_count_is_constant(grown, client, django_assert_max_num_queries, name, query, bound):
    from django.db import connection

    _campaign, size = grown
    if name == "portal:search" and connection.vendor == "postgresql":
        bound += 3
    with django_assert_max_num_queries(bound):
        response = client.get(reverse(name) + query)
    assert response.status_code == 200
    body = response.content.decode()
    expected = {
        "portal:index": "测试市",  # the eight most recent reports
        "portal:results": f"{2000 + size - 1}年度测试考核",
        "portal:opinion": "关于测试市",  # approved opinions
    }.get(name, f"测试市{size - 1:02d}")
    assert expected in body


def test_public_result_detail_query_count_is_constant(grown, client, django_assert_max_num_queries):
    campaign, size = grown
    with django_assert_max_num_queries(4):
        response = client.get(reverse("portal:result", args=[campaign.pk]))
    assert response.status_code == 200
    assert f"测试市{size - 1:02d}" in response.content.decode()


@pytest.mark.parametrize(("name", "bound"), [("portal:moderation", 8), ("portal:satisfaction", 9)])
def test_office_opinion_pages_query_count_is_constant(grown, people, client_for, django_assert_max_num_queries,
                                                      name, bound):
    _campaign, size = grown
    client = client_for(people["office"])
    with django_assert_max_num_queries(bound):
        response = client.get(reverse(name))
    assert response.status_code == 200
    assert f"关于测试市{size - 1:02d}的意见" in response.content.decode()
