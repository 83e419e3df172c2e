"""Who may see, submit or review which annual reports (data scope). Fails closed.

The one permission vocabulary of every app (STYLE "One permission vocabulary"): ``reports_for(user, action)``
returns what the user may act on, ``get_report_or_404(user, pk, action)`` one of them or 404 (never revealing that
an object outside the scope exists).

- ``view``: an office (or a platform admin) the reports of its subtree; an assessed unit its own; others none;
- ``review``: an office the reports of its subtree (comment, accept, return, make public);
- bulk import jobs: their creator (a platform admin: all).
"""

from __future__ import annotations

from django.http import Http404

from fazhi.orgs import policies
from fazhi.orgs.models import Role, Unit

from .models import AnnualReport, BulkImportJob

ACTIONS = ("view", "review")


def reports_for(user, action: str = "view"):
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if policies.is_platform_admin(user) or (user.is_authenticated and user.role == Role.OFFICE):
        return AnnualReport.objects.filter(unit__in=policies.managed_units(user))
    if action == "view" and user.is_authenticated and user.role == Role.ASSESSED and user.unit_id:
        return AnnualReport.objects.filter(unit_id=user.unit_id)
    return AnnualReport.objects.none()


def get_report_or_404(user, pk: int, action: str = "view") -> AnnualReport:
    report = reports_for(user, action).select_related("unit", "submitted_by", "reviewed_by").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


def can_review(user, report: AnnualReport) -> bool:
    return policies.has_role(user, Role.OFFICE) and policies.can_manage(user, report.unit)


def can_submit_for(user, unit: Unit) -> bool:
    """The assessed unit itself, or an office managing it."""
    if not user.is_authenticated:
        return False
    if user.role == Role.ASSESSED and not user.is_superuser:
        return user.unit_id == unit.pk
    if user.role == Role.OFFICE or user.is_superuser:
        return policies.can_manage(user, unit)
    return False


def jobs_for(user, action: str = "view"):
    if action != "view":
        raise ValueError(f"unknown action {action!r}")
    if policies.is_platform_admin(user):
        return BulkImportJob.objects.all()
    return BulkImportJob.objects.filter(created_by=user) if user.is_authenticated else BulkImportJob.objects.none()


def get_job_or_404(user, pk: int, action: str = "view") -> BulkImportJob:
    job = jobs_for(user, action).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
