"""批量分配: lead and cooperating units for many tasks at once (ticked, or a whole chapter), chosen by name;
下发 refused while a task has no lead unit, with the list."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fazhi.audit.models import AuditEvent
from fazhi.plans import services
from fazhi.plans.models import PlanStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_plan(people):
    """Two chapters: 第一章 with tasks 1-1, 1-2, 1-3; 第二章 with 2-1, 2-2 (one level deeper: 2-2 has 2-2-1)."""
    office = people["office"]
    plan = services.plan_create(user=office, title="草稿计划", year=2026)
    one = services.task_create(user=office, plan=plan, title="第一章")
    for i in (1, 2, 3):
        services.task_create(user=office, plan=plan, parent=one, title=f"任务1-{i}")
    two = services.task_create(user=office, plan=plan, title="第二章")
    services.task_create(user=office, plan=plan, parent=two, title="任务2-1")
    mid = services.task_create(user=office, plan=plan, parent=two, title="任务2-2")
    services.task_create(user=office, plan=plan, parent=mid, title="任务2-2-1")
    return plan


def _names(plan, title):
    task = plan.tasks.get(title=title)
    return (task.lead_unit.name if task.lead_unit_id else None,
            sorted(task.cooperating_units.values_list("name", flat=True)))


def test_issuing_is_refused_while_tasks_lack_a_lead_unit(draft_plan, people, client_for, units):
    client = client_for(people["office"])
    response = client.post(reverse("plans:plan_activate", args=[draft_plan.pk]), follow=True)
    draft_plan.refresh_from_db()
    assert draft_plan.status == PlanStatus.DRAFT
    text = response.content.decode()
    assert "有 5 项任务没有牵头单位，计划未下发" in text
    for title in ("任务1-1", "任务1-2", "任务1-3", "任务2-1", "任务2-2-1"):
        assert title in text
    assert "第一章；" not in text  # headings are not tasks
    assert response.redirect_chain[-1][0].endswith("?missing=lead")
    with pytest.raises(services.LeadUnitsMissing) as refused:
        services.plan_activate(user=people["office"], plan=draft_plan)
    assert [t.title for t in refused.value.tasks] == ["任务1-1", "任务1-2", "任务1-3", "任务2-1", "任务2-2-1"]


def test_a_whole_chapter_by_unit_name_then_the_plan_can_be_issued(draft_plan, people, client_for, units):
    office = people["office"]
    client = client_for(office)
    one = draft_plan.tasks.get(title="第一章")
    two = draft_plan.tasks.get(title="第二章")
    url = reverse("plans:bulk_assign", args=[draft_plan.pk])
    response = client.post(f"{url}?chapter={one.pk}", {
        "scope": "filtered", "lead_unit": "省司法厅", "cooperating_units": [units["C1"].pk, units["C2"].pk],
        "mode": "add"})
    assert response.status_code == 302
    for i in (1, 2, 3):
        assert _names(draft_plan, f"任务1-{i}") == ("省司法厅", ["开封市人民政府", "郑州市人民政府"])
    assert _names(draft_plan, "任务2-1") == (None, [])
    event = AuditEvent.objects.filter(action="plans.tasks_assign_bulk").get()
    assert event.after["tasks"] == ["任务1-1", "任务1-2", "任务1-3"]
    # the second chapter, two levels deep, by its short list of those still without a lead unit
    page = client.get(f"{url}?chapter={two.pk}&missing=lead").content.decode()
    assert "任务2-1" in page and "任务2-2-1" in page and "任务1-1" not in page
    client.post(f"{url}?chapter={two.pk}&missing=lead", {"scope": "filtered", "lead_unit": "开封市人民政府",
                                                          "mode": "add"})
    assert _names(draft_plan, "任务2-2-1") == ("开封市人民政府", [])
    preview = client.post(reverse("plans:plan_activate", args=[draft_plan.pk])).content.decode()
    draft_plan.refresh_from_db()
    assert draft_plan.status == PlanStatus.DRAFT  # first the consequences, with a one-time confirmation
    assert "将下发" in preview
    token = re.search(r'name="confirmation" value="([^"]+)"', preview).group(1)
    client.post(reverse("plans:plan_activate", args=[draft_plan.pk]), {"confirmation": token})
    draft_plan.refresh_from_db()
    assert draft_plan.status == PlanStatus.ACTIVE


def test_ticked_tasks_replace_cooperating_units_and_the_lead_is_never_also_cooperating(draft_plan, people,
                                                                                       client_for, units):
    office = people["office"]
    a, b = draft_plan.tasks.get(title="任务1-1"), draft_plan.tasks.get(title="任务1-2")
    services.task_assign(user=office, task=a, lead_unit=units["C1"], cooperating_units=[units["D2"]])
    url = reverse("plans:bulk_assign", args=[draft_plan.pk])
    client_for(office).post(url, {"scope": "selected", "tasks": [a.pk, b.pk],
                                  "cooperating_units": [units["C1"].pk, units["D1"].pk], "mode": "replace"})
    assert _names(draft_plan, "任务1-1") == ("郑州市人民政府", ["省司法厅"])  # its lead is not also cooperating
    assert _names(draft_plan, "任务1-2") == (None, ["省司法厅", "郑州市人民政府"])
    assert _names(draft_plan, "任务1-3") == (None, [])


def test_bad_choices_change_nothing_and_say_why(draft_plan, people, client_for, units):
    client = client_for(people["office"])
    url = reverse("plans:bulk_assign", args=[draft_plan.pk])
    task = draft_plan.tasks.get(title="任务1-1")
    response = client.post(url, {"scope": "selected", "tasks": [task.pk], "lead_unit": "不存在的单位"})
    assert response.status_code == 400 and "找不到单位“不存在的单位”" in response.content.decode()
    response = client.post(url, {"scope": "selected", "tasks": [task.pk],
                                 "cooperating_units": [units["P2-OFFICE"].pk]})  # another province
    assert response.status_code == 400 and "不在您的管理范围内" in response.content.decode()
    response = client.post(url, {"scope": "selected", "lead_unit": "省司法厅"})
    assert response.status_code == 400 and "请勾选任务" in response.content.decode()
    assert _names(draft_plan, "任务1-1") == (None, [])
    assert not AuditEvent.objects.filter(action="plans.tasks_assign_bulk").exists()


def test_only_the_plans_office_may_assign(draft_plan, people, client_for, units):
    url = reverse("plans:bulk_assign", args=[draft_plan.pk])
    assert client_for(people["assessed"]).get(url).status_code == 403
    assert client_for(people["other_office"]).get(url).status_code == 404
    assert client_for(people["other_office"]).post(url, {"scope": "filtered", "lead_unit": "省司法厅"}
                                                   ).status_code == 404
    with pytest.raises(PermissionDenied):
        services.tasks_assign_bulk(user=people["office"], plan=draft_plan, tasks=draft_plan.tasks.all(),
                                   lead_unit=units["P2-OFFICE"])
    assert _names(draft_plan, "任务1-1") == (None, [])


def test_the_page_pages_in_the_database_with_the_same_queries_at_two_sizes(draft_plan, people, client_for, units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = people["office"]
    client = client_for(office)
    url = reverse("plans:bulk_assign", args=[draft_plan.pk])

    def queries() -> int:
        client.get(url)  # warm the session and the unit list's first read
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = queries()
    chapter = draft_plan.tasks.get(title="第一章")
    for i in range(60):
        task = services.task_create(user=office, plan=draft_plan, parent=chapter, title=f"批量{i:02d}")
        services.task_assign(user=office, task=task, lead_unit=units["D1"], cooperating_units=[units["C1"]])
    assert queries() == small
    first = client.get(url).content.decode()
    assert first.count('name="tasks"') == 50 and "第 1 页，共 2 页" in first
    second = client.get(url + "?page=2").content.decode()
    assert second.count('name="tasks"') == 65 - 50
