"""Writes for plans and supervision (services: keyword-only, validated, atomic).

Permission checks happen here as well as in views: a service refuses an object outside the user's scope
with ``PermissionDenied`` (views turn out-of-scope objects into 404 before calling).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_noop

from fazhi.audit.services import record_event
from fazhi.io.uploads import EvidenceFileValidator
from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Unit

from . import policies, selectors
from .importing import DocumentError, NoOutline, read_preview
from .models import (
    EVIDENCE_EXTENSIONS,
    Evidence,
    ImportJob,
    ImportStatus,
    Milestone,
    Plan,
    PlanKind,
    PlanStatus,
    ProgressReport,
    Reminder,
    SupervisionNote,
    Task,
    TaskStatus,
)
from .overdue import overdue_rows

MAX_LEVEL = 4


@dataclass
class PreviewInvalid(Exception):
    """The edited preview has problems; nothing was written. ``errors``: (row number or None, message)."""

    errors: list[tuple[int | None, str]]

    def __str__(self) -> str:
        return "；".join((f"第{r}行：" if r else "") + m for r, m in self.errors)


def _require_office(user) -> Unit:
    root = org_policies.jurisdiction(user)
    if root is None:
        raise PermissionDenied
    return root


def _require_plan(user, plan: Plan) -> None:
    if not policies.can_manage_plan(user, plan):
        raise PermissionDenied


def _audit(user, action: str, target, *, owner: Unit, before: dict | None = None, after: dict | None = None,
           reason: str = "") -> None:
    """Record the write in the audit chain, scoped to the plan's jurisdiction (``owner``)."""
    record_event(actor=user, action=f"plans.{action}", target=target, before=before, after=after, reason=reason,
                 unit=owner)


def _task_fields(task: Task) -> dict:
    return {"title": task.title, "deadline": task.deadline, "status": task.status,
            "lead_unit": task.lead_unit.name if task.lead_unit_id else None}


# ---------------------------------------------------------------- plans and the import flow


@transaction.atomic
def plan_create(*, user, title: str, year: int, kind: str = PlanKind.ANNUAL, owner: Unit | None = None) -> Plan:
    """A plan built by hand (the office adds chapters and tasks afterwards)."""
    owner = owner or _require_office(user)
    if not org_policies.can_manage(user, owner):
        raise PermissionDenied
    plan = Plan(owner=owner, title=title.strip(), year=year, kind=kind, created_by=user)
    plan.full_clean()
    plan.save()
    _audit(user, "plan_create", plan, owner=owner, after={"title": plan.title, "year": plan.year, "kind": plan.kind})
    return plan


class LeadUnitsMissing(ValidationError):
    """下发 refused: ``tasks`` have no lead unit (nothing changed)."""

    def __init__(self, tasks: list[Task]):
        super().__init__(gettext_noop("有任务没有牵头单位，不能下发"))
        self.tasks = tasks


def plan_activate_consequences(plan: Plan) -> list[str]:
    """What 下发执行 will do, in numbers (the confirmation is bound to these sentences)."""
    from django.utils.translation import gettext as _

    leaves = plan.tasks.exclude(Exists(Task.objects.filter(parent=OuterRef("pk"))))
    leads = set(leaves.exclude(lead_unit__isnull=True).values_list("lead_unit_id", flat=True))
    cooperating = set(Task.cooperating_units.through.objects.filter(task__in=leaves).values_list("unit_id", flat=True))
    return [
        _("将下发“%(title)s”：%(tasks)d 项任务，%(units)d 个责任单位（牵头单位 %(leads)d 个、配合单位 %(coop)d 个）"
          "从现在起可以看到各自的任务并报送进展。") % {
            "title": plan.title, "tasks": leaves.count(), "units": len(leads | cooperating), "leads": len(leads),
            "coop": len(cooperating - leads)},
        _("其中 %(deadlines)d 项任务设有完成时限、%(milestones)d 个时间节点，逾期将开始计入督办。") % {
            "deadlines": leaves.exclude(deadline__isnull=True).count(),
            "milestones": Milestone.objects.filter(task__plan=plan).count()},
        _("下发后计划不能退回草稿。"),
    ]


