"""Who may see or moderate what on the portal (data scope). Fails closed.

Vocabulary of every app: ``opinions_for(user, action)``, ``get_opinion_or_404(user, pk, action)``,
``reports_for(user, action)``, ``get_report_or_404(user, pk, action)``.

- opinions (社情民意), ``moderate``: an office those about units of its subtree, and a top-level office also those
  about no unit; a platform admin all; others none (the public send opinions, they never read them back);
- published annual reports, ``view``: anyone, signed in or not — only reports the office accepted and made public.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from fazhi.orgs import policies
from fazhi.orgs.models import Role
from fazhi.reports.models import AnnualReport

from .models import PublicOpinion


def opinions_for(user, action: str = "moderate"):
    if action != "moderate":
        raise ValueError(f"unknown action {action!r}")
    if policies.is_platform_admin(user):
        return PublicOpinion.objects.all()
    root = policies.jurisdiction(user)
    if root is None or not policies.has_role(user, Role.OFFICE):
        return PublicOpinion.objects.none()
    scope = Q(about_unit__in=policies.managed_units(user))
    if root.parent_id is None:
        scope |= Q(about_unit__isnull=True)
    return PublicOpinion.objects.filter(scope)


def get_opinion_or_404(user, pk: int, action: str = "moderate") -> PublicOpinion:
    opinion = opinions_for(user, action).filter(pk=pk).first()
    if opinion is None:
        raise Http404
    return opinion


def reports_for(user=None, action: str = "view"):
    if action != "view":
        raise ValueError(f"unknown action {action!r}")
    return AnnualReport.objects.published()


def get_report_or_404(user, pk: int, action: str = "view") -> AnnualReport:
    report = reports_for(user, action).select_related("unit").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report
