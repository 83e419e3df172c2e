"""待办 — the things a person has to do now, each a count and a link to the page where it is done.

Every count is a database count through the same scope functions as the page it links to (a number never
promises more than the page shows), so the workbench opens quickly for a province office too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.assessment import policies as assessment_policies
from fazhi.assessment.models import Score, ScoreStatus
from fazhi.orgs.models import Role
from fazhi.plans import policies as plan_policies
from fazhi.plans.models import Milestone, PlanStatus, Reminder, Task
from fazhi.plans.overdue import overdue_filter
from fazhi.plans.selectors import tasks_without_lead
from fazhi.portal.models import OpinionStatus
from fazhi.portal.policies import opinions_for
from fazhi.reports.models import AnnualReport, ReportStatus
from fazhi.reports.selectors import reports_for
from fazhi.reviews import policies as review_policies
from fazhi.reviews.models import (
    Feedback,
    FeedbackStatus,
    Rectification,
    RectificationStatus,
    ReviewRequest,
    ReviewStatus,
)
from fazhi.templatetags.punctuation import colon

#: How far ahead the workbench lists deadlines.
AHEAD = datetime.timedelta(days=30)
SCORERS = (Role.ASSESSING, Role.EXPERT, Role.FIELD_TEAM, Role.SURVEY)


@dataclass(frozen=True)
class Todo:
    """One 待办: what, how many, where to do it; ``tone`` "bad" when it is late, "warn" when it waits."""

    label: str
    count: int
    url: str
    tone: str = "warn"


@dataclass(frozen=True)
class Deadline:
    """A date ahead: what is due, when, and where to act on it."""

    when: datetime.date
    label: str
    url: str


def _office_todo(user) -> list[Todo]:
    plans = plan_policies.manageable_plans(user)
    campaigns = assessment_policies.managed_campaigns(user)
    active_tasks = Task.objects.filter(plan__in=plans.filter(status=PlanStatus.ACTIVE))
    draft_plans = list(plans.filter(status=PlanStatus.DRAFT).only("pk"))
    missing_lead = sum(tasks_without_lead(plan).count() for plan in draft_plans[:5])
    items = [
        Todo(_("逾期任务"), active_tasks.filter(overdue_filter()).count(), reverse("plans:plan_list"), "bad"),
        Todo(_("待审核的年度报告"), reports_for(user).filter(status=ReportStatus.SUBMITTED).count(),
             reverse("reports:list") + "?status=submitted"),
        Todo(_("待处理的社情民意"), opinions_for(user).filter(status=OpinionStatus.PENDING).count(),
             reverse("portal:moderation")),
        Todo(_("待决定的复核申请"),
             ReviewRequest.objects.filter(feedback__campaign__in=campaigns, status=ReviewStatus.OPEN).count(),
             reverse("reviews:campaign_list"), "bad"),
        Todo(_("待销号的整改报告"),
             review_policies.visible_rectifications(user).filter(status=RectificationStatus.REPORTED).count(),
             reverse("reviews:campaign_list")),
        Todo(_("待考核对象核实的反馈"),
             Feedback.objects.filter(campaign__in=campaigns, status=FeedbackStatus.SENT).count(),
             reverse("reviews:campaign_list")),
    ]
    if draft_plans:
        items.append(Todo(_("草稿计划中没有牵头单位的任务"), missing_lead,
                          reverse("plans:bulk_assign", args=[draft_plans[0].pk]) + "?missing=lead"))
    return items


def _scorer_todo(user) -> list[Todo]:
    campaigns = assessment_policies.scoring_campaigns(user)
    drafts = Score.objects.filter(campaign__in=campaigns, scored_by_unit=user.unit_id, status=ScoreStatus.DRAFT)
    items = [
        Todo(_("评分中的年度考核"), campaigns.count(), reverse("assessment:scoring_home")),
        Todo(_("已评未提交的评分"), drafts.count(), reverse("assessment:scoring_home")),
    ]
    if user.role == Role.ASSESSING:
        items.append(Todo(_("待决定的复核申请"), ReviewRequest.objects.filter(
            status=ReviewStatus.OPEN, feedback__indicator__assessing_units=user.unit_id).distinct().count(),
            reverse("reviews:review_queue"), "bad"))
    return items


def _assessed_todo(user) -> list[Todo]:
    tasks = plan_policies.unit_tasks(user)
    return [
        Todo(_("逾期任务"), tasks.filter(overdue_filter()).count(), reverse("plans:my_tasks"), "bad"),
        Todo(_("未读的催办提醒"), Reminder.objects.filter(unit=user.unit_id, read_at__isnull=True,
                                                        task__plan__status=PlanStatus.ACTIVE).count(),
             reverse("plans:my_tasks"), "bad"),
        Todo(_("待核实的考核反馈"), Feedback.objects.filter(unit=user.unit_id, status=FeedbackStatus.SENT).count(),
             reverse("reviews:my_feedback"), "bad"),
        Todo(_("整改中的事项"), Rectification.objects.filter(
            unit=user.unit_id, status__in=[RectificationStatus.OPEN, RectificationStatus.RETURNED]).count(),
             reverse("reviews:my_results")),
        Todo(_("被退回的年度报告"), AnnualReport.objects.filter(unit=user.unit_id,
                                                               status=ReportStatus.RETURNED).count(),
             reverse("reports:list") + "?status=returned", "bad"),
    ]


def todo_for(user) -> list[Todo]:
    """The user's 待办, those with something to do first (the rest stay listed with 0, so the list is stable)."""
    if user.is_superuser or user.role == Role.OFFICE:
        items = _office_todo(user)
    elif user.role in SCORERS:
        items = _scorer_todo(user)
    elif user.role == Role.ASSESSED:
        items = _assessed_todo(user)
    else:
        items = []
    return sorted(items, key=lambda t: t.count == 0)


