"""Who may see and do what in an assessment campaign, built on ``fazhi.orgs.policies`` (fail closed).

- office (考核办): campaigns whose ``owner`` is in ``managed_units(user)`` — its own level and below
  (分级考核, DOMAIN.md §5.9: a city office never sees the province's campaign);
- assessing unit (考核主体): campaigns past drafting where its unit scores at least one indicator, and
  within them only those indicators × the units they apply to;
- everyone else (assessed units, experts, the public…): nothing here. Published results are shown by the
  publication/portal apps, not by this one.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role

from .models import Campaign, CampaignStatus, Indicator


def is_office(user) -> bool:
    return org_policies.has_role(user, Role.OFFICE)


def managed_campaigns(user):
    """Campaigns the user runs as an office (or all, for a platform admin)."""
    if org_policies.is_platform_admin(user):
        return Campaign.objects.all()
    if not user.is_authenticated or user.role != Role.OFFICE:
        return Campaign.objects.none()
    return Campaign.objects.filter(owner__in=org_policies.managed_units(user))


def scoring_campaigns(user):
    """Campaigns in which the user's unit scores something (not while the office is still drafting)."""
    if not user.is_authenticated or user.role != Role.ASSESSING or not user.unit_id:
        return Campaign.objects.none()
    return (
        Campaign.objects.filter(indicators__assessing_units=user.unit_id)
        .exclude(status=CampaignStatus.DRAFT)
        .distinct()
    )


def get_managed_campaign(user, pk: int) -> Campaign:
    """The campaign if the user manages it; 404 otherwise (do not reveal it exists)."""
    return get_object_or_404(managed_campaigns(user).select_related("owner", "previous"), pk=pk)


def get_scoring_campaign(user, pk: int) -> Campaign:
    return get_object_or_404(scoring_campaigns(user).select_related("owner"), pk=pk)


def scorable_indicators(user, campaign: Campaign):
    """Leaf indicators of ``campaign`` the user's unit scores (admins: all leaves)."""
    leaves = Indicator.objects.filter(campaign=campaign, points__isnull=False)
    if org_policies.is_platform_admin(user):
        return leaves
    if not user.is_authenticated or user.role != Role.ASSESSING or not user.unit_id:
        return Indicator.objects.none()
    return leaves.filter(assessing_units=user.unit_id)


def ensure_can_score(user, campaign: Campaign, indicator: Indicator) -> None:
    """404 unless the user's unit scores ``indicator`` in ``campaign``."""
    if indicator.campaign_id != campaign.pk or not scorable_indicators(user, campaign).filter(pk=indicator.pk).exists():
        raise Http404
