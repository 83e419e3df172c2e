"""Pages of plans and supervision. Thin: forms in, services for writes, selectors for reads.

Office pages: 403 for other roles (``role_required``); a plan or task outside the office's scope is 404.
Unit pages (考核对象/考核主体): their own tasks only; anything else 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.audit.confirm import record_refusal
from fazhi.audit.services import record_download
from fazhi.io.http import xlsx_response
from fazhi.io.jobs import BrokerUnavailable
from fazhi.io.params import parse_id, parse_ids, post_has_nul
from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role, Unit
from fazhi.templatetags.punctuation import colon, in_parens, lparen, rparen, semicolon

from . import exports, overdue, policies, selectors, services
from .forms import (
    AssignForm,
    ImportForm,
    MilestoneForm,
    NoteForm,
    PlanForm,
    ProgressForm,
    ReminderForm,
    TaskForm,
)
from .models import Evidence, ImportJob, ImportStatus, Milestone, Plan, PlanStatus, Reminder, Task, TaskStatus
from .tasks import import_job_dispatch

OFFICE = (Role.OFFICE,)
TASK_ROLES = policies.TASK_ROLES
UNIT_ROLES = policies.REPORTING_ROLES
office_only = org_policies.role_required(*OFFICE)


def _submit(request, form, action, *, done: str, failed: str) -> bool:
    """Run ``action(cleaned_data)`` for a valid form and flash the outcome; form errors and a service's refusal
    (ValidationError) are reported the same way, prefixed with ``failed``. Returns whether it succeeded."""
    if not form.is_valid():
        messages.error(request, failed + "；".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return False
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, failed + "；".join(exc.messages))
        return False
    messages.success(request, done)
    return True


def _plan(request, pk: int) -> Plan:
    return get_object_or_404(policies.manageable_plans(request.user).select_related("owner"), pk=pk)


def _managed_task(request, pk: int) -> Task:
    return get_object_or_404(Task.objects.filter(plan__in=policies.manageable_plans(request.user))
                             .select_related("plan"), pk=pk)


def _job(request, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.filter(owner__in=org_policies.managed_units(request.user)), pk=pk)


# ---------------------------------------------------------------- plans


@office_only
def plan_list(request):
    """计划督导 — the office's plans and recent imports."""
    plans = policies.manageable_plans(request.user).select_related("owner")
    jobs = ImportJob.objects.filter(owner__in=org_policies.managed_units(request.user)).exclude(
        status=ImportStatus.CONFIRMED)[:10]
    return render(request, "plans/plan_list.html", {"plans": plans, "jobs": jobs})


@office_only
@require_http_methods(["GET", "POST"])
def plan_create(request):
    """手工建立任务树 — a plan by hand."""
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(user=request.user, **form.cleaned_data)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("计划已建立，请添加章节和任务。"))
            return redirect("plans:plan_detail", pk=plan.pk)
    return render(request, "plans/plan_form.html", {"form": form}, status=400 if form.errors else 200)


@office_only
def plan_detail(request, pk: int):
    plan = _plan(request, pk)
    tasks = list(selectors.plan_tasks(plan))
    latest_on = selectors.today()
    parents = {t.parent_id for t in tasks}
    for task in tasks:
        task.has_children = task.pk in parents
        task.overdue_nodes = [m for m in task.milestones.all() if m.is_overdue(latest_on)]
        task.overdue = overdue.is_overdue(task, latest_on)
    return render(request, "plans/plan_detail.html", {
        "plan": plan, "tasks": tasks, "task_form": TaskForm(plan=plan), "statuses": dict(TaskStatus.choices),
        "missing_lead": sum(1 for t in tasks if not t.has_children and t.lead_unit_id is None),
    })


