"""Who sees which self-reports (fail closed, on top of ``fazhi.orgs.policies`` and the assessment policies).

- office: reports and requirements of the campaigns it manages (its own level and below);
- assessed unit: its own reports only (``unit == user.unit``), once the office has published the requirement;
- scorers (assessing units, experts, field teams, survey providers): submitted or returned reports on the
  cells they score — never a unit's unfinished draft;
- everyone else (the public…): nothing.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from fazhi.assessment import policies as assessment_policies
from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role

from .models import ReportStatus, Requirement, SelfReport

#: Statuses a scorer may see: the unit has handed the report in (or it was handed back to the unit by a scorer).
SCORER_VISIBLE = (ReportStatus.SUBMITTED, ReportStatus.RETURNED)


def reports_for(user, action: str = "view"):
    """``view``: every report the user may read; ``fill``: the user's unit's own; ``assess``: those the user
    scores; ``manage``: those of the campaigns the user runs as an office."""
    if action not in ("view", "fill", "assess", "manage"):
        raise ValueError(f"unknown action {action!r}")
    reports = SelfReport.objects.all()
    if not user.is_authenticated:
        return reports.none()
    if org_policies.is_platform_admin(user):
        return reports if action in ("view", "manage") else reports.none()
    if action in ("view", "manage") and user.role == Role.OFFICE:
        return reports.filter(campaign__in=assessment_policies.managed_campaigns(user))
    if action in ("view", "fill") and user.role == Role.ASSESSED and user.unit_id:
        return reports.filter(unit=user.unit_id, requirement__published_on__isnull=False)
    if action in ("view", "assess") and assessment_policies.is_scorer(user):
        campaigns = assessment_policies.scoring_campaigns(user)
        return reports.filter(status__in=SCORER_VISIBLE,
                              indicator__in=assessment_policies.scorable_indicators_in(user, campaigns))
    return reports.none()


def get_report_or_404(user, pk: int, action: str = "view") -> SelfReport:
    return get_object_or_404(
        reports_for(user, action).select_related("campaign", "campaign__owner", "indicator", "unit", "requirement"),
        pk=pk)


def requirements_for(user):
    """Requirements the user may edit: an office's own campaigns."""
    return Requirement.objects.filter(campaign__in=assessment_policies.managed_campaigns(user))


def can_fill(user, report: SelfReport) -> bool:
    return bool(user.is_authenticated and user.role == Role.ASSESSED and user.unit_id == report.unit_id)


def can_assess(user, report: SelfReport) -> bool:
    return reports_for(user, "assess").filter(pk=report.pk).exists()
