"""Who may see and do what with official documents (fail closed; an object outside the scope answers 404).

- the issuing office: its own documents — issue, regenerate, PDF again (``documents_for(user, "issue")``);
- an office: documents issued by offices in its jurisdiction (``managed_units``), and documents addressed or
  copied to a unit of it once the kind allows (``view``);
- any other unit: documents addressed (主送) or copied (抄送) to it, once issued and the kind allows (for the
  results of a campaign: once the campaign is published) — never one that only names it (a 法治建议书 goes to
  the bodies that grant titles, not to the unit);
- everyone else (the public, anyone without a unit): nothing.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role

from . import kinds
from .models import Document

ACTIONS = ("view", "issue")


def documents_for(user, action: str = "view"):
    if action not in ACTIONS:
        raise ValueError(action)
    if org_policies.is_platform_admin(user):
        return Document.objects.all()
    if not user.is_authenticated or not getattr(user, "unit_id", None) or user.role == Role.PUBLIC:
        return Document.objects.none()
    if action == "issue":
        if user.role != Role.OFFICE:
            return Document.objects.none()
        return Document.objects.filter(office_id=user.unit_id)
    addressed = Q(recipients__unit_id=user.unit_id)
    if user.role == Role.OFFICE:
        scope = org_policies.managed_units(user)
        addressed |= Q(recipients__unit__in=scope)
        return Document.objects.filter(Q(office__in=scope) | (addressed & kinds.recipient_filter())).distinct()
    return Document.objects.filter(addressed & kinds.recipient_filter()).distinct()


def get_document_or_404(user, pk, action: str = "view") -> Document:
    document = documents_for(user, action).filter(pk=pk).select_related("office", "about_unit").first()
    if document is None:
        raise Http404
    return document


def can_issue(user, document: Document) -> bool:
    return documents_for(user, "issue").filter(pk=document.pk).exists()