@office_only
@require_POST
def plan_activate(request, pk: int):
    """下发执行: first the consequences in numbers with a one-time confirmation (``services.plan_activate_preview``),
    then — posted back with it — the activation; a forged, replayed or stale confirmation is refused, audited and
    changes nothing."""
    plan = _plan(request, pk)
    token = request.POST.get("confirmation")
    try:
        if not token:
            issued = services.plan_activate_preview(user=request.user, plan=plan)
            return render(request, "includes/confirm.html", {
                "title": _("下发执行"), "subject": plan.title, "issued": issued,
                "action": reverse("plans:plan_activate", args=[plan.pk]),
                "back": reverse("plans:plan_detail", args=[plan.pk])})
        services.plan_activate(user=request.user, plan=plan, confirmation=token)
    except services.LeadUnitsMissing as exc:
        messages.error(request, _("有 %(count)d 项任务没有牵头单位，计划未下发：%(list)s") % {
            "count": len(exc.tasks), "list": semicolon().join(str(t) for t in exc.tasks)})
        return redirect(reverse("plans:bulk_assign", args=[plan.pk]) + "?missing=lead")
    except ValidationError as exc:
        if token:
            record_refusal(user=request.user, target=plan, action="plans.plan_activate", exc=exc)
        messages.error(request, "；".join(exc.messages))
        return redirect("plans:plan_detail", pk=plan.pk)
    messages.success(request, _("计划已下发，各责任单位可以查看任务并报送进展。"))
    return redirect("plans:plan_detail", pk=plan.pk)


BULK_PAGE_SIZE = 50


def _descendants(chapter_id: int) -> Q:
    """Entries under a chapter, at any of the levels a plan has (``services.MAX_LEVEL``)."""
    query, path = Q(), "parent"
    for _level in range(1, services.MAX_LEVEL):
        query |= Q(**{path: chapter_id})
        path += "__parent"
    return query


def _bulk_filters(request, plan: Plan):
    """The filtered tasks of the bulk page (``chapter``, ``missing=lead``, ``q``), in the database."""
    tasks = plan.tasks.exclude(Exists(Task.objects.filter(parent=OuterRef("pk"))))
    chapter = parse_id(request.GET.get("chapter", "")) if request.GET.get("chapter") else None
    if chapter:
        tasks = tasks.filter(_descendants(chapter))
    if request.GET.get("missing") == "lead":
        tasks = tasks.filter(lead_unit__isnull=True)
    query = request.GET.get("q", "").strip()[:100]
    if query:
        tasks = tasks.filter(Q(title__icontains=query) | Q(label__icontains=query))
    return tasks, {"chapter": chapter, "missing": request.GET.get("missing", ""), "q": query}


def _unit_by_name(units, name: str):
    """The unit the chooser named (its name or short name, within ``units``), or None."""
    found = list(units.filter(Q(name=name) | Q(short_name=name))[:2])
    return found[0] if len(found) == 1 else None


@office_only
@require_http_methods(["GET", "POST"])
def bulk_assign(request, pk: int):
    """批量分配 — lead and cooperating units for many tasks at once: ticked ones, or every task the filters
    select (a chapter, those without a lead unit, a search)."""
    plan = _plan(request, pk)
    units = org_policies.managed_units(request.user).filter(is_active=True).order_by("path")
    tasks, filters = _bulk_filters(request, plan)
    if request.method == "POST":
        if request.POST.get("scope") == "filtered":
            chosen = tasks
        else:
            ids = parse_ids(request.POST.getlist("tasks"))
            chosen = plan.tasks.filter(pk__in=ids or [])
        errors = []
        lead_name = request.POST.get("lead_unit", "").strip()
        lead = _unit_by_name(units, lead_name) if lead_name else None
        if lead_name and lead is None:
            errors.append(_("找不到单位“%(name)s”，请从列表中选择。") % {"name": lead_name})
        coop_ids = parse_ids(request.POST.getlist("cooperating_units"))
        cooperating = list(units.filter(pk__in=coop_ids or []))
        if coop_ids is None or len(cooperating) != len(set(coop_ids)):
            errors.append(_("所选配合单位不存在或不在您的管理范围内。"))
        if not chosen.exists():
            errors.append(_("请勾选任务，或选择“全部筛选结果”。"))
        if not errors:
            try:
                count = services.tasks_assign_bulk(
                    user=request.user, plan=plan, tasks=chosen, lead_unit=lead, cooperating_units=cooperating,
                    replace_cooperating=request.POST.get("mode") == "replace")
            except ValidationError as exc:
                errors.extend(_(m) for m in exc.messages)
            else:
                messages.success(request, _("已为 %(count)d 项任务分配责任单位。") % {"count": count})
                return redirect(request.get_full_path())
        for error in errors:
            messages.error(request, _("未分配：") + error)
    page = Paginator(tasks.select_related("lead_unit", "parent").prefetch_related("cooperating_units")
                     .order_by("sort", "pk"), BULK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "plans/bulk_assign.html", {
        "plan": plan, "page": page, "units": units, "filters": filters,
        "chapters": plan.tasks.filter(parent__isnull=True).order_by("sort", "pk"),
        "missing_count": selectors.tasks_without_lead(plan).count(), "query": request.GET.urlencode(),
    }, status=400 if request.method == "POST" else 200)


