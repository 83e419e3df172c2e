"""Who sees what of a 实地考核 (fail closed; out of scope → 404):

- the office: visits of the campaigns it manages;
- a field team member: the visits of their team unit (``team_unit``), nothing else;
- the assessed unit: its own visit only once it is completed — the sample is fixed before the visit and shown
  to the unit after it, so the unit cannot prepare only the units drawn;
- anyone else, the public included: nothing.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from fazhi.assessment import policies as assessment_policies
from fazhi.orgs.models import Role

from .models import FieldVisit, VisitStatus


def visits_for(user, action: str = "view"):
    """``manage``: the office's visits; ``work``: the field team's; ``view``: whatever the user may read."""
    if action not in ("view", "manage", "work"):
        raise ValueError(f"unknown action {action!r}")
    if not user.is_authenticated:
        return FieldVisit.objects.none()
    managed = FieldVisit.objects.filter(campaign__in=assessment_policies.managed_campaigns(user))
    if action == "manage":
        return managed
    team = (FieldVisit.objects.filter(team_unit=user.unit_id) if user.role == Role.FIELD_TEAM and user.unit_id
            else FieldVisit.objects.none())
    if action == "work":
        return team
    if user.role == Role.ASSESSED and user.unit_id:
        return FieldVisit.objects.filter(unit=user.unit_id, status=VisitStatus.COMPLETED)
    if user.role == Role.FIELD_TEAM:
        return team
    return managed


def get_visit_or_404(user, pk: int, action: str = "view") -> FieldVisit:
    return get_object_or_404(visits_for(user, action).select_related("campaign", "indicator", "unit", "team_unit"),
                             pk=pk)


def can_write_indicator(user, visit: FieldVisit) -> bool:
    return assessment_policies.scorable_indicators(user, visit.campaign).filter(pk=visit.indicator_id).exists()
