"""The demo plan loads seed 003 through the import service, with assignments, nodes and progress."""

import io

import pytest

from fazhi.orgs import demo as org_demo
from fazhi.plans import demo, selectors
from fazhi.plans.models import Plan

pytestmark = pytest.mark.django_db


def test_demo_plan():
    units = org_demo.load_units()
    people = org_demo.load_people(units)
    out = io.StringIO()
    plan = demo.load(units=units, people=people, stdout=out)
    assert plan.is_demo and plan.status == "active"
    assert plan.tasks.filter(level=1).count() == 10 and plan.tasks.filter(level=2).count() == 44
    assert not plan.tasks.filter(level=2, lead_unit__isnull=True).exists()
    data = selectors.dashboard(plan)
    assert 0 < data["totals"]["done"] < 44 and data["totals"]["overdue"] > 0
    regions = {r["name"] for r in data["map"]}
    assert {"郑州市", "济源市"} <= regions
    # loading twice does not duplicate
    demo.load(units=units, people=people, stdout=out)
    assert Plan.objects.filter(is_demo=True).count() == 1


def test_demo_pages_render_for_each_role(client_for):
    from django.urls import reverse

    units = org_demo.load_units()
    people = org_demo.load_people(units)
    plan = demo.load(units=units, people=people, stdout=io.StringIO())
    office = client_for(people["office"])
    task = plan.tasks.filter(level=2, cooperating_units=units["410100"]).first()
    for url in [reverse("plans:plan_list"), reverse("plans:plan_detail", args=[plan.pk]),
                reverse("plans:dashboard", args=[plan.pk]), reverse("plans:task_detail", args=[task.pk])]:
        response = office.get(url)
        assert response.status_code == 200, url
    assert "督导管理" in office.get(reverse("plans:task_detail", args=[task.pk])).content.decode()
    zhengzhou = client_for(people["assessed"])
    page = zhengzhou.get(reverse("plans:task_detail", args=[task.pk])).content.decode()
    assert "报送进展" in page and "督导管理" not in page
    assert task.title in zhengzhou.get(reverse("plans:my_tasks")).content.decode()


def test_demo_links_tasks_to_the_latest_campaigns_indicators():
    from fazhi.assessment.models import Campaign, Indicator

    demo_units = org_demo.load_units()
    demo_people = org_demo.load_people(demo_units)
    plan = demo.load(units=demo_units, people=demo_people, stdout=io.StringIO())
    assert demo.link_demo_indicators(people=demo_people) == 0  # no campaign yet: nothing, no error
    campaign = Campaign.objects.create(owner=demo_units["410000"], year=2025, name="演示考核", status="scoring")
    Indicator.objects.create(campaign=campaign, code="1", title="行政复议工作", points=5, method="daily")
    assert demo.link_demo_indicators(people=demo_people) == 1
    assert plan.tasks.get(title="持续做好行政复议工作").indicators.get().title == "行政复议工作"