@office_only
@require_POST
def task_add(request, pk: int):
    plan = _plan(request, pk)

    def create(data):
        data = dict(data)
        parent_id = data.pop("parent")
        parent = get_object_or_404(plan.tasks, pk=parent_id) if parent_id else None
        services.task_create(user=request.user, plan=plan, parent=parent, **data)

    _submit(request, TaskForm(request.POST, plan=plan), create, done=_("已添加条目。"), failed=_("条目未添加："))
    return redirect("plans:plan_detail", pk=plan.pk)


# ---------------------------------------------------------------- import


@office_only
@require_http_methods(["GET", "POST"])
def import_start(request):
    """导入计划或年度工作安排 — upload; reading runs in the background with a progress bar."""
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.import_job_create(user=request.user, upload=data["file"], year=data["year"],
                                             title=data["title"], kind=data["kind"])
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            if import_job_dispatch(job=job):
                return redirect("plans:import_job", pk=job.pk)
            messages.error(request, BrokerUnavailable.message)  # the job is failed, nothing left pending
            return render(request, "plans/import_start.html", {"form": form}, status=503)
    return render(request, "plans/import_start.html", {"form": form}, status=400 if form.errors else 200)


def _preview_context(request, job: ImportJob, errors=()):
    units = list(org_policies.managed_units(request.user).filter(is_active=True).order_by("path"))
    rows = job.preview.get("rows", [])
    for index, row in enumerate(rows):
        row["index"] = index
    return {"job": job, "rows": rows, "units": units, "errors": errors, "levels": range(1, services.MAX_LEVEL + 1)}


@office_only
@require_http_methods(["GET", "POST"])
def import_job(request, pk: int):
    """The import's page: progress bar while reading, then the editable preview, then confirm."""
    job = _job(request, pk)
    if job.status == ImportStatus.CONFIRMED and job.plan_id:
        return redirect("plans:plan_detail", pk=job.plan_id)
    if request.method == "POST":
        if job.status != ImportStatus.READY:
            raise Http404
        if post_has_nul(request.POST):  # nothing is saved: PostgreSQL refuses a NUL in text and in JSON
            errors = [_("提交的内容含有不可见的控制字符（NUL），未保存。请删除后重试。")]
            return render(request, "plans/import_job.html", _preview_context(request, job, errors), status=400)
        rows = services.rows_from_post(job, request.POST)
        title = request.POST.get("plan_title", "")
        if request.POST.get("action") == "confirm":
            try:
                plan = services.import_job_confirm(user=request.user, job=job, rows=rows, title=title)
            except services.PreviewInvalid as exc:
                services.import_job_save_preview(user=request.user, job=job, rows=rows, title=title)
                job.refresh_from_db()
                errors = [(f"第{r}行：" if r else "") + m for r, m in exc.errors]
                return render(request, "plans/import_job.html", _preview_context(request, job, errors), status=400)
            messages.success(request, _("已导入 %(count)d 个条目。请分配牵头单位、设置节点后下发。")
                             % {"count": plan.tasks.count()})
            return redirect("plans:plan_detail", pk=plan.pk)
        services.import_job_save_preview(user=request.user, job=job, rows=rows, title=title)
        messages.success(request, _("修改已保存，尚未导入。"))
        return redirect("plans:import_job", pk=job.pk)
    return render(request, "plans/import_job.html", _preview_context(request, job))