def plan_activate_preview(*, user, plan: Plan):
    """The consequences of 下发执行 and a one-time confirmation (``fazhi.audit.confirm``); refused like the step."""
    from fazhi.audit.confirm import confirmation_issue

    _require_plan(user, plan)
    _check_activatable(plan)
    return confirmation_issue(user=user, action="plans.plan_activate", target=plan,
                              consequences=plan_activate_consequences(plan))


def _check_activatable(plan: Plan) -> None:
    from django.utils.translation import gettext as _

    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("计划已下发"))
    missing = list(selectors.tasks_without_lead(plan))
    if missing:
        raise LeadUnitsMissing(missing)


@transaction.atomic
def plan_activate(*, user, plan: Plan, confirmation=None) -> Plan:
    """下发执行 — units see the plan's tasks from now on. Refused (``LeadUnitsMissing``, with the list) while a
    task has no lead unit: nobody would be responsible for it, and 一键催办 could not reach anyone. Irreversible:
    needs the confirmation issued by ``plan_activate_preview`` while its numbers still hold."""
    from fazhi.audit.confirm import confirmation_redeem

    _require_plan(user, plan)
    locked = Plan.objects.select_for_update().get(pk=plan.pk)  # as it is now, not as the caller read it
    _check_activatable(locked)
    confirmation_redeem(user=user, token=confirmation, action="plans.plan_activate", target=locked,
                        consequences=plan_activate_consequences(locked))
    before = locked.status
    plan.status = PlanStatus.ACTIVE
    plan.save(update_fields=["status"])
    _audit(user, "plan_activate", plan, owner=plan.owner, before={"status": before}, after={"status": plan.status})
    return plan


def _validate_upload(name: str, size: int) -> None:
    if size == 0:
        raise ValidationError("文件为空")
    if size > settings.FAZHI_MAX_UPLOAD_BYTES:
        raise ValidationError(f"文件过大（上限 {settings.FAZHI_MAX_UPLOAD_BYTES // (1024 * 1024)} MB）")


@transaction.atomic
def import_job_create(*, user, upload, year: int | None = None, title: str = "", kind: str = PlanKind.ANNUAL) -> ImportJob:
    """Store the uploaded document and queue it; the caller starts ``tasks.run_import`` after commit."""
    owner = _require_office(user)
    _validate_upload(upload.name, upload.size)
    job = ImportJob(owner=owner, title=title.strip(), year=year, kind=kind, filename=Path(upload.name).name[:200],
                    created_by=user)
    job.source_file.save(job.filename, upload, save=False)
    job.full_clean()
    job.save()
    _audit(user, "import_job_create", job, owner=owner, after={"file": job.filename, "year": job.year})
    return job


@transaction.atomic
def import_job_fail(*, job: ImportJob, message: str) -> ImportJob:
    """The job could not be started or finished (e.g. the task queue refused it): failed, with the message shown
    on its page — never left pending."""
    job.status, job.error, job.progress = ImportStatus.FAILED, str(message)[:1000], 100
    job.save(update_fields=["status", "error", "progress", "updated_at"])
    _audit("system", "import_job_fail", job, owner=job.owner, after={"status": job.status, "message": job.error})
    return job


@transaction.atomic
def import_jobs_requeue(*, cutoff: datetime.datetime) -> list[ImportJob]:
    """Put back in the queue the imports pending or running with no progress since ``cutoff`` (a worker died or
    the message was lost); each is audited. The caller sends them again (``tasks.recover_imports``)."""
    stale = list(ImportJob.objects.select_for_update(skip_locked=True).filter(
        status__in=[ImportStatus.PENDING, ImportStatus.RUNNING], updated_at__lt=cutoff))
    for job in stale:
        before = job.status
        job.status = ImportStatus.PENDING
        job.save(update_fields=["status", "updated_at"])
        _audit("system", "import_job_requeue", job, owner=job.owner, before={"status": before},
               after={"status": job.status})
    return stale


