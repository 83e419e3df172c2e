"""Demo plan: seed 003 (河南省2020年度法治政府建设工作安排) imported through the same import service the office
uses, assigned, given milestones and progress (some overdue), linked to indicators when the assessment demo
campaign exists. Everything is labelled ``is_demo``.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from . import services
from .models import Plan, Task, TaskStatus

SEEDS = Path(__file__).resolve().parents[1] / "demo" / "seeds"
#: 省司法厅 leads most tasks (it is the 法治政府建设 office's department); a few go to other departments.
LEAD_BY_KEYWORD = [
    ("信用", "省发展改革委"), ("价格", "省发展改革委"), ("生态环境", "省生态环境厅"), ("政务公开", "省政府办公厅"),
    ("信息公开", "省政府办公厅"), ("政务服务", "省大数据局"), ("信访", "省信访局"), ("市场准入", "省商务厅"),
]
CITY_CODES = ["410100", "410200", "410300", "410400", "410500", "410600", "410700", "410800", "410900",
              "411000", "411100", "411200", "411300", "411400", "411500", "411600", "411700", "419001"]


def _seed_003() -> Path:
    base = Path(getattr(settings, "FAZHI_SEEDS_DIR", "") or SEEDS)
    return next(base.glob("003_*.txt"), None) or next(SEEDS.glob("003_*.txt"))


def load(*, units, people, stdout) -> Plan | None:
    office = people["office"]
    if Plan.objects.filter(is_demo=True, owner=units["410000"]).exists():
        stdout.write("plans: demo plan already loaded")
        return Plan.objects.filter(is_demo=True, owner=units["410000"]).first()
    path = _seed_003()
    job = services.import_job_create(user=office, upload=SimpleUploadedFile(path.name, path.read_bytes()),
                                     year=2020, kind="annual")
    job = services.import_job_run(job_id=job.pk)
    if job.status != "ready":
        stdout.write(f"plans: demo import failed: {job.error}")
        return None
    by_name = {u.name: u for u in units.values()}
    judicial = by_name["省司法厅"]
    rows = []
    for row in job.preview["rows"]:
        lead = next((by_name[name] for key, name in LEAD_BY_KEYWORD if key in row["title"]), judicial)
        rows.append({**row, "lead_unit": lead.pk if row["level"] > 1 else None})
    plan = services.import_job_confirm(user=office, job=job, rows=rows)
    plan.is_demo = True
    plan.save(update_fields=["is_demo"])
    issued = services.plan_activate_preview(user=office, plan=plan)  # as the office confirms it on the plan page
    services.plan_activate(user=office, plan=plan, confirmation=issued.token)

    cities = [units[c] for c in CITY_CODES]
    today = timezone.localdate()
    tasks = list(plan.tasks.filter(level=2).order_by("sort"))
    for index, task in enumerate(tasks):
        services.task_assign(user=office, task=task, lead_unit=task.lead_unit,
                             cooperating_units=[cities[(index + k) % len(cities)] for k in range(3)])
        # two nodes per task: one already due, one later; the schedule spreads over the year
        first_due = today - datetime.timedelta(days=60 - index)
        services.milestone_create(user=office, task=task, title="制定工作方案", due=first_due)
        services.milestone_create(user=office, task=task, title="完成并报送总结", due=today + datetime.timedelta(days=30 + index))
    _progress(plan, tasks, cities, people, units)
    _link_indicators(plan, office)
    stdout.write(f"plans: demo plan “{plan.title}” with {len(tasks)} tasks")
    return plan


def _reporter(unit, people):
    """A user reporting for ``unit`` (the demo has one person per role; others are created as needed)."""
    from fazhi.orgs.models import Role, User

    existing = next((p for p in people.values() if p.unit_id == unit.pk and p.role in (Role.ASSESSED,
                                                                                       Role.ASSESSING)), None)
    if existing:
        return existing
    user, _created = User.objects.get_or_create(
        username=f"demo-liaison-{unit.code}",
        defaults={"display_name": f"{unit.name} 联络员", "unit": unit, "role": Role.ASSESSED},
    )
    return user


def _progress(plan: Plan, tasks: list[Task], cities, people, units) -> None:
    """Progress for about two thirds of the tasks: some done, some in progress, a few lagging (overdue)."""
    for index, task in enumerate(tasks):
        node = task.milestones.order_by("due").first()
        pattern = index % 6
        if pattern == 5:
            continue  # no report: the first node is overdue
        status = [TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.LAGGING, TaskStatus.IN_PROGRESS][
            pattern]
        lead = _reporter(task.lead_unit, people)
        services.progress_report_create(
            user=lead, task=task, status=status, milestone=node if status == TaskStatus.DONE else None,
            text={TaskStatus.DONE: "已按节点完成，材料已上传。", TaskStatus.IN_PROGRESS: "正在按计划推进。",
                  TaskStatus.LAGGING: "受疫情影响进度滞后，正在加快推进。"}[status],
            files=[SimpleUploadedFile("工作方案.txt", f"{task.title} 工作方案（演示）".encode())] if status == "done" else (),
        )
        if pattern == 1:  # in progress, first node met
            node.done_at = timezone.now()
            node.save(update_fields=["done_at"])
        for city in task.cooperating_units.all()[: 1 + index % 3]:
            services.progress_report_create(
                user=_reporter(city, people), task=task, text="本地已部署落实。",
                status=TaskStatus.DONE if (index + city.sort_order) % 3 else TaskStatus.IN_PROGRESS,
            )


def _link_indicators(plan: Plan, office) -> int:
    """Link tasks to indicators of the latest demo campaign (by keyword), when the assessment demo has made one."""
    from fazhi.assessment.models import Campaign, Indicator

    campaign = Campaign.objects.filter(owner=plan.owner).order_by("-year").first()
    if campaign is None:  # the assessment demo has not run (yet): see link_demo_indicators
        return 0
    leaves = list(Indicator.objects.filter(campaign=campaign, points__isnull=False).order_by("sort"))
    if not leaves:
        return 0
    linked = 0
    for task in plan.tasks.filter(level=2):
        match = [i for i in leaves if any(word in i.title for word in _keywords(task.title))]
        if match:
            services.task_link_indicators(user=office, task=task, indicators=match[:2])
            linked += 1
    return linked


def link_demo_indicators(*, people) -> int:
    """For the assessment demo, which loads after this one: link the demo plan's tasks to its indicators."""
    plan = Plan.objects.filter(is_demo=True).order_by("pk").first()
    return _link_indicators(plan, people["office"]) if plan else 0


def _keywords(title: str) -> list[str]:
    words = ["立法", "规范性文件", "决策", "执法", "监督", "政务公开", "复议", "应诉", "信访", "学法", "述法",
             "培训", "营商环境", "信用", "政务服务", "法律顾问", "矛盾纠纷", "宣传"]
    return [w for w in words if w in title]