@office_only
def import_progress(request, pk: int):
    """htmx fragment polled every second; when reading is over the page reloads into the preview."""
    job = _job(request, pk)
    if not job.is_running:
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    return render(request, "plans/includes/import_progress.html", {"job": job})


# ---------------------------------------------------------------- tasks


@org_policies.role_required(*TASK_ROLES)
def task_detail(request, pk: int):
    """A task: nodes, progress reports with evidence, supervision notes, reminders."""
    task = get_object_or_404(policies.visible_tasks(request.user).select_related("plan", "lead_unit", "parent"),
                             pk=pk)
    user = request.user
    manage = policies.can_manage_plan(user, task.plan)
    report = policies.can_report(user, task)
    reports = task.reports.select_related("unit", "milestone", "created_by").prefetch_related("evidence")
    notes = task.notes.select_related("author", "unit")
    reminders = task.reminders.select_related("unit", "milestone")
    if not manage:
        notes = notes.filter(unit__isnull=True) | notes.filter(unit=user.unit_id)
        reminders = reminders.filter(unit=user.unit_id)
    context = {
        "task": task, "manage": manage, "can_report": report, "reports": reports, "notes": notes,
        "reminders": reminders, "milestones": task.milestones.all(), "today": selectors.today(),
        "cooperating": task.cooperating_units.all(),
    }
    if manage:
        units = list(org_policies.managed_units(user).order_by("path"))
        assigned = [task.lead_unit, *task.cooperating_units.all()] if task.lead_unit_id else list(
            task.cooperating_units.all())
        context.update({
            "assign_form": AssignForm(units=units, initial={
                "lead_unit": task.lead_unit_id, "cooperating_units": [u.pk for u in task.cooperating_units.all()]}),
            "milestone_form": MilestoneForm(), "note_form": NoteForm(),
            "reminder_form": ReminderForm(units=assigned or units),
            "edit_form": TaskForm(plan=None, initial={"label": task.label, "title": task.title, "text": task.text,
                                                      "deadline": task.deadline, "deadline_rule": task.deadline_rule}),
            "indicators": _indicator_choices(user), "linked": set(task.indicators.values_list("pk", flat=True)),
        })
    if report:
        context["progress_form"] = ProgressForm(task=task)
    if user.role == Role.ASSESSING or org_policies.is_platform_admin(user):
        context["linked_indicators"] = task.indicators.select_related("campaign")
    return render(request, "plans/task_detail.html", context)


def _indicator_choices(user):
    from fazhi.assessment.models import Indicator

    return Indicator.objects.filter(campaign__owner__in=org_policies.managed_units(user),
                                    points__isnull=False).select_related("campaign").order_by("campaign", "sort")


@office_only
@require_POST
def task_edit(request, pk: int):
    task = _managed_task(request, pk)
    if request.POST.get("action") == "delete":
        plan_pk = task.plan_id
        services.task_delete(user=request.user, task=task)
        messages.success(request, _("条目已删除。"))
        return redirect("plans:plan_detail", pk=plan_pk)

    def update(data):
        fields = {k: v for k, v in data.items() if k in services.TASK_FIELDS}
        services.task_update(user=request.user, task=task, **fields)

    _submit(request, TaskForm(request.POST, plan=None), update, done=_("已保存。"), failed=_("未保存："))
    return redirect("plans:task_detail", pk=task.pk)


