"""Who may do what: the office in its jurisdiction, units on their own tasks, assessing units through
linked indicators; every other role 403, out-of-scope objects 404."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fazhi.assessment.models import Campaign, CampaignStatus, Indicator
from fazhi.plans import selectors, services
from fazhi.plans.models import PlanStatus, TaskStatus

pytestmark = pytest.mark.django_db

NOT_PLANNERS = ["assessing", "assessed", "expert", "field_team", "survey", "public"]


def _a(plan):
    return plan.tasks.get(title="任务A")


@pytest.mark.parametrize("name", NOT_PLANNERS)
def test_office_pages_are_refused_to_other_roles(small_plan, people, client_for, name):
    client = client_for(people[name])
    for url in [reverse("plans:plan_list"), reverse("plans:import_start"), reverse("plans:plan_create"),
                reverse("plans:plan_detail", args=[small_plan.pk]), reverse("plans:dashboard", args=[small_plan.pk]),
                reverse("plans:dashboard_data", args=[small_plan.pk]),
                reverse("plans:export", args=[small_plan.pk, "tasks"])]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("plans:milestone_add", args=[_a(small_plan).pk]),
                       {"title": "x", "due": "2020-01-01"}).status_code == 403


def test_anonymous_is_sent_to_sign_in(small_plan, client_for):
    response = client_for(None).get(reverse("plans:plan_detail", args=[small_plan.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_office_manages_its_plans_and_not_another_jurisdictions(small_plan, people, client_for):
    assert client_for(people["office"]).get(reverse("plans:plan_list")).status_code == 200
    assert client_for(people["office"]).get(reverse("plans:plan_detail", args=[small_plan.pk])).status_code == 200
    for name in ("other_office", "city_office"):  # another province; a lower level's office
        client = client_for(people[name])
        assert client.get(reverse("plans:plan_detail", args=[small_plan.pk])).status_code == 404
        assert client.get(reverse("plans:task_detail", args=[_a(small_plan).pk])).status_code == 404
        assert client.get(reverse("plans:dashboard_data", args=[small_plan.pk])).status_code == 404
        assert small_plan.title not in client.get(reverse("plans:plan_list")).content.decode()
    with pytest.raises(PermissionDenied):
        services.milestone_create(user=people["other_office"], task=_a(small_plan), title="x", due="2020-01-01")


def test_city_office_plan_is_its_own(people, units, client_for):
    plan = services.plan_create(user=people["city_office"], title="郑州市年度安排", year=2020)
    assert plan.owner == units["C1"]
    assert client_for(people["city_office"]).get(reverse("plans:plan_detail", args=[plan.pk])).status_code == 200
    # the province office sees its subtree (本级及以下)
    assert client_for(people["office"]).get(reverse("plans:plan_detail", args=[plan.pk])).status_code == 200


def test_office_cannot_assign_units_outside_its_scope(small_plan, people, units):
    with pytest.raises(PermissionDenied):
        services.task_assign(user=people["office"], task=_a(small_plan), lead_unit=units["P2"])


def test_unit_sees_and_reports_on_its_own_tasks_only(small_plan, people, client_for):
    a = _a(small_plan)
    b = small_plan.tasks.get(title="任务B")
    zhengzhou = client_for(people["assessed"])  # cooperating on A
    assert zhengzhou.get(reverse("plans:task_detail", args=[a.pk])).status_code == 200
    assert zhengzhou.get(reverse("plans:task_detail", args=[b.pk])).status_code == 404
    assert zhengzhou.post(reverse("plans:report_add", args=[b.pk]), {"status": "done", "text": "x"}).status_code == 404
    assert zhengzhou.post(reverse("plans:report_add", args=[a.pk]), {"status": "done", "text": "x"}).status_code == 302
    assert a.reports.count() == 1
    mine = zhengzhou.get(reverse("plans:my_tasks")).content.decode()
    assert "任务A" in mine and "任务B" not in mine
    kaifeng = client_for(people["assessed_c2"])
    assert kaifeng.get(reverse("plans:task_detail", args=[a.pk])).status_code == 404
    assert kaifeng.get(reverse("plans:task_detail", args=[b.pk])).status_code == 200
    # units may not manage
    assert zhengzhou.post(reverse("plans:note_add", args=[a.pk]), {"text": "x"}).status_code == 403


def test_units_do_not_see_draft_plans(small_plan, people, client_for):
    small_plan.status = PlanStatus.DRAFT
    small_plan.save()
    assert client_for(people["assessed"]).get(reverse("plans:task_detail", args=[_a(small_plan).pk])).status_code == 404


def test_office_does_not_report_and_other_roles_are_refused_task_pages(small_plan, people, client_for):
    a = _a(small_plan)
    office = client_for(people["office"])
    assert office.post(reverse("plans:report_add", args=[a.pk]), {"status": "done", "text": "x"}).status_code == 403
    for name in ("expert", "field_team", "survey", "public"):
        client = client_for(people[name])
        assert client.get(reverse("plans:task_detail", args=[a.pk])).status_code == 403
        assert client.get(reverse("plans:my_tasks")).status_code == 403
    with pytest.raises(PermissionDenied):
        services.progress_report_create(user=people["office"], task=a, status="done", text="x")


def _indicator(units, status=CampaignStatus.SCORING):
    campaign = Campaign.objects.create(owner=units["P"], year=2020, name="2020年度考核", status=status)
    indicator = Indicator.objects.create(campaign=campaign, code="3.1", title="推进法治政府建设", points=10,
                                         method="daily")
    indicator.assessing_units.add(units["D2"])
    return indicator


def test_linked_tasks_show_progress_and_evidence_to_the_assessing_unit(small_plan, people, units, make_user,
                                                                        client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = _a(small_plan)
    indicator = _indicator(units)
    services.task_link_indicators(user=people["office"], task=a, indicators=[indicator])
    services.progress_report_create(user=people["assessed"], task=a, status=TaskStatus.IN_PROGRESS, text="推进中",
                                    files=[SimpleUploadedFile("图.png", b"\x89PNG....")])
    rows = selectors.linked_tasks(indicator=indicator, unit=units["C1"])
    assert [t.title for t in rows] == ["任务A"]
    assert rows[0].latest_report.text == "推进中" and rows[0].unit_status == TaskStatus.IN_PROGRESS
    assert [e.name for e in rows[0].evidence] == ["图.png"]
    assert selectors.linked_tasks(indicator=indicator, unit=units["C2"]) == []
    # the include renders
    from django.template.loader import render_to_string

    html = render_to_string("plans/includes/linked_tasks.html", {"tasks": rows})
    assert "任务A" in html and "图.png" in html
    # the assessing unit that scores the indicator opens the task and its evidence; another does not
    scorer = make_user("scorer", "assessing", units["D2"])
    assert client_for(scorer).get(reverse("plans:task_detail", args=[a.pk])).status_code == 200
    evidence = a.reports.get().evidence.get()
    assert client_for(scorer).get(reverse("plans:evidence_download", args=[evidence.pk])).status_code == 200
    other_scorer = make_user("other_scorer", "assessing", units["C1-D1"])  # scores nothing, no task
    assert client_for(other_scorer).get(reverse("plans:task_detail", args=[a.pk])).status_code == 404
    # people["assessing"] works at 省司法厅, the lead unit of A: it reports as the lead unit
    assert client_for(people["assessing"]).get(reverse("plans:task_detail", args=[a.pk])).status_code == 200
    # and may not report
    assert client_for(scorer).post(reverse("plans:report_add", args=[a.pk]),
                                   {"status": "done", "text": "x"}).status_code == 404


def test_assessing_unit_sees_nothing_while_the_campaign_is_drafted(small_plan, people, units, make_user, client_for):
    a = _a(small_plan)
    services.task_link_indicators(user=people["office"], task=a, indicators=[_indicator(units, CampaignStatus.DRAFT)])
    scorer = make_user("scorer", "assessing", units["D2"])
    assert client_for(scorer).get(reverse("plans:task_detail", args=[a.pk])).status_code == 404


def test_api_is_scoped(small_plan, people, client_for):
    office = client_for(people["office"]).get("/api/plans/plans/").json()
    assert [p["title"] for p in office["results"]] == ["测试年度工作安排"]
    assert client_for(people["other_office"]).get("/api/plans/plans/").json()["results"] == []
    assert client_for(people["office"]).get(f"/api/plans/plans/{small_plan.pk}/dashboard/").json()["totals"]["tasks"] == 2
    mine = client_for(people["assessed"]).get("/api/plans/tasks/").json()
    assert [t["title"] for t in mine["results"]] == ["任务A"]
    assert client_for(people["expert"]).get("/api/plans/tasks/").json()["results"] == []
