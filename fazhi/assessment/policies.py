"""Who may see and do what in an assessment campaign, built on ``fazhi.orgs.policies`` (fail closed).

- office (考核办): campaigns whose ``owner`` is in ``managed_units(user)`` — its own level and below
  (分级考核, DOMAIN.md §5.9: a city office never sees the province's campaign);
- assessing unit (考核主体): campaigns past drafting where its unit scores at least one indicator, and
  within them only those indicators × the units they apply to;
- experts (集中评查), field teams (实地考核) and survey providers (满意度调查), DOMAIN.md §2 and §5.1: the same
  as an assessing unit, but only for indicators of their own method (``SCORER_METHODS``);
- evidence of a score (``can_see_score``): the office, the unit that scores (or scored) it, and the assessed
  unit — only its own, only once the campaign is published;
- approver (审定人: the leadership of the level's 法治建设 committee or its delegate): the campaigns of its own
  level (``owner`` = the government its unit serves), past computing — it approves or returns them, never prepares;
- everyone else (the public…): nothing here. Published results are shown by the publication/portal apps.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role

from .models import Campaign, CampaignStatus, Indicator, Method, Score


def is_office(user) -> bool:
    return org_policies.has_role(user, Role.OFFICE)


def managed_campaigns(user):
    """Campaigns the user runs as an office (or all, for a platform admin)."""
    if org_policies.is_platform_admin(user):
        return Campaign.objects.all()
    if not user.is_authenticated or user.role != Role.OFFICE:
        return Campaign.objects.none()
    return Campaign.objects.filter(owner__in=org_policies.managed_units(user))


def approval_root(user):
    """The government whose campaigns an approver approves (its unit's parent, like an office's jurisdiction)."""
    if not user.is_authenticated or user.role != Role.APPROVER or not user.unit_id:
        return None
    unit = user.unit
    return unit.parent if unit.parent_id else unit


#: the statuses an approver deals with (from submission on; earlier the results are still being prepared)
APPROVER_STATUSES = (CampaignStatus.SUBMITTED, CampaignStatus.APPROVED, CampaignStatus.PUBLISHED,
                     CampaignStatus.NOTIFIED)


def approvable_campaigns(user):
    """Campaigns of the approver's own level once submitted (a level approves its own campaigns only)."""
    root = approval_root(user)
    if root is None:
        return Campaign.objects.none()
    return Campaign.objects.filter(owner=root, status__in=APPROVER_STATUSES)


def lifecycle_campaigns(user):
    """Campaigns whose lifecycle page the user may open: the office's, and the approver's."""
    if user.is_authenticated and user.role == Role.APPROVER:
        return approvable_campaigns(user)
    return managed_campaigns(user)


#: Roles that score indicators, and the methods each may score (None: any method assigned to its unit).
SCORER_METHODS: dict[str, tuple[str, ...] | None] = {
    Role.ASSESSING: None,
    Role.EXPERT: (Method.REVIEW,),
    Role.FIELD_TEAM: (Method.FIELD,),
    Role.SURVEY: (Method.SURVEY,),
}
SCORER_ROLES = tuple(SCORER_METHODS)


def is_scorer(user) -> bool:
    return bool(user.is_authenticated and user.role in SCORER_METHODS and user.unit_id)


def _assigned_leaves(user):
    """Leaf indicators assigned to the user's unit that the user's role may score (any campaign)."""
    if not is_scorer(user):
        return Indicator.objects.none()
    leaves = Indicator.objects.filter(points__isnull=False, assessing_units=user.unit_id)
    methods = SCORER_METHODS[user.role]
    if methods is not None:
        leaves = leaves.filter(method__in=methods)
    return leaves


def scoring_campaigns(user):
    """Campaigns in which the user's unit scores something (not while the office is still drafting)."""
    if not is_scorer(user):
        return Campaign.objects.none()
    return (
        Campaign.objects.filter(pk__in=_assigned_leaves(user).values("campaign_id"))
        .exclude(status=CampaignStatus.DRAFT)
    )


def campaigns_for(user, action: str = "manage"):
    """The vocabulary shared by every app's policies: ``manage`` (an office's campaigns) or ``score``."""
    if action == "manage":
        return managed_campaigns(user)
    if action == "score":
        return scoring_campaigns(user)
    if action == "approve":
        return approvable_campaigns(user)
    raise ValueError(f"unknown action {action!r}")


def get_campaign_or_404(user, pk: int, action: str = "manage") -> Campaign:
    return get_object_or_404(campaigns_for(user, action).select_related("owner", "previous"), pk=pk)


def get_managed_campaign(user, pk: int) -> Campaign:
    """The campaign if the user manages it; 404 otherwise (do not reveal it exists)."""
    return get_object_or_404(managed_campaigns(user).select_related("owner", "previous"), pk=pk)


def get_scoring_campaign(user, pk: int) -> Campaign:
    return get_object_or_404(scoring_campaigns(user).select_related("owner"), pk=pk)


def scorable_indicators(user, campaign: Campaign):
    """Leaf indicators of ``campaign`` the user's unit scores, of the methods its role may score (admins: all)."""
    leaves = Indicator.objects.filter(campaign=campaign, points__isnull=False)
    if org_policies.is_platform_admin(user):
        return leaves
    return leaves.filter(pk__in=_assigned_leaves(user).filter(campaign=campaign).values("pk"))


def scorable_indicators_in(user, campaigns):
    """``scorable_indicators`` for several campaigns in one queryset (a list page counts all of them at once)."""
    leaves = Indicator.objects.filter(campaign__in=campaigns, points__isnull=False)
    if org_policies.is_platform_admin(user):
        return leaves
    return leaves.filter(pk__in=_assigned_leaves(user).filter(campaign__in=campaigns).values("pk"))


def ensure_can_score(user, campaign: Campaign, indicator: Indicator) -> None:
    """404 unless the user's unit scores ``indicator`` in ``campaign``."""
    if indicator.campaign_id != campaign.pk or not scorable_indicators(user, campaign).filter(pk=indicator.pk).exists():
        raise Http404


def can_see_score(user, score: Score) -> bool:
    """May the user see this score and its evidence files?

    The office of the campaign; the unit that scores the indicator (or that scored this cell); the assessed
    unit — its own score only, and only once the results are published (DOMAIN.md §5.6).
    """
    if not user.is_authenticated:
        return False
    if managed_campaigns(user).filter(pk=score.campaign_id).exists():
        return True
    if is_scorer(user):
        if score.campaign.status == CampaignStatus.DRAFT:
            return False
        if scorable_indicators(user, score.campaign).filter(pk=score.indicator_id).exists():
            return True
        return score.scored_by_unit_id == user.unit_id
    if user.role == Role.ASSESSED and user.unit_id:
        # released: 公布 or 通报 (``disclosure.RELEASED``; the assessed unit sees its own detail either way)
        return (score.campaign.status in (CampaignStatus.PUBLISHED, CampaignStatus.NOTIFIED)
                and score.unit_id == user.unit_id)
    return False
