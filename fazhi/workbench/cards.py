"""The platform's own home cards of each role (a title, a figure, a line, a link, a tone), registered with
``fazhi.orgs.home.register_cards`` from ``WorkbenchConfig.ready()`` like any other app's. Every count goes through
the same policy functions as the page it links to, so a card never shows more than its page."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from fazhi.assessment import policies as assessment_policies
from fazhi.assessment.models import CampaignStatus, Score, ScoreStatus
from fazhi.assessment.policies import scoring_campaigns
from fazhi.orgs import policies
from fazhi.orgs.home import Card, register_cards
from fazhi.orgs.models import Role
from fazhi.plans import policies as plan_policies
from fazhi.plans.models import PlanStatus, Task
from fazhi.plans.overdue import overdue_filter
from fazhi.plans.policies import unit_tasks
from fazhi.portal.models import OpinionStatus
from fazhi.portal.policies import opinions_for
from fazhi.reports.models import ReportStatus
from fazhi.reports.selectors import reports_for
from fazhi.reviews.models import Feedback, FeedbackStatus, ReviewRequest, ReviewStatus
from fazhi.reviews.selectors import published_results_for_unit


def office_cards(user) -> list[Card]:

    cards: list[Card] = []
    # the office's own level first (a province office also oversees the cities' campaigns, but its card is its own)
    root = policies.jurisdiction(user)
    campaigns = assessment_policies.managed_campaigns(user)
    campaign = (campaigns.filter(owner=root) if root else campaigns).order_by("-year", "-pk").first()
    if campaign is not None:
        # Two aggregate counts, not the per-cell progress (which builds every indicator × unit cell: far too
        # much work for a page everyone opens first); the campaign's progress page has the full picture.
        counts = dict(campaign.scores.values_list("status").annotate(n=Count("pk")))
        submitted, drafts = counts.get(ScoreStatus.SUBMITTED, 0), counts.get(ScoreStatus.DRAFT, 0)
        cards.append(Card(
            _("年度考核"), campaign.get_status_display(),
            _("%(name)s：已提交评分 %(done)s 项，草稿 %(drafts)s 项")
            % {"name": campaign.name, "done": submitted, "drafts": drafts},
            reverse("assessment:campaign_detail", args=[campaign.pk]),
            "warn" if drafts or campaign.status == CampaignStatus.SCORING else "ok",
        ))
        open_reviews = ReviewRequest.objects.filter(feedback__campaign=campaign, status=ReviewStatus.OPEN).count()
        waiting = campaign.feedback.filter(status=FeedbackStatus.SENT).count()
        cards.append(Card(
            _("反馈与复核"), str(open_reviews),
            _("待决定的复核申请；另有 %(n)s 条反馈待考核对象核实") % {"n": waiting},
            reverse("reviews:campaign_detail", args=[campaign.pk]), "bad" if open_reviews else "ok",
        ))
    plans = plan_policies.manageable_plans(user).filter(status=PlanStatus.ACTIVE)
    plan = (plans.filter(owner=root) if root else plans).order_by("-year", "-pk").first()
    if plan is not None:
        overdue = plan.tasks.filter(overdue_filter()).count()
        cards.append(Card(
            _("计划督导"), str(overdue), _("%(plan)s：逾期任务") % {"plan": plan.title},
            reverse("plans:dashboard", args=[plan.pk]), "bad" if overdue else "ok",
        ))
    pending = reports_for(user).filter(status=ReportStatus.SUBMITTED).count()
    cards.append(Card(_("年度报告"), str(pending), _("已提交、待审核的年度报告"), reverse("reports:list"),
                      "warn" if pending else "ok"))
    opinions = opinions_for(user).filter(status=OpinionStatus.PENDING).count()
    cards.append(Card(_("社情民意"), str(opinions), _("待审核的公众意见"), reverse("portal:moderation"),
                      "warn" if opinions else "ok"))
    return cards


def assessing_cards(user) -> list[Card]:

    campaigns = scoring_campaigns(user)
    drafts = Score.objects.filter(campaign__in=campaigns, scored_by_unit=user.unit_id,
                                  status=ScoreStatus.DRAFT).count()
    open_reviews = ReviewRequest.objects.filter(
        status=ReviewStatus.OPEN, feedback__indicator__assessing_units=user.unit_id
    ).distinct().count()
    cards = [
        Card(_("考核评分"), str(campaigns.count()), _("本单位参与评分的年度考核；%(n)s 条评分为草稿未提交") % {"n": drafts},
             reverse("assessment:scoring_home"), "warn" if drafts else "ok"),
    ]
    if user.role == Role.ASSESSING:  # re-reviews are decided by assessing units and the office only
        cards.append(Card(_("复核申请"), str(open_reviews), _("涉及本单位指标、待决定的复核申请"),
                          reverse("reviews:review_queue"), "bad" if open_reviews else "ok"))
    return cards


def assessed_cards(user) -> list[Card]:

    counts = unit_tasks(user).aggregate(total=Count("pk", distinct=True),
                                        overdue=Count("pk", distinct=True, filter=Q(
                                            pk__in=Task.objects.filter(overdue_filter()).values("pk"))))
    overdue = counts["overdue"]
    to_verify = Feedback.objects.filter(unit=user.unit_id, status=FeedbackStatus.SENT).count()
    results = published_results_for_unit(user.unit).count() if user.unit_id else 0
    return [
        Card(_("我的任务"), str(counts["total"]), _("其中逾期 %(n)s 项") % {"n": overdue}, reverse("plans:my_tasks"),
             "bad" if overdue else "ok"),
        Card(_("考核反馈"), str(to_verify), _("待本单位在 5 个工作日内核实的反馈"), reverse("reviews:my_feedback"),
             "bad" if to_verify else "ok"),
        Card(_("我的考核结果"), str(results), _("已公布的考核结果"), reverse("reviews:my_results")),
        Card(_("年度报告"), "→", _("提交本单位的法治政府建设年度报告"), reverse("reports:list")),
    ]


def register() -> None:
    """The platform's cards for each role (the office's also for a platform administrator)."""
    register_cards(Role.OFFICE, office_cards, first=True)
    for role in (Role.ASSESSING, Role.EXPERT, Role.FIELD_TEAM, Role.SURVEY):
        register_cards(role, assessing_cards, first=True)
    register_cards(Role.ASSESSED, assessed_cards, first=True)