def import_job_run(*, job_id: int) -> ImportJob:
    """Read the job's document into a preview, saving progress in steps (called by the Celery task)."""
    job = ImportJob.objects.get(pk=job_id)
    if job.status not in (ImportStatus.PENDING, ImportStatus.RUNNING):
        return job

    def progress(pct: int, _message: str) -> None:
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, progress=pct,
                                                   updated_at=timezone.now())

    progress(5, "开始")
    try:
        with job.source_file.open("rb") as fh:
            data = fh.read(settings.FAZHI_MAX_UPLOAD_BYTES + 1)
        preview = read_preview(data, job.filename, job.year, progress)
    except NoOutline as exc:
        job.status, job.error, job.no_outline, job.progress = ImportStatus.FAILED, exc.message, True, 100
    except DocumentError as exc:
        job.status, job.error, job.progress = ImportStatus.FAILED, exc.zh_message + (
            f"（{exc.detail}）" if exc.detail else ""), 100
    else:
        if not job.title:
            job.title = preview.get("title") or Path(job.filename).stem
        job.year = job.year or preview.get("year")
        job.preview, job.status, job.progress = preview, ImportStatus.READY, 100
    with transaction.atomic():
        job.save(update_fields=["title", "year", "preview", "status", "progress", "error", "no_outline",
                                "updated_at"])
        _audit("system", "import_job_run", job, owner=job.owner, after={
            "status": job.status, "rows": len((job.preview or {}).get("rows", [])), "message": job.error})
    return job


def rows_from_post(job: ImportJob, post) -> list[dict[str, Any]]:
    """Apply the preview form (fields ``<name>_<index>``) to the job's rows; unknown indexes are ignored."""
    rows = []
    for index, row in enumerate(job.preview.get("rows", [])):
        row = dict(row)
        if f"title_{index}" in post:
            row["title"] = post.get(f"title_{index}", "").strip()
            row["deadline"] = post.get(f"deadline_{index}", "").strip()
            row["deadline_rule"] = post.get(f"rule_{index}", "").strip()
            row["level"] = post.get(f"level_{index}", row["level"])
            row["lead_unit"] = post.get(f"lead_{index}") or None
            row["include"] = post.get(f"include_{index}") == "on"
        rows.append(row)
    return rows


