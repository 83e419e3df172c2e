"""Query counts of the orgs pages do not grow with the data (STYLE: no N+1; query-count tests on list pages).

Each page is measured with a small and a larger data set under the same bound: a query per row makes the
larger case exceed it.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fazhi.assessment.models import Campaign, CampaignStatus, CampaignUnit, Indicator, Method, Score
from fazhi.orgs.models import Level, LoginRecord, Role, Unit, UnitKind, User
from fazhi.plans import services as plan_services
from fazhi.reviews.models import Feedback
from fazhi.testing.lifecycle import activate_plan

SIZES = [3, 20]


def grow_units(units, n: int) -> None:
    """``n`` departments under 郑州市 (C1), each with one person and one sign-in record."""
    for i in range(n):
        unit = Unit.objects.create(code=f"C1-Q{i:02d}", name=f"郑州市测试局{i:02d}", level=Level.CITY,
                                   kind=UnitKind.DEPARTMENT, parent=units["C1"], category=4)
        user = User.objects.create_user(username=f"q{i:02d}", password="pw-Secret-1",
                                        role=Role.ASSESSED, unit=unit)
        LoginRecord.objects.create(username=user.username, user=user, succeeded=bool(i % 2), ip_address="127.0.0.1")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("page", "bound"), [
    ("orgs:unit_list", 8), ("orgs:people", 8), ("orgs:login_log", 8),
])
def test_office_list_pages_query_count_is_constant(people, units, client_for, django_assert_max_num_queries,
                                                   size, page, bound):
    grow_units(units, size)
    client = client_for(people["office"])
    with django_assert_max_num_queries(bound):
        response = client.get(reverse(page))
    assert response.status_code == 200
    assert f"{size - 1:02d}" in response.content.decode()  # the rows are really on the page


@pytest.mark.parametrize("size", SIZES)
def test_unit_detail_query_count_is_constant(people, units, client_for, django_assert_max_num_queries, size):
    grow_units(units, size)
    client = client_for(people["office"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("orgs:unit_detail", args=["C1"]))
    assert response.status_code == 200
    assert f"郑州市测试局{size - 1:02d}" in response.content.decode()


def grow_workload(units, people, n: int) -> None:
    """What the home cards count, ``n`` times over: a scoring campaign with ``n`` more assessed units and
    indicators (scored by D1), an active plan with ``n`` tasks for 郑州市 (C1), and ``n`` feedback items."""
    campaign = Campaign.objects.create(owner=units["P"], year=2025, name="2025年度测试考核",
                                       status=CampaignStatus.SCORING)
    office = people["office"]
    plan = plan_services.plan_create(user=office, title="测试计划", year=2025)
    for i in range(n):
        unit = Unit.objects.create(code=f"Q{i:02d}", name=f"测试市{i:02d}人民政府", level=Level.CITY,
                                   kind=UnitKind.GOVERNMENT, parent=units["P"], category=1)
        CampaignUnit.objects.create(campaign=campaign, unit=unit, category=1)
        indicator = Indicator.objects.create(campaign=campaign, code=f"A{i:02d}", title="指标", points=Decimal(10),
                                             method=Method.DAILY, categories=[1])
        indicator.assessing_units.set([units["D1"]])
        Score.objects.create(campaign=campaign, indicator=indicator, unit=unit, value=Decimal(5),
                             scored_by_unit=units["D1"])
        task = plan_services.task_create(user=office, plan=plan, title=f"任务{i:02d}",
                                         deadline=datetime.date(2020, 1, 1))
        plan_services.task_assign(user=office, task=task, lead_unit=units["C1"], cooperating_units=[unit])
        Feedback.objects.create(campaign=campaign, unit=units["C1"], indicator=indicator, text="反馈",
                                sent_at=timezone.now())
    activate_plan(user=office, plan=plan)


@pytest.mark.parametrize("size", SIZES)
# the workbench: its cards, then one count per 待办, the deadlines ahead and the recent activity;
# scorers: +1 self-reports to review, +2 findings and web-search records (cards registered by those apps);
# expert +1 more for the 评查案卷 card (casereview, one aggregate query whatever the workload)
@pytest.mark.parametrize(("role", "bound"), [("office", 31), ("assessing", 14), ("assessed", 18), ("expert", 14)])
def test_home_query_count_is_constant(people, units, client_for, django_assert_max_num_queries, size, role, bound):
    grow_workload(units, people, size)
    client = client_for(people[role])
    with django_assert_max_num_queries(bound):
        response = client.get(reverse("home"))
    assert response.status_code == 200
