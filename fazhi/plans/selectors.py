"""Reads for plans and supervision: unit status, overdue items, dashboards, tasks linked to indicators.

Completion is counted per assignment (task × unit): a unit's status on a task is its latest progress
report's status (未开始 when it has none). A task's own status is its lead unit's (``Task.status``).
Overdue (按节点督导) is the one rule of ``fazhi.plans.overdue``: a task not done whose deadline or one of whose
nodes has passed.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery

from . import overdue as overdue_rule
from .models import Plan, ProgressReport, Task, TaskStatus, today

STATUS_LABELS = dict(TaskStatus.choices)


def plan_tasks(plan: Plan):
    return (
        plan.tasks.select_related("lead_unit", "parent")
        .prefetch_related("cooperating_units", "milestones")
        .order_by("sort", "pk")
    )


def latest_status(task_ids, unit_ids=None) -> dict[tuple[int, int], ProgressReport]:
    """{(task_id, unit_id): latest report} for the given tasks (one query)."""
    reports = ProgressReport.objects.filter(task_id__in=list(task_ids)).order_by("task_id", "unit_id", "-created_at",
                                                                                 "-pk")
    if unit_ids is not None:
        reports = reports.filter(unit_id__in=list(unit_ids))
    latest: dict[tuple[int, int], ProgressReport] = {}
    for report in reports.only("pk", "task_id", "unit_id", "status", "created_at", "text"):
        latest.setdefault((report.task_id, report.unit_id), report)
    return latest


def assignments(tasks) -> list[tuple[Task, Any]]:
    """(task, unit) pairs: the lead unit and every cooperating unit of each leaf task."""
    pairs = []
    for task in tasks:
        units = ([task.lead_unit] if task.lead_unit_id else []) + [
            u for u in task.cooperating_units.all() if u.pk != task.lead_unit_id
        ]
        pairs.extend((task, unit) for unit in units)
    return pairs


def _leaf_tasks(tasks: list[Task]) -> list[Task]:
    parents = {t.parent_id for t in tasks if t.parent_id}
    return [t for t in tasks if t.pk not in parents]


def _rate(done: int, total: int) -> float:
    return round(done * 100 / total, 1) if total else 0.0


def tasks_without_lead(plan: Plan):
    """The plan's tasks (entries with nothing under them) that have no lead unit, in document order."""
    return (plan.tasks.filter(lead_unit__isnull=True)
            .exclude(Exists(Task.objects.filter(parent=OuterRef("pk")))).order_by("sort", "pk"))


def overdue_items(plan: Plan, on: datetime.date | None = None) -> list[dict[str, Any]]:
    """The plan's overdue tasks (one row each, with their passed nodes), oldest first."""
    return overdue_rule.overdue_rows(plan.tasks.all(), on=on)


def dashboard(plan: Plan, on: datetime.date | None = None) -> dict[str, Any]:
    """Everything the dashboard draws (JSON-ready): completion by unit, chapter, node; overdue; timeline; map.

    ``score_map`` (each city's total in the owner's latest published assessment) is present only when there
    is such an assessment."""
    on = on or today()
    tasks = list(plan_tasks(plan))
    leaves = _leaf_tasks(tasks)
    latest = latest_status(t.pk for t in leaves)

    by_unit: dict[int, dict[str, Any]] = {}
    for task, unit in assignments(leaves):
        row = by_unit.setdefault(unit.pk, {"unit": unit.short_name or unit.name, "region": unit.region, "total": 0,
                                           "done": 0, "lagging": 0})
        report = latest.get((task.pk, unit.pk))
        status = report.status if report else TaskStatus.NOT_STARTED
        row["total"] += 1
        row["done"] += status == TaskStatus.DONE
        row["lagging"] += status == TaskStatus.LAGGING
    units = sorted(by_unit.values(), key=lambda r: (-_rate(r["done"], r["total"]), r["unit"]))
    for row in units:
        row["rate"] = _rate(row["done"], row["total"])

    by_id = {t.pk: t for t in tasks}

    def chapter_of(task: Task) -> Task:
        while task.parent_id and task.parent_id in by_id:
            task = by_id[task.parent_id]
        return task

    chapters: dict[int, dict[str, Any]] = {}
    for task in leaves:
        chapter = chapter_of(task)
        row = chapters.setdefault(chapter.pk, {"chapter": str(chapter), "sort": chapter.sort, "total": 0, "done": 0})
        row["total"] += 1
        row["done"] += task.status == TaskStatus.DONE
    by_chapter = sorted(chapters.values(), key=lambda r: r["sort"])
    for row in by_chapter:
        row["rate"] = _rate(row["done"], row["total"])

    months: dict[str, dict[str, int]] = defaultdict(lambda: {"done": 0, "overdue": 0, "pending": 0})
    timeline = []
    for task in tasks:
        for m in task.milestones.all():
            state = "done" if m.done_at else ("overdue" if m.due < on else "pending")
            months[m.due.strftime("%Y-%m")][state] += 1
            timeline.append({"date": m.due.isoformat(), "title": f"{task.label}{task.title}：{m.title}",
                             "state": state, "task": task.pk})
        if task.deadline and not task.milestones.all():
            state = "done" if task.status == TaskStatus.DONE else ("overdue" if task.deadline < on else "pending")
            timeline.append({"date": task.deadline.isoformat(), "title": str(task), "state": state, "task": task.pk})
    by_node = [{"month": k, **v} for k, v in sorted(months.items())]
    timeline.sort(key=lambda e: e["date"])

    overdue = [
        {"task": str(i["task"]), "task_id": i["task"].pk, "nodes": [m.title for m in i["nodes"]],
         "due": i["due"].isoformat(), "days": i["days"], "unit": str(i["unit"]) if i["unit"] else ""}
        for i in overdue_items(plan, on=on)
    ]
    regions = [{"name": r["region"], "value": r["rate"], "done": r["done"], "total": r["total"]}
               for r in units if r["region"]]
    done = sum(t.status == TaskStatus.DONE for t in leaves)
    data = {
        "plan": {"id": plan.pk, "title": plan.title, "year": plan.year},
        "today": on.isoformat(),
        "totals": {"tasks": len(leaves), "done": done, "rate": _rate(done, len(leaves)), "overdue": len(overdue)},
        "by_unit": units,
        "by_chapter": by_chapter,
        "by_node": by_node,
        "overdue": overdue,
        "timeline": timeline,
        "map": regions,
    }
    scores = score_map(plan.owner_id)
    if scores:
        data["score_map"] = scores
    return data


