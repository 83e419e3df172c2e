"""The published commitment (公布结果的承诺): a Merkle tree (RFC 6962, ``fazhi.core.merkle``) over each assessed
unit's engine input and result, built at publication; the root is stored on the campaign (``commitment_root``),
printed on the public page and on each result notice, and each unit downloads its own slice with the inclusion
proof (``fazhi assess verify SLICE.json --root HASH``). Format: ``fazhi.core.scoring.slices``.

A published campaign is frozen (its scores and adjustments no longer change), so the leaves are rebuilt from the
database when a slice is asked for, and checked against the stored root before anything is handed out.
"""

from __future__ import annotations

from fazhi.core.scoring.slices import build_leaves, build_slices

from . import selectors
from .models import Campaign, Result


def _dec(value) -> str:
    return f"{value:.2f}"


def _output(campaign: Campaign) -> dict:
    """The stored results in the engine's output shape (what ``compute`` returned and ``save_results`` kept)."""
    rows = []
    for r in Result.objects.filter(campaign=campaign).select_related("unit").order_by("unit__code"):
        rows.append({"unit": r.unit.code, "category": r.category, "applicable_points": _dec(r.applicable_points),
                     "earned": _dec(r.earned), "base": _dec(r.base), "bonus": _dec(r.bonus),
                     "deduction": _dec(r.deduction), "total": _dec(r.total), "grade": r.grade, "rank": r.rank,
                     "serious": r.serious, "commendation": r.commendation, "warning": r.warning,
                     "recommendation_letter": r.recommendation_letter})
    return {"units": rows}


def build(campaign: Campaign) -> tuple[str, list[dict]]:
    """The root and every unit's slice, from the campaign's data as it is now."""
    meta = {"id": campaign.pk, "name": campaign.name, "year": campaign.year, "owner": campaign.owner.code}
    return build_slices(build_leaves(meta, selectors.engine_input(campaign), _output(campaign)))


class CommitmentMismatch(Exception):
    """The data no longer gives the published root (it changed after publication): hand nothing out."""


def slice_for(campaign: Campaign, unit) -> dict:
    """The unit's slice, checked against the stored root."""
    root, slices = build(campaign)
    if not campaign.commitment_root or root != campaign.commitment_root:
        raise CommitmentMismatch(f"campaign {campaign.pk}: rebuilt root {root} ≠ published {campaign.commitment_root}")
    for item in slices:
        if item["leaf"]["unit"]["code"] == unit.code:
            return item
    raise LookupError(unit.code)
