"""Who sees what of a 满意度测评 (fail closed; out of scope → 404):

- the office: rounds of the campaigns it manages, with every input and the resulting scores;
- a survey institute: the rounds it was named for, and only the import batches of its own unit;
- anyone else (assessed units, other institutes, the public): nothing — survey data is working material.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from fazhi.assessment import policies as assessment_policies
from fazhi.orgs.models import Role

from .models import ImportBatch, SurveyRound


def rounds_for(user, action: str = "view"):
    """``manage``: the office's rounds; ``import``: the institute's; ``view``: either."""
    if action not in ("view", "manage", "import"):
        raise ValueError(f"unknown action {action!r}")
    if not user.is_authenticated:
        return SurveyRound.objects.none()
    managed = SurveyRound.objects.filter(campaign__in=assessment_policies.managed_campaigns(user))
    institute = (SurveyRound.objects.filter(institute=user.unit_id) if user.role == Role.SURVEY and user.unit_id
                 else SurveyRound.objects.none())
    if action == "manage":
        return managed
    if action == "import":
        return institute
    return institute if user.role == Role.SURVEY else managed


def get_round_or_404(user, pk: int, action: str = "view") -> SurveyRound:
    return get_object_or_404(rounds_for(user, action).select_related("campaign", "indicator", "institute"), pk=pk)


def batches_for(user, survey_round: SurveyRound):
    """The office sees every batch of its round; an institute only its own unit's."""
    batches = ImportBatch.objects.filter(round=survey_round).select_related("imported_by")
    if rounds_for(user, "manage").filter(pk=survey_round.pk).exists():
        return batches
    if user.is_authenticated and user.role == Role.SURVEY and user.unit_id:
        return batches.filter(imported_by_unit=user.unit_id)
    return batches.none()


def can_write_indicator(user, survey_round: SurveyRound) -> bool:
    return assessment_policies.scorable_indicators(user, survey_round.campaign).filter(
        pk=survey_round.indicator_id).exists()
