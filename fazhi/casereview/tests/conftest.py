"""A campaign in scoring with one 集中评查 indicator (R1, 10 points, category 1: C1 and C2), scored by an expert
pool unit; three experts: one from 郑州市 (C1-D1, so never C1's files), one declaring D1's system incl. C2, one
without conflicts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.assessment import services as assessment_services
from fazhi.assessment.models import Indicator, Method
from fazhi.casereview import services
from fazhi.orgs.models import Level, Role, Unit, UnitKind
from fazhi.testing.lifecycle import take


@pytest.fixture
def pool(units):
    return Unit.objects.create(code="EXPERTS", name="评查专家库", level=Level.PROVINCE, kind=UnitKind.OTHER,
                               parent=units["P"])


@pytest.fixture
def experts(pool, make_user):
    return {name: make_user(name, Role.EXPERT, pool, display_name=label) for name, label in
            (("exp_zz", "专家甲"), ("exp_sys", "专家乙"), ("exp_free", "专家丙"))}


@pytest.fixture
def campaign(units, people, pool):
    campaign = assessment_services.campaign_create(user=people["office"], year=2025)
    heading = Indicator.objects.create(campaign=campaign, code="H", title="法治政府", sort=1)
    r1 = Indicator.objects.create(campaign=campaign, parent=heading, code="R1", title="行政执法案卷评查",
                                  points=Decimal(10), method=Method.REVIEW, categories=[1], sort=2)
    r1.assessing_units.set([pool])
    a1 = Indicator.objects.create(campaign=campaign, parent=heading, code="A1", title="其他", points=Decimal(90),
                                  method=Method.DAILY, categories=[1], sort=3)
    a1.assessing_units.set([units["D1"]])
    take(user=people["office"], campaign=campaign, action="start_scoring")
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def review(campaign, people):
    indicator = campaign.indicators.get(code="R1")
    review = services.review_create(user=people["office"], campaign=campaign, indicator=indicator,
                                    title="2025年行政执法案卷评查", case_types=["penalty", "license"],
                                    files_per_unit=2)
    services.checklist_item_add(user=people["office"], review=review, text="主体合法", max_deduction="20")
    services.checklist_item_add(user=people["office"], review=review, text="程序合法", max_deduction="30")
    return review


@pytest.fixture
def registered(review, people, make_user, units):
    """C1 registers 4 files, C2 3 files."""
    c2 = people["assessed_c2"]
    for user, prefix, n in ((people["assessed"], "郑罚", 4), (c2, "汴罚", 3)):
        for i in range(1, n + 1):
            services.file_register(user=user, review=review, number=f"{prefix}〔2025〕{i}号", case_type="penalty",
                                   title=f"案件{i}", closed_on=dt.date(2025, 5, i))
    return review


@pytest.fixture
def staffed(registered, experts, people, units):
    office = people["office"]
    services.expert_add(user=office, review=registered, expert=experts["exp_zz"], employer=units["C1-D1"])
    services.expert_add(user=office, review=registered, expert=experts["exp_sys"], employer=units["D1"],
                        avoid_units=[units["C2"]])
    services.expert_add(user=office, review=registered, expert=experts["exp_free"])
    return registered
