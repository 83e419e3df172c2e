"""Who sees what of a 集中评查 (fail closed; out of scope → 404):

- the office: reviews of the campaigns it manages (``assessment.policies.managed_campaigns``);
- an assessed unit: reviews of campaigns in which the indicator applies to it, and only its own files;
- an expert: only the files assigned to them (and the review they belong to, through those files);
- anyone else, the public included: nothing (a review is working material, never published).
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from fazhi.assessment import policies as assessment_policies
from fazhi.assessment.models import CampaignStatus
from fazhi.orgs.models import Role

from .models import Assignment, CaseFile, CaseReview


def reviews_for(user, action: str = "view"):
    """``manage``: the office's reviews; ``view``: also the reviews an assessed unit registers files for."""
    if action not in ("view", "manage"):
        raise ValueError(f"unknown action {action!r}")
    managed = CaseReview.objects.filter(campaign__in=assessment_policies.managed_campaigns(user))
    if action == "manage" or not user.is_authenticated:
        return managed if user.is_authenticated else CaseReview.objects.none()
    if user.role == Role.ASSESSED and user.unit_id:
        return CaseReview.objects.filter(campaign__units__unit=user.unit_id).exclude(
            campaign__status=CampaignStatus.DRAFT).distinct()
    if user.role == Role.OFFICE or user.is_superuser:
        return managed
    return CaseReview.objects.none()


def get_review_or_404(user, pk: int, action: str = "view") -> CaseReview:
    return get_object_or_404(reviews_for(user, action).select_related("campaign", "indicator"), pk=pk)


def files_for(user, review: CaseReview):
    """The files of ``review`` the user may see: all for the office, its own for an assessed unit."""
    files = CaseFile.objects.filter(review=review).select_related("unit")
    if reviews_for(user, "manage").filter(pk=review.pk).exists():
        return files
    if user.is_authenticated and user.role == Role.ASSESSED and user.unit_id:
        return files.filter(unit=user.unit_id)
    return files.none()


def assignments_for(user):
    """An expert's own assignments (never another expert's)."""
    if not user.is_authenticated or user.role != Role.EXPERT:
        return Assignment.objects.none()
    return Assignment.objects.filter(expert__user=user).select_related("file__unit", "file__review", "expert")


def get_assignment_or_404(user, pk: int) -> Assignment:
    return get_object_or_404(assignments_for(user), pk=pk)


def can_write_indicator(user, review: CaseReview) -> bool:
    """The aggregate is written by a scorer of the indicator (the expert pool's unit), through assessment."""
    return assessment_policies.scorable_indicators(user, review.campaign).filter(pk=review.indicator_id).exists()


def reviews_for_scorer(user):
    """Reviews whose indicator the user's unit scores (the expert pool writes the aggregate)."""
    return CaseReview.objects.filter(
        indicator__in=assessment_policies.scorable_indicators_in(user, assessment_policies.scoring_campaigns(user)))
