"""Query counts of the assessment pages do not grow with the data (STYLE: no N+1; query-count tests).

Every page is measured on a small and a larger campaign (more assessed units, indicators, scores, results,
adjustments and overrides; more campaigns for the scorer's home) under the same bound, so a query per row
makes the larger case exceed it.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fazhi.assessment.models import (
    Adjustment,
    AdjustmentKind,
    Campaign,
    CampaignStatus,
    CampaignUnit,
    Evidence,
    Indicator,
    IndicatorOverride,
    Method,
    OverrideAction,
    Result,
    Score,
    ScoreStatus,
)
from fazhi.orgs.models import Level, Unit, UnitKind

SIZES = [2, 12]


def grow(campaign: Campaign, units, people, n: int) -> None:
    """``n`` more assessed cities and ``n`` more leaf indicators (scored by D1 and D2), every cell scored and
    submitted with one evidence file; a result, an adjustment and an override per new city."""
    heading = campaign.indicators.get(code="H2")
    office = people["office"]
    new_units = []
    for i in range(n):
        unit = Unit.objects.create(code=f"Q{i:02d}", name=f"测试市{i:02d}人民政府", level=Level.CITY,
                                   kind=UnitKind.GOVERNMENT, parent=units["P"], category=1)
        CampaignUnit.objects.create(campaign=campaign, unit=unit, category=1)
        new_units.append(unit)
    for i in range(n):
        indicator = Indicator.objects.create(campaign=campaign, parent=heading, code=f"N{i:02d}",
                                             title=f"测试指标{i:02d}", points=Decimal(10), method=Method.DAILY,
                                             categories=[1, 4], sort=10 + i)
        indicator.assessing_units.set([units["D1"], units["D2"]])
        IndicatorOverride.objects.create(indicator=indicator, unit=units["D2"], action=OverrideAction.ADD,
                                         reason="测试")
    members = [m.unit for m in campaign.units.select_related("unit")]
    for indicator in campaign.indicators.filter(points__isnull=False, allow_subunits=False):
        for unit in members:
            score, _created = Score.objects.get_or_create(
                campaign=campaign, indicator=indicator, unit=unit, subunit=None,
                defaults={"value": Decimal(5), "reason": "理由", "status": ScoreStatus.SUBMITTED,
                          "scored_by": people["assessing"], "scored_by_unit": units["D1"]})
            if unit in new_units:
                Evidence.objects.create(score=score, file="evidence/x.pdf", original_name=f"佐证{unit.code}.pdf",
                                        uploaded_by=people["assessing"])
    now = timezone.now()
    for i, unit in enumerate([*new_units, units["C1"], units["C2"], units["D1"], units["D2"]]):
        Result.objects.create(campaign=campaign, unit=unit, category=unit.category, applicable_points=Decimal(100),
                              earned=Decimal(90), base=Decimal(90), bonus=Decimal(0), deduction=Decimal(0),
                              total=Decimal(90) - i, grade="优秀", rank=i + 1, computed_at=now)
        Adjustment.objects.create(campaign=campaign, unit=unit, kind=AdjustmentKind.BONUS, points=Decimal(1),
                                  reason=f"加分事由{i}", source="通报", created_by=office)


@pytest.fixture(params=SIZES, ids=lambda n: f"size{n}")
def grown(request, scored, units, people):
    grow(scored, units, people, request.param)
    return scored, request.param


@pytest.mark.parametrize(("name", "bound", "query"), [
    ("assessment:campaign_detail", 26, ""),  # + the lifecycle steps' guards (a count each, whatever the size)
    ("assessment:results", 9, "?category=1"),
    ("assessment:progress", 16, ""),  # + the missing sub-unit evaluations (count and page)
    ("assessment:indicator_tree", 10, ""),
    ("assessment:adjustments", 9, ""),
])
def test_office_campaign_pages_query_count_is_constant(grown, people, client_for, django_assert_max_num_queries,
                                                       name, bound, query):
    campaign, size = grown
    client = client_for(people["office"])
    with django_assert_max_num_queries(bound):
        response = client.get(reverse(name, args=[campaign.pk]) + query)
    assert response.status_code == 200
    body = response.content.decode()
    if name in ("assessment:campaign_detail", "assessment:results", "assessment:adjustments"):
        assert f"测试市{size - 1:02d}" in body
    if name == "assessment:indicator_tree":
        assert f"N{size - 1:02d}" in body


def test_result_detail_query_count_is_constant(grown, people, units, client_for, django_assert_max_num_queries):
    campaign, size = grown
    client = client_for(people["office"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assessment:result_detail", args=[campaign.pk, f"Q{size - 1:02d}"]))
    assert response.status_code == 200
    assert f"佐证Q{size - 1:02d}.pdf" in response.content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_campaign_list_query_count_is_constant(units, people, client_for, django_assert_max_num_queries, size):
    for i in range(size):
        Campaign.objects.create(owner=units["P"], year=2000 + i, name=f"{2000 + i}年度测试考核")
    client = client_for(people["office"])
    with django_assert_max_num_queries(7):
        response = client.get(reverse("assessment:campaign_list"))
    assert response.status_code == 200
    assert f"{2000 + size - 1}年度测试考核" in response.content.decode()


# + 1 for the rows' links of the apps above (the self-reports of the page's cells: one query a page)
@pytest.mark.parametrize(("query", "bound"), [
    ("", 16), ("?status=none", 18), ("?status=draft", 16), ("?status=submitted", 17), ("?unit=C1", 18),
    ("?indicator=A1", 19), ("?indicator=N00&status=submitted", 19), ("?page=2", 16),
])
def test_worklist_query_count_is_constant(grown, people, client_for, django_assert_max_num_queries, query, bound):
    """Every filter of the worklist, at both sizes: one page of cells, never the campaign's."""
    campaign, size = grown
    client = client_for(people["assessing"])
    with django_assert_max_num_queries(bound):
        response = client.get(reverse("assessment:worklist", args=[campaign.pk]) + query)
    assert response.status_code == 200
    if query in ("", "?status=submitted"):
        assert f"测试市{size - 1:02d}" in response.content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_scoring_home_query_count_is_constant(units, people, client_for, django_assert_max_num_queries, size):
    """More campaigns in which the scorer's unit scores do not mean more queries."""
    for i in range(size):
        campaign = Campaign.objects.create(owner=units["P"], year=2000 + i, name=f"{2000 + i}年度测试考核",
                                           status=CampaignStatus.SCORING)
        for code in ("C1", "C2"):
            CampaignUnit.objects.create(campaign=campaign, unit=units[code], category=1)
        indicator = Indicator.objects.create(campaign=campaign, code="A1", title="指标", points=Decimal(10),
                                             method=Method.DAILY, categories=[1])
        indicator.assessing_units.set([units["D1"]])
        Score.objects.create(campaign=campaign, indicator=indicator, unit=units["C1"], value=Decimal(5),
                             status=ScoreStatus.SUBMITTED)
    client = client_for(people["assessing"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("assessment:scoring_home"))
    assert response.status_code == 200
    assert f"{2000 + size - 1}年度测试考核" in response.content.decode()
