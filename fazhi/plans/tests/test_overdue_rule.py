"""One rule of overdue (``fazhi.plans.overdue``), the same on every page and for every role.

The office's dashboard (page, JSON and export), its home card, the plan page, the unit's 我的任务 and its home
card, and 一键催办 must all say the same about the same task — including a task whose deadline has passed but
which has a node still in the future (it stays overdue), and a done task with a passed node (not overdue).
"""

from __future__ import annotations

import datetime
import io
import itertools

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.orgs.home import cards_for
from fazhi.plans import overdue, selectors, services
from fazhi.plans.models import Milestone, Task, TaskStatus

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _tasks(plan):
    return plan.tasks.get(title="任务A"), plan.tasks.get(title="任务B")


def test_python_rule_and_database_filter_agree_on_every_combination(small_plan, people):
    """Every combination of status, deadline (none / past / today / future) and nodes (none, past open, past
    done, future open): ``is_overdue`` and ``overdue_filter`` give the same answer, and the expected one."""
    office = people["office"]
    chapter = small_plan.tasks.get(title="第一章")
    on = datetime.date(2020, 6, 15)
    deadlines = {"none": None, "past": on - 3 * DAY, "today": on, "future": on + 3 * DAY}
    node_sets = {"none": [], "past_open": [(on - 2 * DAY, False)], "past_done": [(on - 2 * DAY, True)],
                 "future": [(on + 5 * DAY, False)], "past_and_future": [(on - 1 * DAY, False), (on + 9 * DAY, False)]}
    expected = {}
    for (status, (dname, deadline), (nname, nodes)) in itertools.product(
            [TaskStatus.NOT_STARTED, TaskStatus.LAGGING, TaskStatus.DONE], deadlines.items(), node_sets.items()):
        task = services.task_create(user=office, plan=small_plan, parent=chapter, title=f"{status}-{dname}-{nname}",
                                    deadline=deadline)
        Task.objects.filter(pk=task.pk).update(status=status)
        for due, done in nodes:
            m = services.milestone_create(user=office, task=task, title="节点", due=due)
            if done:
                services.milestone_set_done(user=office, milestone=m)
        late = dname == "past" or nname in ("past_open", "past_and_future")
        expected[task.pk] = status != TaskStatus.DONE and late
    tasks = overdue.with_heading_flag(Task.objects.filter(pk__in=expected)).prefetch_related("milestones")
    in_python = {t.pk: overdue.is_overdue(t, on) for t in tasks}
    in_database = set(Task.objects.filter(pk__in=expected).filter(overdue.overdue_filter(on))
                      .values_list("pk", flat=True))
    assert in_python == expected
    assert in_database == {pk for pk, late in expected.items() if late}
    assert sum(expected.values()) == 2 * (1 * 5 + 3 * 2)  # 2 open statuses × (past deadline: 5 node sets,
    #                                                         other deadlines: 2 node sets with a late node)
    # a chapter is a heading: never overdue itself, even with a passed deadline; a top-level entry with nothing
    # under it is a task like any other
    services.task_update(user=office, task=chapter, deadline=on - 10 * DAY)
    chapter.refresh_from_db()
    assert not overdue.is_overdue(chapter, on)
    assert not Task.objects.filter(pk=chapter.pk).filter(overdue.overdue_filter(on)).exists()
    alone = services.task_create(user=office, plan=small_plan, title="单列任务", deadline=on - DAY)
    assert overdue.is_overdue(alone, on)
    assert Task.objects.filter(pk=alone.pk).filter(overdue.overdue_filter(on)).exists()


def test_a_future_node_does_not_hide_a_passed_deadline(small_plan, people):
    office = people["office"]
    a, _b = _tasks(small_plan)
    on = datetime.date(2020, 8, 3)  # task A's deadline (2020-07-31) has passed
    assert [r["task"].title for r in selectors.overdue_items(small_plan, on=on)] == ["任务A"]
    services.milestone_create(user=office, task=a, title="年底总结", due=datetime.date(2020, 12, 20))
    rows = selectors.overdue_items(small_plan, on=on)
    assert [(r["task"].title, r["days"], r["nodes"]) for r in rows] == [("任务A", 3, [])]
    assert selectors.dashboard(small_plan, on=on)["totals"]["overdue"] == 1


