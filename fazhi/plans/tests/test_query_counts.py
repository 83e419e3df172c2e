"""Query counts of the plans pages do not grow with the data (STYLE: no N+1; query-count tests).

Each page is measured with a small and a larger plan (more tasks, each with a node, cooperating units, progress
reports with evidence, notes and reminders) under the same bound.
"""

import datetime

import pytest
from django.urls import reverse

from fazhi.plans import services
from fazhi.plans.models import (
    Evidence,
    Plan,
    PlanStatus,
    ProgressReport,
    Reminder,
    SupervisionNote,
    TaskStatus,
)

SIZES = [2, 10]


def grow(plan: Plan, people, units, n: int) -> None:
    """``n`` more tasks in a new chapter: led by 郑州市 (C1) with 省司法厅 (D1) and 开封市 (C2) cooperating, each
    with an overdue node, a progress report with evidence from each unit, a note and a reminder."""
    office = people["office"]
    chapter = services.task_create(user=office, plan=plan, title="第二章")
    for i in range(n):
        task = services.task_create(user=office, plan=plan, parent=chapter, title=f"测试任务{i:02d}",
                                    deadline=datetime.date(2020, 6, 30))
        services.task_assign(user=office, task=task, lead_unit=units["C1"],
                             cooperating_units=[units["D1"], units["C2"]])
        milestone = services.milestone_create(user=office, task=task, title=f"节点{i:02d}",
                                              due=datetime.date(2020, 3, 31))
        for code in ("C1", "D1", "C2"):
            report = ProgressReport.objects.create(task=task, milestone=milestone, unit=units[code],
                                                   status=TaskStatus.IN_PROGRESS, text="进展",
                                                   created_by=people["assessed"])
            Evidence.objects.create(report=report, file="plans/evidence/x.pdf", name=f"佐证{i:02d}{code}.pdf")
        SupervisionNote.objects.create(task=task, text=f"督导意见{i:02d}", author=office)
        Reminder.objects.create(task=task, unit=units["C1"], message=f"催办{i:02d}", created_by=office)


@pytest.fixture(params=SIZES, ids=lambda n: f"size{n}")
def grown(request, small_plan, people, units):
    grow(small_plan, people, units, request.param)
    return small_plan, request.param


@pytest.mark.parametrize(("name", "bound"), [
    ("plans:plan_detail", 11), ("plans:dashboard", 13), ("plans:dashboard_data", 12),
])
def test_plan_pages_query_count_is_constant(grown, people, client_for, django_assert_max_num_queries, name, bound):
    plan, size = grown
    client = client_for(people["office"])
    with django_assert_max_num_queries(bound):
        response = client.get(reverse(name, args=[plan.pk]))
    assert response.status_code == 200
    body = str(response.json()) if name == "plans:dashboard_data" else response.content.decode()
    assert f"测试任务{size - 1:02d}" in body


@pytest.mark.parametrize("size", SIZES)
def test_plan_list_query_count_is_constant(people, client_for, django_assert_max_num_queries, size):
    for i in range(size):
        services.plan_create(user=people["office"], title=f"测试计划{i:02d}", year=2000 + i)
    client = client_for(people["office"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("plans:plan_list"))
    assert response.status_code == 200
    assert f"测试计划{size - 1:02d}" in response.content.decode()


@pytest.mark.parametrize(("user", "bound"), [("office", 19), ("assessed", 14)])
def test_task_detail_query_count_is_constant(grown, people, client_for, django_assert_max_num_queries, user, bound):
    """One task with more reports, notes and reminders as the plan grows (they all land on the last task)."""
    plan, size = grown
    task = plan.tasks.get(title=f"测试任务{size - 1:02d}")
    for i in range(size):
        report = ProgressReport.objects.create(task=task, unit=plan.tasks.get(title="任务B").lead_unit,
                                               status=TaskStatus.IN_PROGRESS, text=f"补充进展{i:02d}")
        Evidence.objects.create(report=report, file="plans/evidence/y.pdf", name=f"补充佐证{i:02d}.pdf")
        SupervisionNote.objects.create(task=task, text=f"补充意见{i:02d}", author=people["office"])
        Reminder.objects.create(task=task, unit=task.lead_unit, message=f"补充催办{i:02d}")
    client = client_for(people[user])
    with django_assert_max_num_queries(bound):
        response = client.get(reverse("plans:task_detail", args=[task.pk]))
    assert response.status_code == 200
    assert f"补充意见{size - 1:02d}" in response.content.decode()


def test_my_tasks_query_count_is_constant(grown, people, client_for, django_assert_max_num_queries):
    plan, size = grown
    plan.status = PlanStatus.ACTIVE
    plan.save()
    client = client_for(people["assessed"])
    with django_assert_max_num_queries(9):
        response = client.get(reverse("plans:my_tasks"))
    assert response.status_code == 200
    assert f"测试任务{size - 1:02d}" in response.content.decode()
