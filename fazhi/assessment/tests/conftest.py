"""Fixtures: a province campaign over the conftest tree (C1, C2 category 1; D1 category 4; D2 category 2).

Indicators (100 points for category 1, 80 for categories 2 and 4 — converted ×100/80):
    H1 一、加强党的统一领导 (heading)
      A1  40 pts, categories 1,2,4, scored by D1 (the ``assessing`` user's unit)
      A2  40 pts, categories 1,2,4, scored by D2
    H2 三、分类职责 (heading)
      B1  20 pts, category 1, scored by D1 per sub-unit (C1 has two departments, C2 none)
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi.assessment import services
from fazhi.assessment.models import (
    Adjustment,
    AdjustmentKind,
    Campaign,
    Indicator,
    Method,
    Score,
    ScoreStatus,
)
from fazhi.orgs.models import Level, Unit, UnitKind
from fazhi.testing.lifecycle import advance, take


@pytest.fixture
def subunits(units):
    c1d2 = Unit.objects.create(code="C1-D2", name="郑州市公安局", level=Level.CITY, kind=UnitKind.DEPARTMENT,
                               parent=units["C1"], category=4)
    return {"C1-D1": units["C1-D1"], "C1-D2": c1d2}


@pytest.fixture
def campaign(units, people, subunits):
    campaign = services.campaign_create(user=people["office"], year=2025)
    h1 = Indicator.objects.create(campaign=campaign, code="H1", title="一、加强党的统一领导", sort=1)
    a1 = Indicator.objects.create(campaign=campaign, parent=h1, code="A1", title="学习宣传贯彻习近平法治思想",
                                  points=Decimal(40), method=Method.DAILY, categories=[1, 2, 4], sort=2)
    a2 = Indicator.objects.create(campaign=campaign, parent=h1, code="A2", title="落实决策部署",
                                  points=Decimal(40), method=Method.FIELD, categories=[1, 2, 4], sort=3)
    h2 = Indicator.objects.create(campaign=campaign, code="H2", title="三、分类职责", sort=4)
    b1 = Indicator.objects.create(campaign=campaign, parent=h2, code="B1", title="行政执法规范化",
                                  points=Decimal(20), method=Method.DAILY, categories=[1], allow_subunits=True, sort=5)
    a1.assessing_units.set([units["D1"]])
    a2.assessing_units.set([units["D2"]])
    b1.assessing_units.set([units["D1"]])
    return campaign


@pytest.fixture
def scoring(campaign, people):
    take(user=people["office"], campaign=campaign, action="start_scoring")
    campaign.refresh_from_db()
    return campaign


# (indicator, unit, subunit, value) — the hand-computed example of test_compute.
SCORES = [
    ("A1", "C1", None, "36"), ("A2", "C1", None, "40"), ("B1", "C1", "C1-D1", "16"), ("B1", "C1", "C1-D2", "12"),
    ("A1", "C2", None, "30"), ("A2", "C2", None, "35"), ("B1", "C2", None, "15"),
    ("A1", "D1", None, "40"), ("A2", "D1", None, "32"),
    ("A1", "D2", None, "20"), ("A2", "D2", None, "20"),
]


@pytest.fixture
def scored(scoring, units, subunits, people):
    """Every cell scored and submitted (written directly: the scoring services are tested separately)."""
    everything = {**units, **subunits}
    indicators = {i.code: i for i in scoring.indicators.all()}
    for ind, unit, sub, value in SCORES:
        Score.objects.create(campaign=scoring, indicator=indicators[ind], unit=everything[unit],
                             subunit=everything[sub] if sub else None, value=Decimal(value), reason="理由",
                             status=ScoreStatus.SUBMITTED, scored_by=people["assessing"])
    return scoring


#: distinctive values of ``campaign_at``: the per-indicator score and the reasons of C1 and D2 (the disclosure
#: tests search for them)
MARKERS = {
    "C1": {"indicator": "36.17", "score_reason": "评分理由·郑州A1", "deduction": "扣分事由·郑州"},
    "D2": {"indicator": "19.83", "score_reason": "评分理由·省委办A1", "deduction": "扣分事由·省委办"},
}


@pytest.fixture
def campaign_at(scored, people, units):
    """``campaign_at(level)``: the fixture campaign, with distinctive scores and deductions, taken to ``level``."""
    for code, marks in MARKERS.items():
        score = Score.objects.get(campaign=scored, unit=units[code], indicator__code="A1", subunit__isnull=True)
        score.value, score.reason = Decimal(marks["indicator"]), marks["score_reason"]
        score.save(update_fields=["value", "reason"])
        Adjustment.objects.create(campaign=scored, unit=units[code], kind=AdjustmentKind.DEDUCTION,
                                  points=Decimal("0.50"), reason=marks["deduction"], source="省政府督查通报")

    def make(level: str) -> Campaign:
        services.campaign_compute(user=people["office"], campaign=scored)
        campaign = Campaign.objects.get(pk=scored.pk)
        if level == "computed":
            return campaign
        campaign = advance(campaign, "submit", "approve", office=people["office"], approver=people["approver"])
        if level == "published_scores":
            services.campaign_publish_scores_set(user=people["office"], campaign=campaign, publish_scores=True,
                                                 reason="省委同意公布排名类别的总分和排名")
        if level in ("published_scores", "published"):
            campaign = advance(campaign, "publish", office=people["office"])
        if level == "notified":
            campaign = advance(campaign, "notify", office=people["office"])
        return campaign
    return make
