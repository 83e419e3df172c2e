"""Data scope for plans and tasks (who may see, manage or report on what). Fails closed.

- an office (考核办) manages the plans owned by units of its jurisdiction (``orgs.policies.managed_units``);
- a lead or cooperating unit (people of role 考核对象, or 考核主体 when their unit is itself assigned a task)
  sees and reports on the tasks of *active* plans assigned to its own unit, nothing else;
- an assessing unit sees the tasks linked to an indicator it scores through ``selectors.linked_tasks``,
  called by the assessment scoring page that checked the assignment;
- everyone else: nothing (views answer 403 for the page, 404 for an object outside the scope).
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role

from .models import Plan, PlanStatus, Task

#: Roles that carry out tasks and report progress for their own unit.
REPORTING_ROLES = (Role.ASSESSED, Role.ASSESSING)
#: Roles that may open the task pages at all (others get 403).
TASK_ROLES = (Role.OFFICE, *REPORTING_ROLES)


def manageable_plans(user):
    if not org_policies.has_role(user, Role.OFFICE):
        return Plan.objects.none()
    return Plan.objects.filter(owner__in=org_policies.managed_units(user))


def can_manage_plan(user, plan: Plan) -> bool:
    return manageable_plans(user).filter(pk=plan.pk).exists()


def unit_tasks(user):
    """Tasks of active plans assigned to the user's own unit (lead or cooperating)."""
    if not user.is_authenticated or user.role not in REPORTING_ROLES or not user.unit_id:
        return Task.objects.none()
    return (
        Task.objects.filter(plan__status=PlanStatus.ACTIVE)
        .filter(Q(lead_unit_id=user.unit_id) | Q(cooperating_units__id=user.unit_id))
        .distinct()
    )


def assessor_tasks(user):
    """Tasks of active plans linked to an indicator the user's unit scores, in a campaign past drafting
    (read-only: the assessing unit sees progress and evidence, 安排什么考核什么)."""
    if not user.is_authenticated or user.role != Role.ASSESSING or not user.unit_id:
        return Task.objects.none()
    from fazhi.assessment.models import CampaignStatus, Indicator

    scored = Indicator.objects.filter(assessing_units=user.unit_id).exclude(campaign__status=CampaignStatus.DRAFT)
    return Task.objects.filter(plan__status=PlanStatus.ACTIVE, indicators__in=scored).distinct()


def visible_tasks(user):
    """Tasks the user may open: an office those of its plans, a unit those assigned to it, an assessing
    unit also those linked to indicators it scores."""
    if org_policies.has_role(user, Role.OFFICE):
        return Task.objects.filter(plan__in=manageable_plans(user))
    if user.is_authenticated and user.role == Role.ASSESSING:
        return Task.objects.filter(Q(pk__in=unit_tasks(user).values("pk")) | Q(pk__in=assessor_tasks(user).values("pk")))
    return unit_tasks(user)


def can_report(user, task: Task) -> bool:
    """A unit reports on its own tasks only (lead or cooperating) of an active plan."""
    return unit_tasks(user).filter(pk=task.pk).exists()


# ---------------------------------------------------------------- the vocabulary shared by every app's policies


def plans_for(user, action: str = "manage"):
    if action != "manage":
        raise ValueError(f"unknown action {action!r}")
    return manageable_plans(user)


def get_plan_or_404(user, pk: int, action: str = "manage") -> Plan:
    plan = plans_for(user, action).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def tasks_for(user, action: str = "view"):
    """``view``: tasks the user may open; ``manage``: tasks of the plans it manages; ``report``: its own."""
    if action == "view":
        return visible_tasks(user)
    if action == "manage":
        return Task.objects.filter(plan__in=manageable_plans(user))
    if action == "report":
        return unit_tasks(user)
    raise ValueError(f"unknown action {action!r}")


def get_task_or_404(user, pk: int, action: str = "view") -> Task:
    task = tasks_for(user, action).filter(pk=pk).first()
    if task is None:
        raise Http404
    return task
