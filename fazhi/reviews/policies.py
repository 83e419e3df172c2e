"""Who may see and do what with feedback, re-reviews, results and rectification (fail closed).

- office: everything of the campaigns it manages (``fazhi.assessment.policies.managed_campaigns``);
- assessed unit: its own feedback, re-reviews and rectification items; its own results only once published;
- assessing unit: re-reviews of feedback on indicators it scores (it decides them);
- everyone else: nothing (403 on pages, 404 on objects).
"""

from __future__ import annotations

from django.http import Http404

from fazhi.assessment.models import Campaign, CampaignStatus
from fazhi.assessment.policies import managed_campaigns
from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role

from .models import Feedback, Rectification, ReviewRequest

__all__ = ["managed_campaigns"]


def is_assessed(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.ASSESSED and user.unit_id)


def is_assessing(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.ASSESSING and user.unit_id)


def visible_feedback(user):
    if org_policies.is_platform_admin(user) or (user.is_authenticated and user.role == Role.OFFICE):
        return Feedback.objects.filter(campaign__in=managed_campaigns(user))
    if is_assessed(user):
        return Feedback.objects.filter(unit_id=user.unit_id)
    if is_assessing(user):
        return Feedback.objects.filter(indicator__assessing_units=user.unit_id, review__isnull=False).distinct()
    return Feedback.objects.none()


def decidable_reviews(user):
    """Re-reviews the user may decide: the office of the campaign, or the assessing unit of the indicator."""
    if org_policies.is_platform_admin(user) or (user.is_authenticated and user.role == Role.OFFICE):
        return ReviewRequest.objects.filter(feedback__campaign__in=managed_campaigns(user))
    if is_assessing(user):
        return ReviewRequest.objects.filter(feedback__indicator__assessing_units=user.unit_id).distinct()
    return ReviewRequest.objects.none()


def visible_rectifications(user):
    if org_policies.is_platform_admin(user) or (user.is_authenticated and user.role == Role.OFFICE):
        return Rectification.objects.filter(campaign__in=managed_campaigns(user))
    if is_assessed(user):
        return Rectification.objects.filter(unit_id=user.unit_id)
    return Rectification.objects.none()


def published_campaigns():
    return Campaign.objects.filter(status=CampaignStatus.PUBLISHED)


def get_or_404(queryset, **lookup):
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


# ---------------------------------------------------------------- the vocabulary shared by every app's policies

_SCOPES = {
    ("feedback", "view"): visible_feedback,
    ("review", "decide"): decidable_reviews,
    ("rectification", "view"): visible_rectifications,
}


def _scope(thing: str, user, action: str):
    try:
        return _SCOPES[(thing, action)](user)
    except KeyError:
        raise ValueError(f"unknown action {action!r} for {thing}") from None


def feedback_for(user, action: str = "view"):
    return _scope("feedback", user, action)


def get_feedback_or_404(user, pk: int, action: str = "view"):
    return get_or_404(feedback_for(user, action), pk=pk)


def reviews_for(user, action: str = "decide"):
    return _scope("review", user, action)


def get_review_or_404(user, pk: int, action: str = "decide"):
    return get_or_404(reviews_for(user, action), pk=pk)


def rectifications_for(user, action: str = "view"):
    return _scope("rectification", user, action)


def get_rectification_or_404(user, pk: int, action: str = "view"):
    return get_or_404(rectifications_for(user, action), pk=pk)
