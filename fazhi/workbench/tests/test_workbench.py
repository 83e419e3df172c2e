"""工作台: every role lands on its own after signing in, with 待办 counts that match the pages they link to, the
cards other apps registered, recent activity and the dates ahead; a member of the public lands on the portal."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.orgs.home import _PROVIDERS, Card, register_cards
from fazhi.orgs.models import Role
from fazhi.plans import services as plans
from fazhi.portal.models import PublicOpinion
from fazhi.testing.lifecycle import activate_plan
from fazhi.workbench.todo import todo_for

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _sign_in(username: str) -> tuple[Client, object]:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": "pw-Secret-1"}, follow=True)
    return client, response


@pytest.mark.parametrize("who", ["office", "city_office", "assessing", "assessed", "expert", "field_team", "survey"])
def test_every_role_lands_on_its_workbench(people, who):
    _client, response = _sign_in(who)
    assert response.redirect_chain[-1][0] == reverse("home")
    page = response.content.decode()
    assert response.status_code == 200 and 'id="todo"' in page and 'id="deadlines"' in page and 'id="recent"' in page


def test_the_public_lands_on_the_portal(people):
    client, response = _sign_in("public")
    assert response.redirect_chain[-1][0] == reverse("portal:index")
    assert client.get(reverse("home")).url == reverse("portal:index")


@pytest.fixture
def year(people, units):
    """An active plan with one overdue task and a node due in a week; a pending opinion; a draft plan with a task
    lacking a lead unit."""
    office = people["office"]
    today = timezone.localdate()
    plan = plans.plan_create(user=office, title="年度工作安排", year=today.year)
    chapter = plans.task_create(user=office, plan=plan, title="第一章")
    late = plans.task_create(user=office, plan=plan, parent=chapter, title="逾期任务A", deadline=today - 3 * DAY)
    soon = plans.task_create(user=office, plan=plan, parent=chapter, title="任务B", deadline=today + 60 * DAY)
    plans.task_assign(user=office, task=late, lead_unit=units["C1"])
    plans.task_assign(user=office, task=soon, lead_unit=units["C1"])
    plans.milestone_create(user=office, task=soon, title="起草", due=today + 7 * DAY)
    activate_plan(user=office, plan=plan)
    draft = plans.plan_create(user=office, title="草稿计划", year=today.year)
    plans.task_create(user=office, plan=draft, title="未分配任务")
    PublicOpinion.objects.create(text="关于郑州市的意见", about_unit=units["C1"])
    return plan


def test_the_office_todo_counts_match_the_pages_and_every_link_opens(year, people, client_for):
    counts = {t.label: t.count for t in todo_for(people["office"])}
    assert counts["逾期任务"] == 1
    assert counts["待处理的社情民意"] == 1
    assert counts["草稿计划中没有牵头单位的任务"] == 1
    client = client_for(people["office"])
    for item in todo_for(people["office"]):
        assert client.get(item.url).status_code == 200, item
    page = client.get(reverse("home")).content.decode()
    assert 'data-count="1">1</span> 逾期任务' in page
    assert "起草" in page  # the node due in a week is among the deadlines
    # what happened lately, as sentences (the office created the plans)
    assert "年度工作安排" in page


def test_the_unit_sees_its_own_overdue_task_and_deadline(year, people, client_for):
    counts = {t.label: t.count for t in todo_for(people["assessed"])}
    assert counts["逾期任务"] == 1
    page = client_for(people["assessed"]).get(reverse("home")).content.decode()
    assert "起草" in page
    other = {t.label: t.count for t in todo_for(people["assessed_c2"])}
    assert other["逾期任务"] == 0


def test_cards_registered_by_other_apps_show_too(people, client_for):
    def provider(user):
        return [Card("材料补充", "3", "待补充的自评材料", reverse("home"), "warn")]

    register_cards(Role.ASSESSED, provider)
    try:
        page = client_for(people["assessed"]).get(reverse("home")).content.decode()
        assert "材料补充" in page and "待补充的自评材料" in page
        assert "我的任务" in page  # the platform's own cards stay, first
        assert page.index("我的任务") < page.index("材料补充")
    finally:
        _PROVIDERS[Role.ASSESSED].remove(provider)