@office_only
@require_POST
def task_assign(request, pk: int):
    task = _managed_task(request, pk)
    units = org_policies.managed_units(request.user)
    form = AssignForm(request.POST, units=list(units))
    if form.is_valid():
        lead = units.filter(pk=form.cleaned_data["lead_unit"]).first() if form.cleaned_data["lead_unit"] else None
        cooperating = list(units.filter(pk__in=form.cleaned_data["cooperating_units"]))
        services.task_assign(user=request.user, task=task, lead_unit=lead, cooperating_units=cooperating)
        messages.success(request, _("责任单位已保存。"))
    else:
        messages.error(request, _("责任单位不在您的管理范围内。"))
    return redirect("plans:task_detail", pk=task.pk)


@office_only
@require_POST
def task_indicators(request, pk: int):
    task = _managed_task(request, pk)
    ids = parse_ids(request.POST.getlist("indicators"))
    indicators = list(_indicator_choices(request.user).filter(pk__in=ids)) if ids is not None else []
    if ids is None or len(indicators) != len(set(ids)):  # all or nothing: one unknown id and nothing changes
        messages.error(request, _("关联考核指标未保存：所选指标不存在或不在您的管理范围内。"))
        return redirect("plans:task_detail", pk=task.pk)
    services.task_link_indicators(user=request.user, task=task, indicators=indicators)
    messages.success(request, _("关联考核指标已保存。"))
    return redirect("plans:task_detail", pk=task.pk)


@office_only
@require_POST
def milestone_add(request, pk: int):
    task = _managed_task(request, pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.milestone_create(user=request.user, task=task, **form.cleaned_data)
        messages.success(request, _("节点已添加。"))
    else:
        messages.error(request, _("节点未添加：请填写名称和时限。"))
    return redirect("plans:task_detail", pk=task.pk)


@office_only
@require_POST
def milestone_done(request, pk: int):
    milestone = get_object_or_404(Milestone.objects.filter(task__plan__in=policies.manageable_plans(request.user)),
                                  pk=pk)
    services.milestone_set_done(user=request.user, milestone=milestone, done=request.POST.get("done") != "0")
    return redirect("plans:task_detail", pk=milestone.task_id)


@office_only
@require_POST
def note_add(request, pk: int):
    task = _managed_task(request, pk)
    form = NoteForm(request.POST)
    unit = None
    if request.POST.get("unit", "").strip():  # a note addressed to one unit: it must be one the office manages
        unit_id = parse_id(request.POST["unit"])
        unit = org_policies.managed_units(request.user).filter(pk=unit_id).first() if unit_id else None
        if unit is None:
            messages.error(request, _("督导意见未发送：所选单位不存在或不在您的管理范围内。"))
            return redirect("plans:task_detail", pk=task.pk)
    if form.is_valid():
        services.supervision_note_create(user=request.user, task=task, text=form.cleaned_data["text"], unit=unit)
        messages.success(request, _("督导意见已发送。"))
    else:
        messages.error(request, _("请填写督导意见。"))
    return redirect("plans:task_detail", pk=task.pk)


@office_only
@require_POST
def reminder_add(request, pk: int):
    task = _managed_task(request, pk)
    units = list(org_policies.managed_units(request.user))
    form = ReminderForm(request.POST, units=units)
    if form.is_valid():
        unit = Unit.objects.get(pk=form.cleaned_data["unit"])
        services.reminder_create(user=request.user, task=task, unit=unit, message=form.cleaned_data["message"])
        messages.success(request, _("催办提醒已发送。"))
    else:
        messages.error(request, _("请选择单位并填写提醒内容。"))
    return redirect("plans:task_detail", pk=task.pk)


@office_only
@require_POST
def remind_overdue(request, pk: int):
    plan = _plan(request, pk)
    outcome = services.reminders_for_overdue(user=request.user, plan=plan)
    _report_reminders(request, outcome)
    return redirect("plans:dashboard", pk=plan.pk)


def _report_reminders(request, outcome) -> None:
    """Flash how many reminders went out and, one by one, the overdue tasks that got none and why."""
    messages.success(request, _("已向逾期任务的牵头单位发送 %(count)d 条催办提醒。") % {"count": outcome.sent})
    if outcome.skipped:
        messages.warning(request, _("以下 %(count)d 项逾期任务未催办：%(list)s") % {
            "count": len(outcome.skipped),
            "list": semicolon().join(f"{task}{in_parens(_(why))}" for task, why in outcome.skipped)})


@org_policies.role_required(*UNIT_ROLES)
@require_POST
def report_add(request, pk: int):
    """A unit reports progress (status, text, evidence files) on its own task."""
    task = get_object_or_404(policies.unit_tasks(request.user), pk=pk)

    def report(data):
        milestone = task.milestones.filter(pk=data["milestone"]).first() if data["milestone"] else None
        services.progress_report_create(user=request.user, task=task, status=data["status"], text=data["text"],
                                        milestone=milestone, files=data["files"])

    _submit(request, ProgressForm(request.POST, request.FILES, task=task), report, done=_("进展已报送。"),
            failed=_("未报送："))
    return redirect("plans:task_detail", pk=task.pk)


@org_policies.role_required(*TASK_ROLES)
def evidence_download(request, pk: int):
    evidence = get_object_or_404(Evidence.objects.select_related("report"), pk=pk)
    if not policies.visible_tasks(request.user).filter(pk=evidence.report.task_id).exists():
        raise Http404
    record_download(user=request.user, target=evidence.report.task, what="plans.evidence", filename=evidence.name,
                    evidence=True)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)


