"""Query counts of the reviews pages do not grow with the data (STYLE: no N+1; query-count tests).

Each page is measured with a small and a larger data set (more assessed units with results, feedback,
re-reviews and rectification items; more published campaigns for an assessed unit) under the same bound.
"""

import datetime
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
    Result,
    Score,
    ScoreStatus,
)
from fazhi.orgs.models import Level, Unit, UnitKind
from fazhi.reviews.models import Feedback, Rectification, ReviewRequest

SIZES = [2, 12]


def _result(campaign, unit, rank: int) -> Result:
    return Result.objects.create(campaign=campaign, unit=unit, category=unit.category, applicable_points=Decimal(100),
                                 earned=Decimal(80), base=Decimal(80), bonus=Decimal(1), deduction=Decimal(0),
                                 total=Decimal(81), grade="良好", rank=rank, computed_at=timezone.now())


def grow(campaign: Campaign, units, people, n: int) -> None:
    """``n`` more assessed cities, each with a result, a feedback item with a re-review, and a rectification
    item; and ``n`` feedback items for 郑州市 (C1)."""
    a1 = campaign.indicators.get(code="A1")
    now = timezone.now()
    for i in range(n):
        unit = Unit.objects.create(code=f"Q{i:02d}", name=f"测试市{i:02d}人民政府", level=Level.CITY,
                                   kind=UnitKind.GOVERNMENT, parent=units["P"], category=1)
        CampaignUnit.objects.create(campaign=campaign, unit=unit, category=1)
        _result(campaign, unit, rank=10 + i)
        feedback = Feedback.objects.create(campaign=campaign, unit=unit, indicator=a1, text=f"反馈{i:02d}",
                                           sent_at=now, deadline=now + datetime.timedelta(days=5),
                                           sent_by=people["office"])
        ReviewRequest.objects.create(feedback=feedback, text=f"复核理由{i:02d}", requested_at=now)
        Rectification.objects.create(campaign=campaign, unit=unit, title=f"整改事项{i:02d}",
                                     due_date=datetime.date(2020, 1, 1), created_by=people["office"])
        Feedback.objects.create(campaign=campaign, unit=units["C1"], indicator=a1, text=f"本单位反馈{i:02d}",
                                sent_at=now, sent_by=people["office"])
        Rectification.objects.create(campaign=campaign, unit=units["C1"], title=f"本单位整改{i:02d}",
                                     due_date=datetime.date(2030, 1, 1))


@pytest.fixture(params=SIZES, ids=lambda n: f"size{n}")
def grown(request, campaign, units, people):
    grow(campaign, units, people, request.param)
    return campaign, request.param


def test_campaign_detail_query_count_is_constant(grown, people, client_for, django_assert_max_num_queries):
    campaign, size = grown
    client = client_for(people["office"])
    # + issued documents, units with feedback, which campaign-wide documents apply, and the lifecycle steps the
    # status allows with their guards (a count each, whatever the size)
    with django_assert_max_num_queries(28):
        response = client.get(reverse("reviews:campaign_detail", args=[campaign.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"测试市{size - 1:02d}" in body and f"整改事项{size - 1:02d}" in body


@pytest.mark.parametrize("size", SIZES)
def test_campaign_list_query_count_is_constant(units, people, client_for, django_assert_max_num_queries, size):
    for i in range(size):
        Campaign.objects.create(owner=units["P"], year=2000 + i, name=f"{2000 + i}年度测试考核")
    client = client_for(people["office"])
    with django_assert_max_num_queries(7):
        response = client.get(reverse("reviews:campaign_list"))
    assert response.status_code == 200
    assert f"{2000 + size - 1}年度测试考核" in response.content.decode()


def test_my_feedback_query_count_is_constant(grown, people, client_for, django_assert_max_num_queries):
    _campaign, size = grown
    client = client_for(people["assessed"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("reviews:my_feedback"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"本单位反馈{size - 1:02d}" in body and f"本单位整改{size - 1:02d}" in body


def test_review_queue_query_count_is_constant(grown, people, client_for, django_assert_max_num_queries):
    _campaign, size = grown
    client = client_for(people["assessing"])
    with django_assert_max_num_queries(7):
        response = client.get(reverse("reviews:review_queue"))
    assert response.status_code == 200
    assert f"复核理由{size - 1:02d}" in response.content.decode()


@pytest.mark.parametrize("size", SIZES)
def test_my_results_query_count_is_constant(units, people, client_for, django_assert_max_num_queries, size):
    """An assessed unit with more published years: the page still runs a fixed number of queries."""
    for i in range(size):
        campaign = Campaign.objects.create(owner=units["P"], year=2000 + i, name=f"{2000 + i}年度测试考核",
                                           status=CampaignStatus.PUBLISHED)
        CampaignUnit.objects.create(campaign=campaign, unit=units["C1"], category=1)
        for j in range(2):
            indicator = Indicator.objects.create(campaign=campaign, code=f"A{j}", title=f"指标{j}",
                                                 points=Decimal(50), method="daily", categories=[1])
            score = Score.objects.create(campaign=campaign, indicator=indicator, unit=units["C1"], value=Decimal(40),
                                         reason=f"理由{i:02d}", status=ScoreStatus.SUBMITTED)
            Evidence.objects.create(score=score, file="evidence/x.pdf", original_name=f"佐证{i:02d}-{j}.pdf")
        Adjustment.objects.create(campaign=campaign, unit=units["C1"], kind=AdjustmentKind.BONUS, points=Decimal(1),
                                  reason=f"加分{i:02d}", source="通报")
        _result(campaign, units["C1"], rank=1)
    client = client_for(people["assessed"])
    with django_assert_max_num_queries(9):
        response = client.get(reverse("reviews:my_results"))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{2000 + size - 1}年度测试考核" in body and f"佐证{size - 1:02d}-1.pdf" in body
    assert f"加分{size - 1:02d}" in body
