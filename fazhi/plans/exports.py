"""Excel exports of a plan: tasks (the tree with units and deadlines), progress reports, overdue list."""

from __future__ import annotations

from fazhi.io.excel import Column, build_workbook

from . import selectors
from .models import Plan, ProgressReport, TaskStatus

STATUS = dict(TaskStatus.choices)


def tasks_workbook(plan: Plan) -> bytes:
    columns = [
        Column("level", "层级", width=6), Column("label", "编号", required=False, width=10),
        Column("title", "标题", width=50), Column("lead", "牵头单位", required=False, width=24),
        Column("cooperating", "配合单位", required=False, width=40),
        Column("deadline", "完成时限", required=False, width=12),
        Column("rule", "时限说明", required=False, width=16), Column("status", "状态", required=False, width=10),
        Column("milestones", "节点", required=False, width=40),
    ]
    rows = (
        {
            "level": t.level, "label": t.label, "title": t.title, "lead": str(t.lead_unit or ""),
            "cooperating": "、".join(u.name for u in t.cooperating_units.all()),
            "deadline": t.deadline.isoformat() if t.deadline else "", "rule": t.deadline_rule,
            "status": str(STATUS[t.status]),
            "milestones": "；".join(f"{m.title}（{m.due:%Y-%m-%d}{'，已完成' if m.done_at else ''}）"
                                   for m in t.milestones.all()),
        }
        for t in selectors.plan_tasks(plan)
    )
    return build_workbook("任务", columns, rows, instructions=[f"{plan.title}（{plan.year}年度）任务分解表"])


def progress_workbook(plan: Plan) -> bytes:
    columns = [
        Column("task", "任务", width=40), Column("node", "节点", required=False, width=24),
        Column("unit", "报送单位", width=24), Column("status", "状态", width=10),
        Column("text", "进展情况", width=60), Column("evidence", "佐证材料", required=False, width=30),
        Column("at", "报送时间", width=18),
    ]
    reports = (
        ProgressReport.objects.filter(task__plan=plan).select_related("task", "unit", "milestone")
        .prefetch_related("evidence").order_by("task__sort", "created_at")
    )
    rows = (
        {"task": str(r.task), "node": r.milestone.title if r.milestone else "", "unit": str(r.unit),
         "status": str(STATUS[r.status]), "text": r.text, "evidence": "、".join(e.name for e in r.evidence.all()),
         "at": r.created_at.astimezone().strftime("%Y-%m-%d %H:%M")}
        for r in reports
    )
    return build_workbook("进展", columns, rows, instructions=[f"{plan.title} 进展报送记录"])


def overdue_workbook(plan: Plan) -> bytes:
    columns = [
        Column("task", "任务", width=40), Column("node", "节点", required=False, width=24),
        Column("unit", "牵头单位", required=False, width=24), Column("due", "时限", width=12),
        Column("days", "逾期天数", width=10),
    ]
    rows = (
        {"task": str(i["task"]), "node": "、".join(m.title for m in i["nodes"]),
         "unit": str(i["unit"] or ""), "due": i["due"].isoformat(), "days": i["days"]}
        for i in selectors.overdue_items(plan)
    )
    return build_workbook("逾期", columns, rows, instructions=[f"{plan.title} 逾期任务（截止日期或节点已过、尚未完成）"])


def my_tasks_workbook(tasks, unit) -> bytes:
    """我的任务 — a unit's tasks as its page lists them (rows from ``selectors.unit_task_rows``)."""
    columns = [
        Column("plan", "计划", width=30), Column("task", "任务", width=40), Column("role", "本单位角色", width=10),
        Column("deadline", "完成时限", required=False, width=12), Column("status", "本单位状态", width=10),
        Column("overdue", "逾期", width=8),
    ]
    rows = ({"plan": t.plan.title, "task": str(t), "role": "牵头" if t.lead_unit_id == unit.pk else "配合",
             "deadline": t.deadline.isoformat() if t.deadline else "", "status": str(t.unit_status_label),
             "overdue": "是" if t.overdue else "否"} for t in tasks)
    return build_workbook("我的任务", columns, rows, instructions=[f"{unit.name} 的任务"])
