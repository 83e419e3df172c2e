"""Reads for the assessment app: score cells, progress, result breakdowns, the engine's JSON input.

A *cell* is one indicator × one assessed unit it applies to (category match, plus 增, minus 减 — seed 001 §四),
or, for an indicator scored per sub-unit, one indicator × one sub-unit of that unit (§五(一)).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from fazhi.orgs.models import Unit

from .models import (
    Adjustment,
    Campaign,
    CampaignUnit,
    Indicator,
    IndicatorOverride,
    OverrideAction,
    Result,
    Score,
    ScoreStatus,
)


@dataclass(frozen=True)
class Cell:
    indicator: Indicator
    unit: Unit
    subunit: Unit | None = None

    @property
    def key(self) -> tuple[int, int, int | None]:
        return (self.indicator.pk, self.unit.pk, self.subunit.pk if self.subunit else None)


def subunits_of(unit_ids) -> dict[int, list[Unit]]:
    """Sub-units that can be scored on behalf of each unit: its direct children that are assessed units
    themselves (a city's departments or counties)."""
    result: dict[int, list[Unit]] = defaultdict(list)
    for child in Unit.objects.filter(parent__in=list(unit_ids), category__isnull=False, is_active=True).order_by(
        "sort_order", "path"
    ):
        result[child.parent_id].append(child)
    return result


def applicable_units(campaign: Campaign, indicators) -> dict[int, list[Unit]]:
    """indicator pk → the campaign units it applies to (category, plus added, minus removed)."""
    return _applicable_units([campaign.pk], indicators)


def _applicable_units(campaign_ids, indicators) -> dict[int, list[Unit]]:
    """``applicable_units`` for indicators of several campaigns at once (two queries whatever their number):
    each indicator applies to the members of its own campaign."""
    members = list(CampaignUnit.objects.filter(campaign__in=list(campaign_ids)).select_related("unit"))
    by_category: dict[tuple[int, int], list[Unit]] = defaultdict(list)
    unit_by_pk: dict[tuple[int, int], Unit] = {}
    for member in members:
        by_category[(member.campaign_id, member.category)].append(member.unit)
        unit_by_pk[(member.campaign_id, member.unit_id)] = member.unit
    overrides: dict[int, dict[str, set[int]]] = defaultdict(lambda: {"add": set(), "remove": set()})
    for ind_id, unit_id, action in IndicatorOverride.objects.filter(
        indicator__campaign__in=list(campaign_ids)
    ).values_list("indicator_id", "unit_id", "action"):
        overrides[ind_id][action].add(unit_id)
    result = {}
    for indicator in indicators:
        campaign_id = indicator.campaign_id
        units = [u for cat in indicator.categories for u in by_category.get((campaign_id, cat), [])]
        extra = overrides.get(indicator.pk)
        if extra:
            present = {u.pk for u in units}
            units += [unit_by_pk[(campaign_id, pk)] for pk in extra["add"]
                      if (campaign_id, pk) in unit_by_pk and pk not in present]
            units = [u for u in units if u.pk not in extra["remove"]]
        units.sort(key=lambda u: (u.category or 0, u.sort_order, u.path))
        result[indicator.pk] = units
    return result


def campaign_cells(campaign: Campaign, indicators=None) -> list[Cell]:
    """Every cell of ``indicators`` (default: all leaves of the campaign)."""
    if indicators is None:
        indicators = Indicator.objects.filter(campaign=campaign, points__isnull=False)
    return cells_by_campaign([campaign.pk], indicators).get(campaign.pk, [])


def cells_by_campaign(campaign_ids, indicators) -> dict[int, list[Cell]]:
    """campaign pk → the cells of those of ``indicators`` that belong to it, for several campaigns with a
    constant number of queries (a list page must not run ``campaign_cells`` once per campaign)."""
    indicators = list(indicators)
    by_indicator = _applicable_units(campaign_ids, indicators)
    needs_sub = {u.pk for ind in indicators if ind.allow_subunits for u in by_indicator[ind.pk]}
    subs = subunits_of(needs_sub) if needs_sub else {}
    cells: dict[int, list[Cell]] = defaultdict(list)
    for indicator in indicators:
        bucket = cells[indicator.campaign_id]
        for unit in by_indicator[indicator.pk]:
            children = subs.get(unit.pk) if indicator.allow_subunits else None
            if children:
                bucket.extend(Cell(indicator, unit, child) for child in children)
            else:
                bucket.append(Cell(indicator, unit))
    return cells


def scores_by_cell(campaign: Campaign, indicators=None) -> dict[tuple, Score]:
    qs = Score.objects.filter(campaign=campaign).select_related("scored_by")
    if indicators is not None:
        qs = qs.filter(indicator__in=list(indicators))
    return {(s.indicator_id, s.unit_id, s.subunit_id): s for s in qs}


def progress(campaign: Campaign) -> list[dict]:
    """Per assessing unit: cells in total, scored (draft or submitted) and submitted; worst first."""
    leaves = list(Indicator.objects.filter(campaign=campaign, points__isnull=False).prefetch_related("assessing_units"))
    cells = campaign_cells(campaign, leaves)
    scores = {(i, u, s): status for i, u, s, status in Score.objects.filter(campaign=campaign).values_list(
        "indicator_id", "unit_id", "subunit_id", "status")}
    rows: dict[int, dict] = {}
    assessors = {ind.pk: list(ind.assessing_units.all()) for ind in leaves}
    for cell in cells:
        status = scores.get(cell.key)
        for assessor in assessors[cell.indicator.pk]:
            row = rows.setdefault(assessor.pk, {"unit": assessor, "total": 0, "scored": 0, "submitted": 0})
            row["total"] += 1
            row["scored"] += status is not None
            row["submitted"] += status == ScoreStatus.SUBMITTED
    unassigned = [ind for ind in leaves if not assessors[ind.pk]]
    result = sorted(rows.values(), key=lambda r: (r["submitted"] / (r["total"] or 1), r["unit"].path))
    for row in result:
        row["percent"] = round(100 * row["submitted"] / row["total"]) if row["total"] else 100
        row["done"] = row["submitted"] == row["total"]
    return result if not unassigned else [*result, {"unit": None, "unassigned": unassigned, "total": 0,
                                                     "scored": 0, "submitted": 0, "percent": 0, "done": False}]


def result_breakdown(campaign: Campaign, unit: Unit) -> dict:
    """A unit's result explained: every indicator score with who scored it, and the adjustments."""
    result = Result.objects.filter(campaign=campaign, unit=unit).first()
    scores = (
        Score.objects.filter(campaign=campaign, unit=unit)
        .select_related("indicator", "subunit", "scored_by", "scored_by_unit")
        .annotate(evidence_count=Count("evidence"))
        .prefetch_related("evidence")
        .order_by("indicator__sort", "indicator__code", "subunit__path")
    )
    adjustments = Adjustment.objects.filter(campaign=campaign, unit=unit).select_related("created_by")
    return {"result": result, "scores": list(scores), "adjustments": list(adjustments)}


def engine_input(campaign: Campaign, *, submitted_only: bool = True) -> dict:
    """The engine's JSON input dict (``fazhi.core.scoring.parse_input``) built with a handful of queries.

    Only submitted scores count unless ``submitted_only`` is False; a missing cell is reported by the engine.
    """
    indicators = [
        {"code": code, "points": points, "categories": list(categories), "method": method or "daily"}
        for code, points, categories, method in Indicator.objects.filter(campaign=campaign, points__isnull=False)
        .order_by("sort", "code")
        .values_list("code", "points", "categories", "method")
    ]
    overrides: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"add": [], "remove": []})
    for unit_code, ind_code, action in IndicatorOverride.objects.filter(indicator__campaign=campaign).values_list(
        "unit__code", "indicator__code", "action"
    ):
        overrides[unit_code]["add" if action == OverrideAction.ADD else "remove"].append(ind_code)
    units = []
    for code, category in (
        CampaignUnit.objects.filter(campaign=campaign).order_by("category", "unit__sort_order", "unit__path")
        .values_list("unit__code", "category")
    ):
        row = {"code": code, "category": category, "add": [], "remove": []}
        if code in overrides:
            row.update(overrides[code])
        units.append(row)
    score_qs = Score.objects.filter(campaign=campaign)
    if submitted_only:
        score_qs = score_qs.filter(status=ScoreStatus.SUBMITTED)
    scores = [
        {"unit": u, "indicator": i, "score": v} if s is None else {"unit": u, "indicator": i, "score": v, "subunit": s}
        for u, i, v, s in score_qs.values_list("unit__code", "indicator__code", "value", "subunit__code").iterator(
            chunk_size=5000
        )
    ]
    adjustments = [
        {"unit": u, "kind": k, "points": p, "reason": r, "source": src, "serious": ser, "exceed_cap": ex}
        for u, k, p, r, src, ser, ex in Adjustment.objects.filter(campaign=campaign).values_list(
            "unit__code", "kind", "points", "reason", "source", "serious", "exceed_cap"
        )
    ]
    previous = []
    if campaign.previous_id:
        previous = [
            {"unit": u, "grade": g, "rank": r}
            for u, g, r in Result.objects.filter(campaign_id=campaign.previous_id).values_list(
                "unit__code", "grade", "rank"
            )
        ]
    return {
        "settings": campaign.engine_settings(),
        "indicators": indicators,
        "units": units,
        "scores": scores,
        "adjustments": adjustments,
        "previous": previous,
    }
