from __future__ import annotations

from decimal import Decimal

import pytest

from fazhi.assessment import services as assessment_services
from fazhi.assessment.models import Indicator, Method
from fazhi.testing.lifecycle import take


@pytest.fixture
def campaign(units, people):
    """A province campaign in scoring: A1 (supervision, scored by D1 — the ``assessing`` user), W1 (web search,
    scored by D1), B1 (scored by D2)."""
    campaign = assessment_services.campaign_create(user=people["office"], year=2025)
    for sort, (code, method, assessor) in enumerate((("A1", Method.SUPERVISION, "D1"), ("W1", Method.WEB, "D1"),
                                                     ("B1", Method.DAILY, "D2")), start=1):
        leaf = Indicator.objects.create(campaign=campaign, code=code, title=f"指标{code}", points=Decimal(20),
                                        method=method, categories=[1, 4], sort=sort)
        leaf.assessing_units.set([units[assessor]])
    take(user=people["office"], campaign=campaign, action="start_scoring")
    campaign.refresh_from_db()
    return campaign