def deadlines_for(user, *, limit: int = 8) -> list[Deadline]:
    """Dates in the next 30 days: nodes of the tasks the user's office supervises or its unit carries,
    feedback to verify, rectifications due. Soonest first."""
    today = timezone.localdate()
    end = today + AHEAD
    found: list[Deadline] = []
    if user.is_superuser or user.role == Role.OFFICE:
        tasks = Task.objects.filter(plan__in=plan_policies.manageable_plans(user).filter(status=PlanStatus.ACTIVE))
        rectifications = review_policies.visible_rectifications(user)
        feedback = Feedback.objects.none()
    elif user.role == Role.ASSESSED:
        tasks = plan_policies.unit_tasks(user)
        rectifications = Rectification.objects.filter(unit=user.unit_id)
        feedback = Feedback.objects.filter(unit=user.unit_id, status=FeedbackStatus.SENT)
    else:
        return []
    nodes = (Milestone.objects.filter(task__in=tasks, done_at__isnull=True, due__gte=today, due__lte=end)
             .select_related("task").order_by("due", "pk")[:limit])
    found += [Deadline(m.due, f"{m.task}{colon()}{m.title}", reverse("plans:task_detail", args=[m.task_id]))
              for m in nodes]
    own = tasks.filter(deadline__gte=today, deadline__lte=end).exclude(status="done").order_by("deadline")[:limit]
    found += [Deadline(t.deadline, str(t), reverse("plans:task_detail", args=[t.pk])) for t in own]
    due = rectifications.filter(due_date__gte=today, due_date__lte=end).exclude(
        status=RectificationStatus.SIGNED_OFF).select_related("unit").order_by("due_date")[:limit]
    found += [Deadline(r.due_date, _("整改期限") + colon() + r.title,
                       reverse("reviews:rectification_detail", args=[r.pk])) for r in due]
    verify = feedback.filter(Q(deadline__isnull=False)).order_by("deadline")[:limit]
    found += [Deadline(timezone.localtime(f.deadline).date(), _("反馈核实截止"),
                       reverse("reviews:feedback_detail", args=[f.pk])) for f in verify]
    return sorted(found, key=lambda d: d.when)[:limit]