def _check_rows(user, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validate the included rows (all problems at once); returns them cleaned, levels checked."""
    errors: list[tuple[int | None, str]] = []
    units = {str(u.pk): u for u in org_policies.managed_units(user)}
    included = [(i + 1, r) for i, r in enumerate(rows) if r.get("include")]
    if not included:
        raise PreviewInvalid([(None, "没有勾选任何条目，无法生成任务树")])
    previous_level = 0
    clean: list[dict[str, Any]] = []
    for number, row in included:
        item = dict(row)
        try:
            level = int(item.get("level") or 0)
        except (TypeError, ValueError):
            level = 0
        if not 1 <= level <= MAX_LEVEL:
            errors.append((number, f"层级应为 1–{MAX_LEVEL}"))
        elif level > previous_level + 1:
            errors.append((number, f"层级 {level} 跳级：上一条目是第 {previous_level or '—'} 级（删除上级后请调整下级的层级）"))
        previous_level = level if 1 <= level <= MAX_LEVEL else previous_level
        item["level"] = level
        title = (item.get("title") or "").strip()
        if not title:
            errors.append((number, "标题不能为空"))
        elif len(title) > 300:
            errors.append((number, "标题不能超过 300 字"))
        item["title"] = title
        deadline = item.get("deadline") or ""
        if deadline:
            try:
                item["deadline"] = datetime.date.fromisoformat(str(deadline))
            except ValueError:
                errors.append((number, f"完成时限“{deadline}”不是有效日期（YYYY-MM-DD）"))
        else:
            item["deadline"] = None
        lead = item.get("lead_unit")
        if lead:
            if str(lead) not in units:
                errors.append((number, "牵头单位不在您的管理范围内"))
            else:
                item["lead_unit"] = units[str(lead)]
        else:
            item["lead_unit"] = None
        item["deadline_rule"] = (item.get("deadline_rule") or "")[:100]
        clean.append(item)
    if errors:
        raise PreviewInvalid(errors)
    return clean


def _create_tree(plan: Plan, rows: list[dict[str, Any]]) -> list[Task]:
    parents: dict[int, Task] = {}
    created = []
    for sort, row in enumerate(rows, start=1):
        level = row["level"]
        task = Task(
            plan=plan, parent=parents.get(level - 1) if level > 1 else None, level=level,
            label=(row.get("label") or "")[:20], ordinal=row.get("ordinal") or 0, title=row["title"],
            text=row.get("text") or "", deadline=row["deadline"], deadline_rule=row["deadline_rule"],
            lead_unit=row["lead_unit"], sort=sort,
        )
        task.full_clean(exclude=["plan", "parent", "lead_unit"])
        task.save()
        parents[level] = task
        for deeper in [k for k in parents if k > level]:
            del parents[deeper]
        created.append(task)
    return created


@transaction.atomic
def import_job_confirm(*, user, job: ImportJob, rows: list[dict[str, Any]], title: str = "") -> Plan:
    """Create the plan and its whole tree from the edited preview in one transaction (all-or-nothing)."""
    if not org_policies.can_manage(user, job.owner):
        raise PermissionDenied
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportStatus.READY:
        raise PreviewInvalid([(None, "该导入任务不是待确认状态（可能已导入）")])
    job.preview = {**job.preview, "rows": rows}
    job.title = (title or job.title).strip()[:200]
    if not job.title:
        raise PreviewInvalid([(None, "请填写计划标题")])
    clean = _check_rows(user, rows)
    plan = Plan(owner=job.owner, title=job.title, year=job.year, kind=job.kind, created_by=user)
    plan.full_clean(exclude=["source_file"])
    plan.save()
    with job.source_file.open("rb") as fh:
        plan.source_file.save(job.filename, ContentFile(fh.read()), save=True)
    tasks = _create_tree(plan, clean)
    job.status, job.plan = ImportStatus.CONFIRMED, plan
    job.save(update_fields=["preview", "title", "status", "plan", "updated_at"])
    _audit(user, "import_job_confirm", plan, owner=plan.owner,
           after={"title": plan.title, "year": plan.year, "rows": len(tasks)})
    return plan


@transaction.atomic
def import_job_save_preview(*, user, job: ImportJob, rows: list[dict[str, Any]], title: str = "") -> ImportJob:
    """Keep the office's edits without creating anything (e.g. after a validation error)."""
    if not org_policies.can_manage(user, job.owner):
        raise PermissionDenied
    if job.status == ImportStatus.READY:
        job.preview = {**job.preview, "rows": rows}
        job.title = (title or job.title).strip()[:200]
        job.save(update_fields=["preview", "title", "updated_at"])
        _audit(user, "import_job_save_preview", job, owner=job.owner, after={"title": job.title, "rows": len(rows)})
    return job


# ---------------------------------------------------------------- tasks by hand, assignment


def _next_sort(plan: Plan, parent: Task | None) -> int:
    """Sort value placing a new item after its parent's last descendant (or at the end for a chapter)."""
    tasks = list(plan.tasks.order_by("sort").values_list("pk", "parent_id", "sort"))
    if parent is None or not tasks:
        return (tasks[-1][2] if tasks else 0) + 1
    subtree = {parent.pk}
    last = parent.sort
    for pk, parent_id, sort in tasks:
        if parent_id in subtree:
            subtree.add(pk)
            last = max(last, sort)
    plan.tasks.filter(sort__gt=last).update(sort=F("sort") + 1)
    return last + 1


@transaction.atomic
def task_create(
    *, user, plan: Plan, title: str, parent: Task | None = None, text: str = "",
    deadline: datetime.date | None = None, deadline_rule: str = "", lead_unit: Unit | None = None, label: str = "",
) -> Task:
    _require_plan(user, plan)
    if parent is not None and parent.plan_id != plan.pk:
        raise ValidationError("上级条目不属于该计划")
    if lead_unit is not None and not org_policies.can_manage(user, lead_unit):
        raise PermissionDenied
    siblings = plan.tasks.filter(parent=parent)
    task = Task(
        plan=plan, parent=parent, level=(parent.level + 1) if parent else 1, label=label.strip()[:20],
        ordinal=siblings.count() + 1, title=title.strip(), text=text, deadline=deadline,
        deadline_rule=deadline_rule[:100], lead_unit=lead_unit,
    )
    task.sort = _next_sort(plan, parent)
    task.full_clean()
    task.save()
    _audit(user, "task_create", task, owner=plan.owner, after=_task_fields(task))
    return task


TASK_FIELDS = ("title", "text", "label", "deadline", "deadline_rule")


@transaction.atomic
def task_update(*, user, task: Task, **fields) -> Task:
    _require_plan(user, task.plan)
    unknown = set(fields) - set(TASK_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    before = {name: getattr(task, name) for name in fields}
    for name, value in fields.items():
        setattr(task, name, value)
    task.full_clean()
    task.save(update_fields=list(fields))
    _audit(user, "task_update", task, owner=task.plan.owner, before=before,
           after={name: getattr(task, name) for name in fields})
    return task


@transaction.atomic
def task_delete(*, user, task: Task) -> None:
    _require_plan(user, task.plan)
    _audit(user, "task_delete", task, owner=task.plan.owner, before=_task_fields(task))
    task.delete()


@transaction.atomic
def task_assign(*, user, task: Task, lead_unit: Unit | None, cooperating_units=()) -> Task:
    """Set the lead unit (牵头单位) and cooperating units (配合单位), all within the office's scope."""
    _require_plan(user, task.plan)
    managed = org_policies.managed_units(user)
    wanted = [u for u in [lead_unit, *cooperating_units] if u is not None]
    if managed.filter(pk__in=[u.pk for u in wanted]).count() != len({u.pk for u in wanted}):
        raise PermissionDenied
    before = {"lead_unit": task.lead_unit.name if task.lead_unit_id else None,
              "cooperating_units": sorted(task.cooperating_units.values_list("name", flat=True))}
    task.lead_unit = lead_unit
    task.full_clean()
    task.save(update_fields=["lead_unit"])
    task.cooperating_units.set([u for u in cooperating_units if lead_unit is None or u.pk != lead_unit.pk])
    _audit(user, "task_assign", task, owner=task.plan.owner, before=before, after={
        "lead_unit": lead_unit.name if lead_unit else None,
        "cooperating_units": sorted(task.cooperating_units.values_list("name", flat=True))})
    return task


@transaction.atomic
def tasks_assign_bulk(*, user, plan: Plan, tasks, lead_unit: Unit | None = None, cooperating_units=(),
                      replace_cooperating: bool = False) -> int:
    """批量分配 — give many tasks of ``plan`` (a queryset) a lead unit and/or cooperating units at once.

    ``lead_unit`` None leaves each task's lead unit as it is; cooperating units are added to each task's (or
    replace them with ``replace_cooperating``); a task's lead unit is never also its cooperating unit. Headings
    (entries with entries under them) are skipped. All units must be within the office's scope. Returns how
    many tasks changed; one audit event lists them."""
    _require_plan(user, plan)
    cooperating_units = list(cooperating_units)
    wanted = [u for u in [lead_unit, *cooperating_units] if u is not None]
    if org_policies.managed_units(user).filter(pk__in=[u.pk for u in wanted]).count() != len({u.pk for u in wanted}):
        raise PermissionDenied
    if lead_unit is None and not cooperating_units and not replace_cooperating:
        raise ValidationError(gettext_noop("请选择牵头单位或配合单位"))
    chosen = list(tasks.filter(plan=plan).exclude(Exists(Task.objects.filter(parent=OuterRef("pk"))))
                  .prefetch_related("cooperating_units").order_by("sort", "pk"))
    changed = []
    for task in chosen:
        before = (task.lead_unit_id, {u.pk for u in task.cooperating_units.all()})
        lead = lead_unit if lead_unit is not None else task.lead_unit
        coop = ({u.pk for u in cooperating_units} if replace_cooperating
                else before[1] | {u.pk for u in cooperating_units})
        coop.discard(lead.pk if lead else None)
        if (lead.pk if lead else None, coop) == before:
            continue
        if lead_unit is not None and task.lead_unit_id != lead_unit.pk:
            task.lead_unit = lead_unit
            task.save(update_fields=["lead_unit"])
        task.cooperating_units.set(coop)
        changed.append(task)
    _audit(user, "tasks_assign_bulk", plan, owner=plan.owner, after={
        "tasks": [str(t) for t in changed], "lead_unit": lead_unit.name if lead_unit else None,
        "cooperating_units": sorted(u.name for u in cooperating_units), "replace_cooperating": replace_cooperating})
    return len(changed)


@transaction.atomic
def task_link_indicators(*, user, task: Task, indicators) -> Task:
    """安排什么考核什么 — link a task to indicators of a campaign (of the same jurisdiction)."""
    _require_plan(user, task.plan)
    if not hasattr(task, "indicators"):
        raise ValidationError("考核指标模块尚未启用")
    before = sorted(task.indicators.values_list("code", flat=True))
    task.indicators.set(indicators)
    _audit(user, "task_link_indicators", task, owner=task.plan.owner, before={"indicators": before},
           after={"indicators": sorted(task.indicators.values_list("code", flat=True))})
    return task


# ---------------------------------------------------------------- milestones, progress, supervision


@transaction.atomic
def milestone_create(*, user, task: Task, title: str, due: datetime.date) -> Milestone:
    _require_plan(user, task.plan)
    milestone = Milestone(task=task, title=title.strip(), due=due, sort=task.milestones.count() + 1)
    milestone.full_clean()
    milestone.save()
    _audit(user, "milestone_create", milestone, owner=task.plan.owner, after={"title": milestone.title, "due": due})
    return milestone


@transaction.atomic
def milestone_set_done(*, user, milestone: Milestone, done: bool = True) -> Milestone:
    _require_plan(user, milestone.task.plan)
    before = milestone.done_at is not None
    milestone.done_at = timezone.now() if done else None
    milestone.save(update_fields=["done_at"])
    _audit(user, "milestone_set_done", milestone, owner=milestone.task.plan.owner, before={"done": before},
           after={"done": done})
    return milestone


#: Evidence of progress reports: the shared rule (fazhi.io.uploads) over plans' wider list of types.
validate_evidence = EvidenceFileValidator(extensions=EVIDENCE_EXTENSIONS)


@transaction.atomic
def progress_report_create(
    *, user, task: Task, status: str, text: str, milestone: Milestone | None = None, files=(),
) -> ProgressReport:
    """A unit reports on its own task; the lead unit's report sets the task's status; a node reported
    完成 is marked done."""
    if not policies.can_report(user, task):
        raise PermissionDenied
    if milestone is not None and milestone.task_id != task.pk:
        raise ValidationError("节点不属于该任务")
    for upload in files:
        validate_evidence(upload)
    report = ProgressReport(task=task, milestone=milestone, unit=user.unit, status=status, text=text.strip(),
                            created_by=user)
    report.full_clean()
    report.save()
    for upload in files:
        evidence = Evidence(report=report, name=Path(upload.name).name[:200], size=upload.size)
        evidence.file.save(evidence.name, upload, save=False)
        evidence.full_clean()
        evidence.save()
    if task.lead_unit_id == user.unit_id or task.lead_unit_id is None:
        task.status = status
        task.save(update_fields=["status"])
    if milestone is not None and status == TaskStatus.DONE and milestone.done_at is None:
        milestone.done_at = report.created_at
        milestone.save(update_fields=["done_at"])
    Reminder.objects.filter(task=task, unit=user.unit, read_at__isnull=True).update(read_at=timezone.now())
    _audit(user, "progress_report_create", report, owner=task.plan.owner, after={
        "status": status, "text": report.text[:200], "files": [Path(f.name).name for f in files]})
    return report


@transaction.atomic
def supervision_note_create(*, user, task: Task, text: str, unit: Unit | None = None) -> SupervisionNote:
    """督导意见 by the office."""
    _require_plan(user, task.plan)
    note = SupervisionNote(task=task, text=text.strip(), unit=unit, author=user)
    note.full_clean()
    note.save()
    _audit(user, "supervision_note_create", note, owner=task.plan.owner, after={"text": note.text[:200]})
    return note


@transaction.atomic
def reminder_create(*, user, task: Task, unit: Unit, message: str, milestone: Milestone | None = None) -> Reminder:
    _require_plan(user, task.plan)
    if not org_policies.can_manage(user, unit):
        raise PermissionDenied
    reminder = Reminder(task=task, unit=unit, message=message.strip(), milestone=milestone, created_by=user)
    reminder.full_clean()
    reminder.save()
    _audit(user, "reminder_create", reminder, owner=task.plan.owner, after={"message": reminder.message[:200]})
    return reminder


@dataclass
class RemindOutcome:
    """What 一键催办 did: how many reminders went out, and each overdue task it could not remind, with why."""

    sent: int
    skipped: list[tuple[Task, str]]


#: Why an overdue task got no reminder (Chinese message ids, shown translated).
NO_LEAD_UNIT = gettext_noop("没有牵头单位")
REMINDED_TODAY = gettext_noop("今天已催办过牵头单位")


@transaction.atomic
def reminders_for_overdue(*, user, plan: Plan, on: datetime.date | None = None,
                          tasks=None) -> RemindOutcome:
    """一键催办 — one reminder per overdue task (the rule of ``overdue``) to its lead unit. Tasks with no lead
    unit, or whose lead unit was already reminded of them today, are skipped and listed with the reason.
    ``tasks``: only these (a queryset of the plan's tasks, e.g. the ones ticked on a page)."""
    _require_plan(user, plan)
    on = on or timezone.localdate()
    chosen = plan.tasks.all() if tasks is None else tasks.filter(plan=plan)
    rows = overdue_rows(chosen, on=on)
    start = timezone.make_aware(datetime.datetime.combine(on, datetime.time.min))
    reminded = set(Reminder.objects.filter(task__in=[r["task"].pk for r in rows], created_at__gte=start)
                   .values_list("task_id", "unit_id"))
    sent, skipped = 0, []
    for row in rows:
        task = row["task"]
        if task.lead_unit_id is None:
            skipped.append((task, NO_LEAD_UNIT))
            continue
        if (task.pk, task.lead_unit_id) in reminded:
            skipped.append((task, REMINDED_TODAY))
            continue
        nodes = "、".join(f"“{m.title}”" for m in row["nodes"])
        what = f"节点{nodes}" if nodes else "任务"
        Reminder.objects.create(
            task=task, milestone=row["nodes"][0] if row["nodes"] else None, unit=task.lead_unit, created_by=user,
            message=f"{task}：{what}已于 {row['due']:%Y-%m-%d} 到期，请尽快推进并报送进展。"[:500],
        )
        sent += 1
    _audit(user, "reminders_for_overdue", plan, owner=plan.owner,
           after={"count": sent, "skipped": [f"{t}：{why}" for t, why in skipped]})
    return RemindOutcome(sent=sent, skipped=skipped)


@transaction.atomic
def reminder_mark_read(*, user, reminder: Reminder) -> Reminder:
    if reminder.unit_id != user.unit_id:
        raise PermissionDenied
    was_read = reminder.read_at is not None
    reminder.read_at = reminder.read_at or timezone.now()
    reminder.save(update_fields=["read_at"])
    _audit(user, "reminder_mark_read", reminder, owner=reminder.task.plan.owner, before={"done": was_read},
           after={"done": True})
    return reminder