def unit_task_rows(tasks, unit) -> list[Task]:
    """Tasks with ``unit_status`` and ``latest_report`` (the unit's own) attached, and overdue nodes."""
    tasks = list(overdue_rule.with_heading_flag(tasks).select_related("plan", "lead_unit")
                 .prefetch_related("milestones").order_by("plan", "sort"))
    latest = latest_status([t.pk for t in tasks], [unit.pk]) if unit else {}
    on = today()
    for task in tasks:
        report = latest.get((task.pk, unit.pk)) if unit else None
        task.latest_report = report
        task.unit_status = report.status if report else TaskStatus.NOT_STARTED
        task.unit_status_label = STATUS_LABELS[task.unit_status]
        task.overdue_nodes = [m for m in task.milestones.all() if m.is_overdue(on)]
        task.overdue = overdue_rule.is_overdue(task, on)
    return tasks


def linked_tasks(*, indicator, unit) -> list[Task]:
    """Tasks linked to ``indicator`` whose lead or cooperating unit is ``unit``, each with ``latest_report``
    (that unit's latest progress report, or None), ``evidence`` (files of that unit's reports, newest first),
    ``unit_status`` / ``unit_status_label`` and ``overdue_nodes``.

    For the assessing unit's scoring page (安排什么考核什么); that page checks that the viewer scores the
    indicator. Render with ``{% include "plans/includes/linked_tasks.html" with tasks=... %}``.
    """
    if not hasattr(Task, "indicators"):
        return []
    tasks = (
        Task.objects.filter(indicators=indicator)
        .filter(Q(lead_unit=unit) | Q(cooperating_units=unit))
        .distinct()
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.filter(unit=unit).prefetch_related("evidence").order_by(
                    "-created_at", "-pk"),
                to_attr="unit_reports",
            )
        )
    )
    rows = unit_task_rows(tasks, unit)
    for task in rows:
        task.evidence = [e for r in task.unit_reports for e in r.evidence.all()]
    return rows


def score_map(owner) -> dict[str, Any] | None:
    """Each city's total in ``owner``'s latest *published* assessment (category 1 units with a ``region``).

    None when ``owner`` has no published campaign: scores of a campaign still being scored, computed or
    awaiting approval are never shown here. One query.
    """
    from fazhi.assessment.models import Campaign, CampaignStatus, Result
    from fazhi.orgs.models import Category

    latest = (Campaign.objects.filter(owner=owner, status=CampaignStatus.PUBLISHED)
              .order_by("-year", "-pk").values("pk")[:1])
    results = list(
        Result.objects.filter(campaign=Subquery(latest), campaign__status=CampaignStatus.PUBLISHED,
                              category=Category.CITIES)
        .exclude(unit__region="")
        .select_related("campaign", "unit")
        .order_by("-total", "unit__path")
    )
    if not results:
        return None
    campaign = results[0].campaign
    return {
        "campaign": {"id": campaign.pk, "name": campaign.name, "year": campaign.year},
        "regions": [{"name": r.unit.region, "value": format(r.total, "f"), "grade": str(r.get_grade_display()),
                     "unit": r.unit.short_name or r.unit.name} for r in results],
    }
