"""Reads of the portal's data that apps below it use through their hooks (they never import the portal)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count

from .models import OpinionStatus, PublicOpinion


def accepted_opinion_counts(unit_ids: Iterable[int], year: int) -> dict[int, int]:
    """社情民意 for ``fazhi.surveys.hooks``: opinions about each unit that the office accepted (审核通过), submitted
    in ``year`` (one query)."""
    rows = (PublicOpinion.objects.filter(about_unit__in=list(unit_ids), status=OpinionStatus.APPROVED,
                                         created_at__year=year)
            .values("about_unit").annotate(n=Count("pk")))
    return {row["about_unit"]: row["n"] for row in rows}
