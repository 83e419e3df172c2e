"""Who sees findings and web-search records (fail closed; nothing here is public).

- office: those of the campaigns it manages (its own level and below); only the office registers findings;
- scorers: findings linked to an indicator they score, and web-search records on such an indicator — as reference
  beside the cell; a scorer of a 网络检索 (web) indicator also records web searches on it;
- assessed units and the public: nothing (a unit hears of a finding through the rectification item it opens).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from fazhi.assessment import policies as assessment_policies
from fazhi.orgs import policies as org_policies

from .models import Finding, WebRecord


def _scored_indicators(user):
    return assessment_policies.scorable_indicators_in(user, assessment_policies.scoring_campaigns(user))


def findings_for(user, action: str = "view"):
    """``view``: what the user may read; ``manage``: what the user may change (an office's own campaigns)."""
    if action not in ("view", "manage"):
        raise ValueError(f"unknown action {action!r}")
    if not user.is_authenticated:
        return Finding.objects.none()
    managed = Finding.objects.filter(campaign__in=assessment_policies.managed_campaigns(user))
    if action == "manage" or org_policies.is_platform_admin(user) or assessment_policies.is_office(user):
        return managed
    if assessment_policies.is_scorer(user):
        return Finding.objects.filter(indicators__in=_scored_indicators(user)).distinct()
    return Finding.objects.none()


def web_records_for(user, action: str = "view"):
    """``view``: readable; ``manage``: the user may add records here (the office, or a scorer of the indicator)."""
    if action not in ("view", "manage"):
        raise ValueError(f"unknown action {action!r}")
    if not user.is_authenticated:
        return WebRecord.objects.none()
    if org_policies.is_platform_admin(user) or assessment_policies.is_office(user):
        return WebRecord.objects.filter(campaign__in=assessment_policies.managed_campaigns(user))
    if assessment_policies.is_scorer(user):
        return WebRecord.objects.filter(indicator__in=_scored_indicators(user))
    return WebRecord.objects.none()


def get_finding_or_404(user, pk: int, action: str = "view") -> Finding:
    return get_object_or_404(findings_for(user, action).select_related("campaign", "unit", "rectification"), pk=pk)


def get_web_record_or_404(user, pk: int) -> WebRecord:
    return get_object_or_404(web_records_for(user).select_related("campaign", "unit", "indicator"), pk=pk)


def may_record_web(user, campaign, indicator) -> bool:
    """The office of the campaign, or a scorer of ``indicator`` while it is not drafting."""
    if assessment_policies.managed_campaigns(user).filter(pk=campaign.pk).exists():
        return True
    return (assessment_policies.is_scorer(user)
            and assessment_policies.scoring_campaigns(user).filter(pk=campaign.pk).exists()
            and assessment_policies.scorable_indicators(user, campaign).filter(pk=indicator.pk).exists())
