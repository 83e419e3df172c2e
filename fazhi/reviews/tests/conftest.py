"""A computed campaign of the province: C1, C2 (category 1, ranked) and D2 (category 2, graded only), one
indicator A1 (10 points) scored by D1, plus a heading; results computed by the real engine."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi.assessment import services as assessment_services
from fazhi.assessment.models import Campaign, CampaignStatus, CampaignUnit, Indicator, Score, ScoreStatus


@pytest.fixture
def campaign(units, people) -> Campaign:
    campaign = Campaign.objects.create(owner=units["P"], year=2026, name="2026年度法治政府建设考核",
                                       status=CampaignStatus.SCORING, excellent_min=Decimal(95),
                                       good_min=Decimal(85), pass_min=Decimal(60))
    for code in ("C1", "C2", "D2"):
        CampaignUnit.objects.create(campaign=campaign, unit=units[code], category=units[code].category)
    heading = Indicator.objects.create(campaign=campaign, code="A", title="党的领导")
    a1 = Indicator.objects.create(campaign=campaign, parent=heading, code="A1", title="学习宣传贯彻",
                                  points=Decimal(100), method="daily", categories=[1, 2, 4])
    a1.assessing_units.add(units["D1"])
    for code, value in (("C1", "80"), ("C2", "96"), ("D2", "70")):
        Score.objects.create(campaign=campaign, indicator=a1, unit=units[code], value=Decimal(value),
                             status=ScoreStatus.SUBMITTED, reason="扣分理由", scored_by=people["assessing"])
    assessment_services.compute_results(campaign=campaign)
    campaign.status = CampaignStatus.COMPUTED
    campaign.save()
    return campaign


@pytest.fixture
def a1(campaign) -> Indicator:
    return campaign.indicators.get(code="A1")
