"""A province-sized plan for ``fazhi demo_scale``: the current year's work arrangement with chapters, tasks led
by provincial units and cities, cooperating units, two nodes per task and progress reports (bulk)."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from fazhi.io.bulk import insert_rows

from .models import Milestone, Plan, PlanStatus, ProgressReport, Task, TaskStatus

CHAPTERS = ["一、深入学习贯彻习近平法治思想", "二、依法全面履行政府职能", "三、健全依法行政制度体系",
            "四、严格规范公正文明执法", "五、强化行政权力制约和监督", "六、依法化解社会矛盾纠纷"]
TOPICS = ["重大行政决策合法性审查", "行政规范性文件备案审查", "行政执法“三项制度”", "行政复议体制改革",
          "法治化营商环境", "政务公开标准化", "行政执法协调监督工作体系", "“八五”普法中期评估", "法律顾问制度",
          "行政应诉工作", "证明事项告知承诺制", "综合行政执法改革", "数字法治政府", "信访工作法治化"]
TEXTS = {TaskStatus.DONE: "已按节点完成，材料已上传。", TaskStatus.IN_PROGRESS: "正在按计划推进。",
         TaskStatus.LAGGING: "进度滞后，正在加快推进。"}


def scale(*, ctx) -> None:
    rng: random.Random = ctx.rng
    province = ctx.units["410000"]
    year = max(c.year for c in ctx.campaigns) if ctx.campaigns else timezone.localdate().year
    plan = Plan.objects.create(owner=province, title=f"{year}年河南省法治政府建设工作安排（规模化演示）", year=year,
                               status=PlanStatus.ACTIVE, created_by=ctx.office, is_demo=True)
    leads = [u for u in ctx.units.values() if u.parent_id == province.pk and u.category] + ctx.scaled.provincial
    cities = [u for u in ctx.units.values() if u.parent_id == province.pk and u.category == 1]
    n_tasks = max(len(CHAPTERS) * 2, ctx.indicators)
    chapters = Task.objects.bulk_create(
        [Task(plan=plan, level=1, label=title.split("、")[0], ordinal=i, title=title.split("、", 1)[1], sort=i * 1000)
         for i, title in enumerate(CHAPTERS, start=1)])
    statuses = [TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.LAGGING, TaskStatus.IN_PROGRESS,
                TaskStatus.NOT_STARTED]
    today = timezone.localdate()
    tasks = []
    for i in range(n_tasks):
        chapter = chapters[i % len(chapters)]
        topic = TOPICS[i % len(TOPICS)]
        tasks.append(Task(
            plan=plan, parent=chapter, level=2, label=f"（{i // len(chapters) + 1}）", ordinal=i + 1,
            title=f"推进{topic}" if i < len(TOPICS) else f"推进{topic}（第{i // len(TOPICS) + 1}项）",
            text=f"围绕{topic}，制定工作方案，明确责任分工，按节点推进落实，年底前报送工作总结。",
            deadline=datetime.date(year, 12, 31), deadline_rule="年底前", lead_unit=rng.choice(leads),
            status=statuses[i % len(statuses)], sort=chapter.sort + i + 1))
    tasks = Task.objects.bulk_create(tasks, batch_size=500)
    through = Task.cooperating_units.through
    through.objects.bulk_create([through(task_id=t.pk, unit_id=c.pk) for t in tasks for c in rng.sample(cities, 3)],
                                batch_size=1000)
    nodes = []
    for i, task in enumerate(tasks):
        nodes.append(Milestone(task=task, title="制定工作方案", due=today - datetime.timedelta(days=60 - i % 50),
                               done_at=timezone.now() if task.status == TaskStatus.DONE else None, sort=1))
        nodes.append(Milestone(task=task, title="完成并报送总结", due=today + datetime.timedelta(days=30 + i % 60),
                               sort=2))
    Milestone.objects.bulk_create(nodes, batch_size=1000)
    now = timezone.now()
    count = insert_rows(ProgressReport, ["task_id", "unit_id", "status", "text", "created_by_id", "created_at"], (
        (t.pk, t.lead_unit_id, t.status, TEXTS[t.status], None, now) for t in tasks
        if t.status != TaskStatus.NOT_STARTED))
    ctx.stdout.write(f"  plans: {plan.title} — {len(tasks)} tasks, {len(nodes)} nodes, {count} progress reports")
