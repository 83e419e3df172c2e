"""A campaign in scoring with a 法治理论测试 indicator (T1, 10 points, category 1) scored by the field team unit;
郑州市 (C1) with three departments and three counties to sample from."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fazhi.assessment import services as assessment_services
from fazhi.assessment.models import Indicator, Method
from fazhi.fieldwork import services
from fazhi.orgs.models import Level, Role, Unit, UnitKind
from fazhi.testing.lifecycle import take


@pytest.fixture
def team(units):
    return Unit.objects.create(code="FIELD", name="实地考核组", level=Level.PROVINCE, kind=UnitKind.OTHER,
                               parent=units["P"])


@pytest.fixture
def field_user(team, make_user):
    return make_user("field_a", Role.FIELD_TEAM, team)


@pytest.fixture
def children(units):
    c1 = units["C1"]
    made = {"C1-D1": units["C1-D1"]}
    for code, name in (("C1-D2", "郑州市公安局"), ("C1-D3", "郑州市市场监管局")):
        made[code] = Unit.objects.create(code=code, name=name, level=Level.CITY, kind=UnitKind.DEPARTMENT, parent=c1)
    for code, name in (("C1-G1", "中原区人民政府"), ("C1-G2", "金水区人民政府"), ("C1-G3", "新郑市人民政府")):
        made[code] = Unit.objects.create(code=code, name=name, level=Level.COUNTY, kind=UnitKind.GOVERNMENT, parent=c1)
    return made


@pytest.fixture
def campaign(units, people, team):
    campaign = assessment_services.campaign_create(user=people["office"], year=2025)
    heading = Indicator.objects.create(campaign=campaign, code="H", title="共同职责", sort=1)
    t1 = Indicator.objects.create(campaign=campaign, parent=heading, code="T1", title="法治理论测试",
                                  points=Decimal(10), method=Method.FIELD, categories=[1], sort=2)
    t1.assessing_units.set([team])
    a1 = Indicator.objects.create(campaign=campaign, parent=heading, code="A1", title="其他", points=Decimal(90),
                                  method=Method.DAILY, categories=[1], sort=3)
    a1.assessing_units.set([units["D1"]])
    take(user=people["office"], campaign=campaign, action="start_scoring")
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def visit(campaign, people, units, team, children):
    today = timezone.localdate()
    return services.visit_create(user=people["office"], campaign=campaign, indicator=campaign.indicators.get(code="T1"),
                                 unit=units["C1"], team_unit=team, start_date=today + dt.timedelta(days=3),
                                 end_date=today + dt.timedelta(days=4), required_count=5, departments_k=2,
                                 governments_k=1, schedule="第一天：座谈；第二天：暗访、测试")
