"""Reads for the assessment app: score cells, progress, result breakdowns, the engine's JSON input.

A *cell* is one indicator × one assessed unit it applies to (category match, plus 增, minus 减 — seed 001 §四),
or, for an indicator scored per sub-unit, one indicator × one sub-unit of that unit (§五(一)).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from fazhi.orgs.models import Unit

from .models import (
    Adjustment,
    Campaign,
    CampaignUnit,
    ExpectedEvaluation,
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


def declared_subunits(campaign_ids, indicators) -> dict[tuple[int, int], list[Unit]]:
    """(indicator pk, unit pk) → the sub-units declared in the 应评价清单 for that cell, in unit order (one query;
    only indicators scored per sub-unit count). A declared cell replaces the default sub-units (``subunits_of``)."""
    ids = [i.pk for i in indicators if i.allow_subunits]
    result: dict[tuple[int, int], list[Unit]] = defaultdict(list)
    if not ids:
        return result
    for row in ExpectedEvaluation.objects.filter(campaign__in=list(campaign_ids), indicator__in=ids).select_related(
            "subunit").order_by("subunit__sort_order", "subunit__path"):
        result[(row.indicator_id, row.unit_id)].append(row.subunit)
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
    declared = declared_subunits(campaign_ids, indicators) if needs_sub else {}
    cells: dict[int, list[Cell]] = defaultdict(list)
    for indicator in indicators:
        bucket = cells[indicator.campaign_id]
        for unit in by_indicator[indicator.pk]:
            children = (declared.get((indicator.pk, unit.pk)) or subs.get(unit.pk)) if indicator.allow_subunits \
                else None
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
        "expected": expected_input(campaign),
    }


def expected_input(campaign: Campaign) -> list[dict]:
    """The engine's ``expected``: for every cell scored per sub-unit, the sub-units whose evaluations it must have
    (the declared ones, else the unit's assessed sub-units) — so ``fazhi assess compute`` refuses, counts as 0
    or leaves out a missing one exactly as the platform does (the campaign's ``missing_subunits`` rule)."""
    leaves = list(Indicator.objects.filter(campaign=campaign, points__isnull=False, allow_subunits=True)
                  .order_by("sort", "code"))
    if not leaves:
        return []
    grouped: dict[tuple[str, str], list[str]] = {}
    for cell in cells_by_campaign([campaign.pk], leaves).get(campaign.pk, []):
        if cell.subunit is not None:
            grouped.setdefault((cell.unit.code, cell.indicator.code), []).append(cell.subunit.code)
    return [{"unit": u, "indicator": i, "subunits": subs} for (u, i), subs in grouped.items()]


def missing_evaluations(campaign: Campaign, *, indicator: Indicator | None = None, unit_code: str = ""):
    """The declared sub-unit evaluations (应评价清单) without a submitted score, as a queryset to page in SQL
    (province scale: thousands of rows), each annotated with ``score_status`` (``draft`` or None: not scored)."""
    scores = Score.objects.filter(indicator=OuterRef("indicator"), unit=OuterRef("unit"), subunit=OuterRef("subunit"))
    qs = (ExpectedEvaluation.objects.filter(campaign=campaign, indicator__allow_subunits=True)
          .exclude(Exists(scores.filter(status=ScoreStatus.SUBMITTED)))
          .annotate(score_status=Subquery(scores.values("status")[:1]))
          .select_related("indicator", "unit", "subunit")
          .order_by("indicator__sort", "indicator__code", "unit__sort_order", "unit__path", "subunit__sort_order",
                    "subunit__path", "pk"))
    if indicator is not None:
        qs = qs.filter(indicator=indicator)
    if unit_code:
        qs = qs.filter(Q(unit__code=unit_code) | Q(subunit__code=unit_code))
    return qs


# --- province scale: cells counted arithmetically, generated one page at a time ------------------------------

class CellSpace:
    """The cells of ``indicators`` (ordered) in ``campaign``, without building them all.

    A leaf's cell count is arithmetic: per category, the number of campaign units (or, scored per sub-unit, the
    sum over those units of max(1, their assessed sub-units)), plus 增 and minus 减 overrides. That needs the
    campaign's member list, the overrides and one grouped count of sub-units — never the scores or the cells.
    ``cells(start, stop)`` then builds only the cells of one slice, in the order of ``campaign_cells``.
    """

    def __init__(self, campaign: Campaign, indicators, *, _prefetched=None):
        self.campaign = campaign
        self.indicators = list(indicators)
        members, overrides, children, declared = _prefetched or self._fetch([campaign.pk], self.indicators)
        members = [m[1:] for m in members if m[0] == campaign.pk]
        members.sort(key=lambda m: (m[2] or 0, m[3], m[4]))
        self.order = [m[0] for m in members]
        self.category = {m[0]: m[1] for m in members}
        self.overrides: dict[int, dict[str, set[int]]] = defaultdict(lambda: {"add": set(), "remove": set()})
        for ind_id, unit_id, action in overrides:
            if unit_id in self.category:
                self.overrides[ind_id][action].add(unit_id)
        self.children = children
        # 应评价清单: indicator pk -> {unit pk: number of declared sub-units} (replaces the default sub-units)
        self.declared: dict[int, dict[int, int]] = defaultdict(dict)
        for ind_id, unit_id, n in declared:
            if unit_id in self.category:
                self.declared[ind_id][unit_id] = n
        self.by_category: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # category -> [units, weight]
        for unit_id in self.order:
            entry = self.by_category[self.category[unit_id]]
            entry[0] += 1
            entry[1] += max(1, self.children.get(unit_id, 0))
        self.counts = [self._count(i) for i in self.indicators]

    @staticmethod
    def _fetch(campaign_ids, indicators):
        """Members of the campaigns, overrides of the indicators, sub-unit counts, declared sub-unit counts:
        four queries at most."""
        members = list(CampaignUnit.objects.filter(campaign__in=campaign_ids).values_list(
            "campaign_id", "unit_id", "category", "unit__category", "unit__sort_order", "unit__path"))
        overrides = list(IndicatorOverride.objects.filter(indicator__in=[i.pk for i in indicators]).values_list(
            "indicator_id", "unit_id", "action")) if indicators else []
        children, declared = {}, []
        per_subunit = [i.pk for i in indicators if i.allow_subunits]
        if per_subunit:
            children = dict(
                Unit.objects.filter(parent__in=CampaignUnit.objects.filter(campaign__in=campaign_ids).values("unit_id"),
                                    category__isnull=False, is_active=True)
                .values("parent_id").annotate(n=Count("pk")).values_list("parent_id", "n"))
            declared = list(ExpectedEvaluation.objects.filter(indicator__in=per_subunit)
                            .values("indicator_id", "unit_id").annotate(n=Count("pk"))
                            .values_list("indicator_id", "unit_id", "n"))
        return members, overrides, children, declared

    @classmethod
    def many(cls, campaigns, indicators) -> dict[int, CellSpace]:
        """One space per campaign (each with its own indicators) from the same four queries."""
        campaigns, indicators = list(campaigns), list(indicators)
        fetched = cls._fetch([c.pk for c in campaigns], indicators)
        return {c.pk: cls(c, [i for i in indicators if i.campaign_id == c.pk], _prefetched=fetched)
                for c in campaigns}

    def _default_weight(self, indicator: Indicator, unit_id: int) -> int:
        return max(1, self.children.get(unit_id, 0)) if indicator.allow_subunits else 1

    def weight(self, indicator: Indicator, unit_id: int) -> int:
        """The number of cells of ``indicator`` for one unit: its declared sub-units, else its assessed
        sub-units (at least one cell: the unit itself)."""
        if indicator.allow_subunits:
            declared = self.declared.get(indicator.pk, {}).get(unit_id)
            if declared:
                return declared
        return self._default_weight(indicator, unit_id)

    def _count(self, indicator: Indicator) -> int:
        column = 1 if indicator.allow_subunits else 0
        total = sum(self.by_category[c][column] for c in indicator.categories if c in self.by_category)
        extra = self.overrides.get(indicator.pk)
        if extra:
            total += sum(self._default_weight(indicator, u) for u in extra["add"]
                         if self.category[u] not in indicator.categories)
            total -= sum(self._default_weight(indicator, u) for u in extra["remove"]
                         if self.category[u] in indicator.categories or u in extra["add"])
        declared = self.declared.get(indicator.pk)
        if declared:
            cats = set(indicator.categories)
            extra = extra or {"add": set(), "remove": set()}
            for unit_id, n in declared.items():
                if (self.category[unit_id] in cats or unit_id in extra["add"]) and unit_id not in extra["remove"]:
                    total += n - self._default_weight(indicator, unit_id)
        return total

    @property
    def total(self) -> int:
        return sum(self.counts)

    def applicable(self, indicator: Indicator) -> list[int]:
        """The member unit ids ``indicator`` applies to, in cell order."""
        extra = self.overrides.get(indicator.pk) or {"add": set(), "remove": set()}
        cats = set(indicator.categories)
        return [u for u in self.order if (self.category[u] in cats or u in extra["add"]) and u not in extra["remove"]]

    def keys(self, start: int, stop: int) -> list[tuple[int, int, int | None]]:
        """(indicator id, unit id, sub-unit id) of the cells ``start``..``stop`` (a few small queries)."""
        segments = []  # (indicator, unit id, first child, last child) — child range None for a plain cell
        offset = 0
        for indicator, count in zip(self.indicators, self.counts, strict=True):
            if offset + count <= start:
                offset += count
                continue
            if offset >= stop:
                break
            for unit_id in self.applicable(indicator):
                width = self.weight(indicator, unit_id)
                if offset + width > start and offset < stop:
                    lo, hi = max(0, start - offset), min(width, stop - offset)
                    has_children = indicator.allow_subunits and (
                        self.declared.get(indicator.pk, {}).get(unit_id) or self.children.get(unit_id))
                    segments.append((indicator, unit_id, (lo, hi) if has_children else None))
                offset += width
                if offset >= stop:
                    break
        declared_cells = {(i.pk, unit_id) for i, unit_id, span in segments
                          if span and self.declared.get(i.pk, {}).get(unit_id)}
        parents = {unit_id for i, unit_id, span in segments if span and (i.pk, unit_id) not in declared_cells}
        kids: dict[int, list[int]] = defaultdict(list)
        if parents:
            for pk, parent_id in Unit.objects.filter(parent__in=parents, category__isnull=False, is_active=True) \
                    .order_by("sort_order", "path").values_list("pk", "parent_id"):
                kids[parent_id].append(pk)
        declared_kids: dict[tuple[int, int], list[int]] = defaultdict(list)
        if declared_cells:
            for ind_id, unit_id, sub_id in ExpectedEvaluation.objects.filter(
                    indicator__in={k[0] for k in declared_cells}, unit__in={k[1] for k in declared_cells}) \
                    .order_by("subunit__sort_order", "subunit__path").values_list("indicator_id", "unit_id",
                                                                                  "subunit_id"):
                declared_kids[(ind_id, unit_id)].append(sub_id)
        keys = []
        for indicator, unit_id, span in segments:
            if span:
                own = declared_kids[(indicator.pk, unit_id)] if (indicator.pk, unit_id) in declared_cells \
                    else kids[unit_id]
                keys.extend((indicator.pk, unit_id, child) for child in own[span[0]:span[1]])
            else:
                keys.append((indicator.pk, unit_id, None))
        return keys

    def all_keys(self, indicator: Indicator) -> list[tuple[int, int, int | None]]:
        """Every cell of one indicator (bounded by one leaf's cells, never the campaign's)."""
        index = self.indicators.index(indicator)
        start = sum(self.counts[:index])
        return self.keys(start, start + self.counts[index])


def cell_rows(campaign: Campaign, keys, indicators=None) -> list[dict]:
    """Rows ``{"cell", "score", "evidence"}`` for the given cell keys: units, scores and evidence counts of these
    cells only (two queries; three without ``indicators``)."""
    keys = list(keys)
    if not keys:
        return []
    indicators = {i.pk: i for i in indicators} if indicators is not None else {
        i.pk: i for i in Indicator.objects.filter(pk__in={k[0] for k in keys})}
    unit_ids = {k[1] for k in keys} | {k[2] for k in keys if k[2]}
    units = Unit.objects.in_bulk(unit_ids)
    scores = {
        (s.indicator_id, s.unit_id, s.subunit_id): s
        for s in Score.objects.filter(campaign=campaign, indicator__in={k[0] for k in keys}, unit__in={k[1] for k in keys})
        .select_related("scored_by").annotate(evidence_count=Count("evidence"))
    }
    rows = []
    for key in keys:
        score = scores.get(key)
        cell = Cell(indicators[key[0]], units[key[1]], units[key[2]] if key[2] else None)
        rows.append({"cell": cell, "score": score, "evidence": score.evidence_count if score else 0})
    return rows


class WorklistRows:
    """The worklist as a sequence a ``Paginator`` can page: ``len`` is arithmetic or one COUNT, and a slice
    builds only its own rows. Filters: indicator (already applied to ``space``), unit code, status."""

    def __init__(self, space: CellSpace, *, unit_code: str = "", status: str = ""):
        self.space, self.campaign, self.status = space, space.campaign, status
        self.unit = Unit.objects.filter(code=unit_code).first() if unit_code else None
        self.unit_code = unit_code
        self._len: int | None = None
        self._scored: dict[int, int] | None = None

    # status "draft"/"submitted": the rows are exactly the scores with that status
    def _score_qs(self):
        qs = Score.objects.filter(campaign=self.campaign, indicator__in=[i.pk for i in self.space.indicators],
                                  status=self.status)
        if self.unit_code:
            qs = qs.filter(Q(unit__code=self.unit_code) | Q(subunit__code=self.unit_code))
        return qs.order_by("indicator__sort", "indicator__code", "unit__category", "unit__sort_order", "unit__path",
                           "subunit__sort_order", "subunit__path")

    def _unit_keys(self) -> list[tuple]:
        """All cells of one unit (as the assessed unit or as a sub-unit): at most leaves × its sub-units."""
        unit, space, keys = self.unit, self.space, []
        if unit is None:
            return keys
        kids = list(Unit.objects.filter(parent=unit, category__isnull=False, is_active=True)
                    .order_by("sort_order", "path").values_list("pk", flat=True))
        own_declared: dict[int, list[int]] = defaultdict(list)  # indicator -> declared sub-units of this unit
        as_sub: dict[int, list[int]] = defaultdict(list)  # indicator -> units this unit is declared a sub-unit of
        per_subunit = [i.pk for i in space.indicators if i.allow_subunits]
        if per_subunit:
            for ind_id, unit_id, sub_id in ExpectedEvaluation.objects.filter(
                    Q(unit=unit) | Q(subunit=unit), indicator__in=per_subunit) \
                    .order_by("unit__sort_order", "unit__path", "subunit__sort_order", "subunit__path") \
                    .values_list("indicator_id", "unit_id", "subunit_id"):
                if unit_id == unit.pk:
                    own_declared[ind_id].append(sub_id)
                if sub_id == unit.pk:
                    as_sub[ind_id].append(unit_id)
        for indicator in space.indicators:
            order = {u: n for n, u in enumerate(space.applicable(indicator))}
            declared = space.declared.get(indicator.pk, {})
            found = []
            if unit.pk in order:
                if indicator.allow_subunits and own_declared.get(indicator.pk):
                    found.extend((indicator.pk, unit.pk, k) for k in own_declared[indicator.pk])
                elif indicator.allow_subunits and kids:
                    found.extend((indicator.pk, unit.pk, k) for k in kids)
                else:
                    found.append((indicator.pk, unit.pk, None))
            if indicator.allow_subunits:
                if unit.parent_id in order and unit.parent_id not in declared and unit.category and unit.is_active:
                    found.append((indicator.pk, unit.parent_id, unit.pk))
                found.extend((indicator.pk, parent, unit.pk) for parent in as_sub.get(indicator.pk, ())
                             if parent in order)
            found.sort(key=lambda k: order[k[1]])  # stable: the cell order of ``campaign_cells``
            keys.extend(found)
        return keys

    def _unscored_counts(self) -> dict[int, int]:
        if self._scored is None:
            self._scored = dict(Score.objects.filter(
                campaign=self.campaign, indicator__in=[i.pk for i in self.space.indicators])
                .values("indicator_id").annotate(n=Count("pk")).values_list("indicator_id", "n"))
        return self._scored

    def __len__(self) -> int:
        if self._len is None:
            if self.status in (ScoreStatus.DRAFT, ScoreStatus.SUBMITTED):
                self._len = self._score_qs().count()
            elif self.unit_code:
                self._len = len(self._filtered_unit_rows())
            elif self.status == "none":
                scored = self._unscored_counts()
                self._len = sum(max(0, c - scored.get(i.pk, 0))
                                for i, c in zip(self.space.indicators, self.space.counts, strict=True))
            else:
                self._len = self.space.total
        return self._len

    count = __len__

    def _filtered_unit_rows(self) -> list[dict]:
        if not hasattr(self, "_unit_rows"):
            rows = cell_rows(self.campaign, self._unit_keys(), self.space.indicators)
            if self.status == "none":
                rows = [r for r in rows if r["score"] is None]
            self._unit_rows = rows
        return self._unit_rows

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop if index.stop is not None else len(self)
        if self.status in (ScoreStatus.DRAFT, ScoreStatus.SUBMITTED):
            scores = list(self._score_qs()[start:stop].values_list("indicator_id", "unit_id", "subunit_id"))
            return cell_rows(self.campaign, scores, self.space.indicators)
        if self.unit_code:
            return self._filtered_unit_rows()[start:stop]
        if self.status == "none":
            return cell_rows(self.campaign, self._unscored_keys(start, stop), self.space.indicators)
        return cell_rows(self.campaign, self.space.keys(start, stop), self.space.indicators)

    def _unscored_keys(self, start: int, stop: int) -> list[tuple]:
        """Unscored cells ``start``..``stop``: leaves before the slice are skipped by count; the leaves the slice
        touches (found by count too) are built in one go and compared with their scores (two queries)."""
        scored = self._unscored_counts()
        touched, offset, first_open = [], 0, 0
        cell_start = cell_stop = 0
        cell_offset = 0
        for indicator, count in zip(self.space.indicators, self.space.counts, strict=True):
            open_cells = max(0, count - scored.get(indicator.pk, 0))
            if offset + open_cells > start and offset < stop and open_cells:
                if not touched:
                    first_open, cell_start = offset, cell_offset
                touched.append(indicator)
                cell_stop = cell_offset + count
            offset += open_cells
            cell_offset += count
        if not touched:
            return []
        done = set(Score.objects.filter(campaign=self.campaign, indicator__in=[i.pk for i in touched])
                   .values_list("indicator_id", "unit_id", "subunit_id"))
        wanted = {i.pk for i in touched}
        missing = [k for k in self.space.keys(cell_start, cell_stop) if k[0] in wanted and k not in done]
        return missing[max(0, start - first_open): stop - first_open]


def progress(campaign: Campaign) -> list[dict]:
    """Per assessing unit: cells in total, scored (draft or submitted) and submitted, from aggregates: cells per leaf arithmetically (``CellSpace``), scored and submitted per leaf
    by one grouped query, summed per assessing unit; worst first."""
    leaves = list(Indicator.objects.filter(campaign=campaign, points__isnull=False).order_by("sort", "code")
                  .prefetch_related("assessing_units"))
    space = CellSpace(campaign, leaves)
    counts = defaultdict(lambda: [0, 0])
    for ind_id, status, n in Score.objects.filter(campaign=campaign).values("indicator_id", "status") \
            .annotate(n=Count("pk")).values_list("indicator_id", "status", "n"):
        counts[ind_id][0] += n
        if status == ScoreStatus.SUBMITTED:
            counts[ind_id][1] += n
    rows: dict[int, dict] = {}
    unassigned = []
    for leaf, cells in zip(leaves, space.counts, strict=True):
        assessors = list(leaf.assessing_units.all())
        if not assessors:
            unassigned.append(leaf)
        scored, submitted = counts[leaf.pk]
        for assessor in assessors:
            row = rows.setdefault(assessor.pk, {"unit": assessor, "total": 0, "scored": 0, "submitted": 0})
            row["total"] += cells
            row["scored"] += min(scored, cells)
            row["submitted"] += min(submitted, cells)
    result = sorted(rows.values(), key=lambda r: (r["submitted"] / (r["total"] or 1), r["unit"].path))
    for row in result:
        row["percent"] = round(100 * row["submitted"] / row["total"]) if row["total"] else 100
        row["done"] = row["submitted"] == row["total"]
    return result if not unassigned else [*result, {"unit": None, "unassigned": unassigned, "total": 0,
                                                     "scored": 0, "submitted": 0, "percent": 0, "done": False}]