def test_every_page_and_role_agree(small_plan, people, client_for):
    """Task A: deadline in the future, one node two days past. Task B: no deadline, no nodes (not overdue).
    The office and the lead/cooperating units all see exactly one overdue task, 2 days."""
    office = people["office"]
    a, _b = _tasks(small_plan)
    today = selectors.today()
    services.task_update(user=office, task=a, deadline=today + 30 * DAY)
    services.milestone_create(user=office, task=a, title="起草", due=today - 2 * DAY)
    services.milestone_create(user=office, task=a, title="印发", due=today + 10 * DAY)

    office_client = client_for(office)
    data = office_client.get(reverse("plans:dashboard_data", args=[small_plan.pk])).json()
    assert data["totals"]["overdue"] == 1
    assert [(o["task"], o["nodes"], o["days"]) for o in data["overdue"]] == [("任务A", ["起草"], 2)]
    page = office_client.get(reverse("plans:dashboard", args=[small_plan.pk])).content.decode()
    assert page.count(f'href="/plans/tasks/{a.pk}/"') >= 1 and "没有逾期的节点或任务" not in page
    card = next(c for c in cards_for(office) if c.title == "计划督导")
    assert card.value == "1"
    workbook = load_workbook(io.BytesIO(office_client.get(
        reverse("plans:export", args=[small_plan.pk, "overdue"])).content))
    sheet = workbook.active
    task_cells = [row[0] for row in sheet.iter_rows(values_only=True) if row and row[0] in ("任务A", "任务B")]
    assert task_cells == ["任务A"]
    detail = office_client.get(reverse("plans:plan_detail", args=[small_plan.pk])).content.decode()
    assert detail.count('<span class="badge bad">逾期</span>') == 1

    # 郑州市 cooperates on task A: its 我的任务 and its home card say one overdue task
    unit_page = client_for(people["assessed"]).get(reverse("plans:my_tasks")).content.decode()
    assert "其中逾期 1 项" in unit_page and unit_page.count('data-overdue="1"') == 1
    assert next(c for c in cards_for(people["assessed"]) if c.title == "我的任务").note == "其中逾期 1 项"
    # 开封市 leads task B only: nothing overdue for it
    other = client_for(people["assessed_c2"]).get(reverse("plans:my_tasks")).content.decode()
    assert "其中逾期 0 项" in other and 'data-overdue="1"' not in other
    assert next(c for c in cards_for(people["assessed_c2"]) if c.title == "我的任务").note == "其中逾期 0 项"

    # once the lead unit reports the task done, no page calls it overdue, though the node stays unticked
    lead = services.progress_report_create(user=_lead_user(people, a), task=a, status=TaskStatus.DONE, text="完成")
    assert lead.task.status == TaskStatus.DONE
    assert Milestone.objects.filter(task=a, done_at__isnull=True).count() == 2
    assert office_client.get(reverse("plans:dashboard_data", args=[small_plan.pk])).json()["totals"]["overdue"] == 0
    assert "其中逾期 0 项" in client_for(people["assessed"]).get(reverse("plans:my_tasks")).content.decode()
    assert services.reminders_for_overdue(user=office, plan=small_plan).sent == 0


def _lead_user(people, task):
    from fazhi.orgs.models import Role, User

    return User.objects.create_user(username="d1_lead", password="pw-Secret-1", role=Role.ASSESSED,
                                    unit=task.lead_unit)


def test_one_click_reminders_list_what_they_could_not_remind(small_plan, people, client_for):
    """一键催办: the task with a lead unit is reminded; a task without one is listed with the reason; pressing
    again the same day lists the first as already reminded instead of sending a duplicate."""
    office = people["office"]
    a, b = _tasks(small_plan)
    today = selectors.today()
    services.task_update(user=office, task=a, deadline=today - 1 * DAY)
    services.task_update(user=office, task=b, deadline=today - 4 * DAY)
    services.task_assign(user=office, task=b, lead_unit=None)
    client = client_for(office)
    response = client.post(reverse("plans:remind_overdue", args=[small_plan.pk]), follow=True)
    text = response.content.decode()
    assert "发送 1 条催办提醒" in text
    assert "以下 1 项逾期任务未催办" in text and "任务B（没有牵头单位）" in text
    response = client.post(reverse("plans:remind_overdue", args=[small_plan.pk]), follow=True)
    text = response.content.decode()
    assert "发送 0 条催办提醒" in text and "任务A（今天已催办过牵头单位）" in text
    assert a.reminders.count() == 1
