"""逾期 — the one rule of overdue, used by every page, role, card, export and reminder.

A task is overdue on a day (Asia/Shanghai) when it is not done (its lead unit's latest status) and either its
own deadline has passed or one of its nodes (节点) is past due and not done. A heading (a chapter or any entry
with entries under it) is never overdue itself: the entries under it are. How long a task has been overdue counts from the oldest thing that passed.
A future node never hides a passed deadline, and a passed node is overdue whatever the task's deadline.

``is_overdue``/``overdue_since`` judge one task in Python (its milestones prefetched, no query);
``overdue_filter`` is the same rule as a database filter for lists, counts and cards. Tests check the two
agree (``fazhi/plans/tests/test_overdue_rule.py``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q

from .models import Milestone, Task, TaskStatus, today


def with_heading_flag(tasks):
    """``tasks`` annotated with ``has_children`` (one subquery), so judging each of them needs no query."""
    return tasks.annotate(has_children=Exists(Task.objects.filter(parent=OuterRef("pk"))))


def _is_heading(task: Task) -> bool:
    flag = getattr(task, "has_children", None)
    return task.children.exists() if flag is None else flag


def overdue_since(task: Task, on: datetime.date | None = None) -> datetime.date | None:
    """The oldest passed date (deadline or node) of an overdue task; None when it is not overdue."""
    on = on or today()
    if task.status == TaskStatus.DONE or _is_heading(task):
        return None
    dates = [m.due for m in task.milestones.all() if m.done_at is None and m.due < on]
    if task.deadline and task.deadline < on:
        dates.append(task.deadline)
    return min(dates) if dates else None


def is_overdue(task: Task, on: datetime.date | None = None) -> bool:
    return overdue_since(task, on) is not None


def overdue_filter(on: datetime.date | None = None) -> Q:
    """The rule as a filter on ``Task`` (no join duplicates: the nodes are an EXISTS subquery)."""
    on = on or today()
    late_node = Milestone.objects.filter(task=OuterRef("pk"), done_at__isnull=True, due__lt=on)
    children = Task.objects.filter(parent=OuterRef("pk"))
    return (~Q(status=TaskStatus.DONE) & ~Q(Exists(children))
            & (Q(deadline__lt=on) | Q(Exists(late_node))))


def overdue_rows(tasks, on: datetime.date | None = None) -> list[dict[str, Any]]:
    """One row per overdue task of ``tasks`` (a queryset), oldest first: the task, its lead unit, the passed
    nodes, whether its own deadline passed, the oldest passed date and the days since."""
    on = on or today()
    rows = []
    chosen = with_heading_flag(tasks.filter(overdue_filter(on))).select_related("lead_unit").prefetch_related(
        "milestones")
    for task in chosen:
        since = overdue_since(task, on)
        if since is None:  # cannot happen while the filter and the function agree; the tests hold them together
            continue
        nodes = [m for m in task.milestones.all() if m.done_at is None and m.due < on]
        rows.append({"task": task, "unit": task.lead_unit, "nodes": nodes, "due": since, "days": (on - since).days,
                     "deadline_passed": bool(task.deadline and task.deadline < on)})
    rows.sort(key=lambda r: (r["due"], r["task"].sort, r["task"].pk))
    return rows