@org_policies.role_required(*UNIT_ROLES)
def my_tasks(request):
    """我的任务 — tasks assigned to the user's unit, with reminders not yet read."""
    tasks = selectors.unit_task_rows(policies.unit_tasks(request.user), request.user.unit)
    reminders = Reminder.objects.filter(unit=request.user.unit_id, read_at__isnull=True,
                                        task__plan__status=PlanStatus.ACTIVE).select_related("task")
    if request.GET.get("format") == "xlsx":  # the same list as a workbook
        filename = f"{request.user.unit.name}-我的任务.xlsx"
        record_download(user=request.user, target=request.user.unit, what="plans.my_tasks", filename=filename)
        return xlsx_response(exports.my_tasks_workbook(tasks, request.user.unit), filename)
    return render(request, "plans/my_tasks.html", {"tasks": tasks, "reminders": reminders,
                                                   "overdue_count": sum(t.overdue for t in tasks)})


@org_policies.role_required(*UNIT_ROLES)
@require_POST
def reminder_read(request, pk: int):
    reminder = get_object_or_404(Reminder.objects.filter(unit=request.user.unit_id), pk=pk)
    services.reminder_mark_read(user=request.user, reminder=reminder)
    return redirect("plans:my_tasks")


# ---------------------------------------------------------------- dashboards and exports


@office_only
def dashboard(request, pk: int):
    """实景化展示 — completion by unit, chapter and node; overdue list; timeline; Henan map."""
    plan = _plan(request, pk)
    return render(request, "plans/dashboard.html", {
        "plan": plan, "data": selectors.dashboard(plan),
        "data_url": reverse("plans:dashboard_data", args=[plan.pk]),
        "labels": {"colon": colon(), "lparen": lparen(), "rparen": rparen(), "rate": _("完成率"),
                   "done": _("已完成"), "overdue": _("逾期"), "pending": _("未到期"), "no_tasks": _("无任务")},
    })


@office_only
def dashboard_data(request, pk: int):
    return JsonResponse(selectors.dashboard(_plan(request, pk)), json_dumps_params={"ensure_ascii": False})


@office_only
def export(request, pk: int, what: str):
    plan = _plan(request, pk)
    builders = {"tasks": exports.tasks_workbook, "progress": exports.progress_workbook,
                "overdue": exports.overdue_workbook}
    if what not in builders:
        raise Http404
    names = {"tasks": "任务", "progress": "进展", "overdue": "逾期"}
    filename = f"{plan.title}-{names[what]}.xlsx"
    record_download(user=request.user, target=plan, what=f"plans.{what}", filename=filename)
    return xlsx_response(builders[what](plan), filename)
