"""The assessment scoring engine: from indicator scores and adjustments to totals, grades, ranks and lists.

Pure Python, no Django. The rules (seed 001 = /work/shared/seeds/001_*.txt, the 考核方案 at its end; DOMAIN.md §3–§5):

1. Applicable indicators of a unit: those whose categories contain the unit's category, plus the unit's ``add``,
   minus its ``remove`` — §四 "分類科學設定考核指標，並結合考核對象工作實際進行增減". An ``add`` of an indicator that
   already applies, or a ``remove`` of one that does not, changes nothing and is noted; the same code in both is an
   error. Applicable points over 100, or 0, is a configuration error naming the unit.
2. Sub-units: a unit's score for an indicator is the mean of its sub-unit rows when it has any — §五(一)
   "各省直單位要對本系統……進行評價，評價結果納入對省轄市……的日常評價". A unit-level row together with sub-unit
   rows for the same cell, duplicate rows, a missing cell, a score outside 0..points, a score for an indicator
   that does not apply, and an unknown code are errors naming the unit and the indicator.
3. ``earned`` = sum of the cell scores; ``base`` = earned when applicable points are 100, else
   earned × 100 ÷ applicable — §五 "考核採取百分制……實際考核內容不足100分的，根據實際得分進行換算".
4. Bonus capped at ``bonus_cap`` (5), absolutely — §五(七) "累計加分最多不超過5分". Deduction capped at
   ``deduction_cap`` (10) "in principle" — §五(七) "累計扣分原則上不超過10分": items marked ``exceed_cap`` (the
   office decided, with a recorded reason) are added outside the cap.
5. total = base + bonus − deduction, computed exactly in Decimal and rounded ROUND_HALF_UP to 2 places once.
   Grades, ranks and quota use this rounded (published) total.
6. Grade by the settings' thresholds (DOMAIN §5.4: the seeds give none). A serious deduction (情节严重) makes the
   unit ineligible for 优秀 — §五(七) "情節嚴重的，不得被評為優秀等次" — its grade becomes 良好.
7. Optional 优秀 share cap per category: allowed = floor(share × units in the category), but at least 1 when the
   share is above 0 (a share cap must not silently ban 优秀 in small categories such as 5 = 省法院、省检察院,
   2 units); share 0 allows none. The 优秀 units of the category are ordered by total; those below the
   ``allowed``-th total become 良好; units tied with the ``allowed``-th total all keep 优秀.
8. Rank only in ranked categories (default 1, 4, 7 — §六(一) "第一項、第四項、第七項所列單位評定等次並排名，
   第二項、第三項、第五項、第六項所列單位只評定等次"), within the category, by total descending; ties share a rank
   and the next rank skips (1, 2, 2, 4). Other units have rank ``None``, always.
9. Lists (§六): commendation — 优秀 now and 优秀 in the previous campaign (§六(三) "連續2年考核優秀");
   warning — last in a ranked category (all units tied at the bottom; none when every unit of the category
   shares one total, e.g. a category of one unit) and ranked units whose rank fell by at least
   ``warning_rank_drop`` places since the previous campaign (§六(四) "排名最後和退步較大"); recommendation
   letter — 合格 or 不合格 (§六(二) "考核等次為合格、不合格的，制發法治建議書"). Each list is in input unit order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext

from .errors import ScoringError
from .model import (
    ADJUSTMENT_METHOD,
    BONUS,
    DEDUCTION,
    GRADE_EXCELLENT,
    GRADE_FAIL,
    GRADE_GOOD,
    GRADE_PASS,
    GRADES,
    METHOD_GROUP,
    METHODS,
    MISSING_BLOCK,
    MISSING_RULES,
    MISSING_ZERO,
    SUBTOTAL_LABELS,
    SUBTOTALS,
    WEIGHTED_SUBTOTALS,
    CampaignInput,
    Indicator,
    Result,
    Settings,
    Unit,
    UnitResult,
)

__all__ = ["applicable_indicators", "compute", "validate_settings"]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")
#: Arithmetic context for the whole computation, independent of the caller's context.
_CONTEXT = Context(prec=50, rounding=ROUND_HALF_EVEN)
_MAX_LISTED = 10


def _q(value: Decimal) -> Decimal:
    """Round half-up to 2 decimal places (the published precision); never a negative zero."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP) + ZERO


def _n(value: Decimal) -> str:
    """A number for a human-readable note: at most 2 decimals, no trailing zeros."""
    return format(_q(value).normalize(), "f")


def _codes(codes: Iterable[str]) -> str:
    codes = list(codes)
    shown = "、".join(codes[:_MAX_LISTED])
    return shown + (f" 等{len(codes)}项" if len(codes) > _MAX_LISTED else "")


def validate_settings(settings: Settings) -> None:
    """Raise :class:`ScoringError` when the settings are inconsistent (thresholds not descending, negative caps,
    a share outside 0..1, a rank drop below 1)."""
    if not (settings.excellent_min > settings.good_min > settings.pass_min >= ZERO):
        raise ScoringError(
            f"等次分数线须满足 优秀({settings.excellent_min}) > 良好({settings.good_min}) > 合格({settings.pass_min}) ≥ 0",
            "grade thresholds must satisfy 优秀 > 良好 > 合格 >= 0",
            path="settings.grades",
        )
    for name, cap in (("bonus_cap", settings.bonus_cap), ("deduction_cap", settings.deduction_cap)):
        if cap < ZERO:
            raise ScoringError(
                f"{name} 不能为负数：{cap}", f"{name} must not be negative: {cap}", path=f"settings.{name}"
            )
    quota = settings.excellent_quota
    if quota is not None and not (ZERO <= quota <= 1):
        raise ScoringError(
            f"优秀比例上限须在0到1之间：{quota}",
            f"excellent_quota must be a share between 0 and 1: {quota}",
            path="settings.excellent_quota",
        )
    if settings.method_weights is not None:
        names = [name for name, _w in settings.method_weights]
        unknown = [n for n in names if n not in WEIGHTED_SUBTOTALS]
        if unknown or len(set(names)) != len(names):
            raise ScoringError(
                f"考核方式权重只能设定 {'、'.join(WEIGHTED_SUBTOTALS)}（日常工作落实、实地考核、满意度）各一次：{names}",
                f"method_weights may set each of {', '.join(WEIGHTED_SUBTOTALS)} once, got {names}",
                path="settings.method_weights",
            )
        weights = [w for _n_, w in settings.method_weights]
        if any(w < ZERO for w in weights) or sum(weights, ZERO) != HUNDRED:
            raise ScoringError(
                f"考核方式权重须为非负数且合计100：{'、'.join(str(w) for w in weights)}",
                f"method_weights must be non-negative and add up to 100, got {', '.join(str(w) for w in weights)}",
                path="settings.method_weights",
            )
    if settings.missing_subunits not in MISSING_RULES:
        raise ScoringError(
            f"缺少下属单位评价的处理方式须为 {'、'.join(MISSING_RULES)} 之一：{settings.missing_subunits!r}",
            f"missing_subunits must be one of {', '.join(MISSING_RULES)}, got {settings.missing_subunits!r}",
            path="settings.missing_subunits",
        )
    if settings.missing_subunits != MISSING_BLOCK and not settings.missing_subunits_reason.strip():
        raise ScoringError(
            "缺少下属单位评价按0分计或不计入，须写明考核办的决定理由",
            "missing_subunits other than 'block' needs the office's reason",
            path="settings.missing_subunits_reason",
        )
    if settings.warning_rank_drop < 1:
        raise ScoringError(
            f"通报警示的排名下降位数须至少为1：{settings.warning_rank_drop}",
            f"warning_rank_drop must be at least 1: {settings.warning_rank_drop}",
            path="settings.warning_rank_drop",
        )


def applicable_indicators(unit: Unit, indicators: Sequence[Indicator]) -> tuple[str, ...]:
    """Codes of the indicators that apply to ``unit``, in indicator-table order (rule 1 of the module docstring):
    the cells an assessing unit must score. Unknown codes in ``add``/``remove`` raise :class:`ScoringError`."""
    known = {ind.code for ind in indicators}
    for field_name, codes in (("add", unit.add), ("remove", unit.remove)):
        for ind_code in codes:
            if ind_code not in known:
                raise ScoringError(
                    f"考核对象 {unit.code} 的{'增列' if field_name == 'add' else '减列'}指标 {ind_code} 不存在",
                    f"unit {unit.code}: unknown indicator {ind_code} in {field_name}",
                    unit=unit.code,
                    indicator=ind_code,
                )
    added, removed = set(unit.add), set(unit.remove)
    return tuple(
        ind.code
        for ind in indicators
        if (unit.category in ind.categories or ind.code in added) and ind.code not in removed
    )


def compute(campaign: CampaignInput) -> Result:
    """Compute every unit's result and the lists for one campaign; see the module docstring for the rules.

    Raises :class:`ScoringError` naming the unit and indicator for any configuration or data error.
    """
    with localcontext(_CONTEXT):
        return _compute(campaign)


class _Run:
    """The state one computation builds up, phase by phase (each ``_phase_*`` function fills some of it)."""

    __slots__ = (
        "applicable",
        "applicable_points",
        "base_of",
        "bonus_of",
        "bonus_sum",
        "campaign",
        "capped_sum",
        "category_of",
        "category_points",
        "category_sets",
        "deduction_of",
        "earned",
        "earned_by_group",
        "exceed_reasons",
        "exceed_sum",
        "grade_of",
        "indicator_order",
        "members",
        "method_of",
        "notes",
        "points",
        "previous_grade",
        "previous_rank",
        "rank_of",
        "serious_reasons",
        "settings",
        "subtotals_of",
        "total_of",
        "warning",
    )

    def __init__(self, campaign: CampaignInput) -> None:
        self.campaign = campaign
        self.settings = campaign.settings
        self.notes: dict[str, list[str]] = {}
        self.warning: set[str] = set()
        self.rank_of: dict[str, int] = {}


def _compute(campaign: CampaignInput) -> Result:
    """The phases, in order; each is a named function below (rules 1–9 of the module docstring)."""
    validate_settings(campaign.settings)
    run = _Run(campaign)
    _phase_indicators(run)  # rule 1: the indicator table
    _phase_units(run)  # rule 1: each unit's applicable indicators
    _phase_scores(run)  # rule 2: cells, sub-unit means, expected sub-units
    _phase_adjustments(run)  # rule 4: bonus and deduction items
    _phase_previous(run)  # rule 9: the previous campaign
    _phase_totals(run)  # rules 3–6: base, subtotals, caps, total, grade
    _phase_members(run)
    _phase_quota(run)  # rule 7: share cap on 优秀
    _phase_ranks(run)  # rule 8 and the warning list of rule 9
    return _phase_results(run)  # rule 9: lists, results in input order


def _phase_indicators(run: _Run) -> None:
    """Index the indicator table: points, method, order, and the indicators and points of each category."""
    points: dict[str, Decimal] = {}
    method_of: dict[str, str] = {}
    indicator_order: dict[str, int] = {}
    by_category: dict[int, list[str]] = {}
    for pos, ind in enumerate(run.campaign.indicators):
        if ind.code in points:
            raise ScoringError(
                f"指标 {ind.code} 重复",
                f"duplicate indicator {ind.code}",
                indicator=ind.code,
                path=f"indicators[{pos}]",
            )
        if not ind.points > ZERO:
            raise ScoringError(
                f"指标 {ind.code} 的分值须大于0：{ind.points}",
                f"indicator {ind.code}: points must be greater than 0, got {ind.points}",
                indicator=ind.code,
                path=f"indicators[{pos}].points",
            )
        if ind.method == ADJUSTMENT_METHOD:
            raise ScoringError(
                f"指标 {ind.code} 的考核方式为加减分评定：加减分在综合评分的基础上另计，不能作为有分值的指标"
                "（考核方案§五(七)），请改为加减分事项",
                f"indicator {ind.code}: 加减分 (bonus/deduction) is added on top of the composite score and can "
                "never be a points-bearing indicator; record it as adjustments",
                indicator=ind.code,
                path=f"indicators[{pos}].method",
            )
        if ind.method not in METHOD_GROUP:
            raise ScoringError(
                f"指标 {ind.code} 的考核方式 {ind.method!r} 不是 {'、'.join(METHODS)} 之一",
                f"indicator {ind.code}: method {ind.method!r} is not one of {', '.join(METHODS)}",
                indicator=ind.code,
                path=f"indicators[{pos}].method",
            )
        points[ind.code] = ind.points
        method_of[ind.code] = ind.method
        indicator_order[ind.code] = pos
        for cat in ind.categories:
            by_category.setdefault(cat, []).append(ind.code)
    run.points = points
    run.method_of = method_of
    run.indicator_order = indicator_order
    run.category_sets = {cat: frozenset(codes) for cat, codes in by_category.items()}
    run.category_points = {cat: sum((points[c] for c in codes), ZERO) for cat, codes in by_category.items()}


def _phase_units(run: _Run) -> None:
    """Each unit's applicable indicators and points (category, plus ``add``, minus ``remove``)."""
    points = run.points
    empty: frozenset[str] = frozenset()
    applicable: dict[str, frozenset[str]] = {}
    applicable_points: dict[str, Decimal] = {}
    category_of: dict[str, int] = {}
    for pos, unit in enumerate(run.campaign.units):
        code = unit.code
        if code in applicable:
            raise ScoringError(
                f"考核对象 {code} 重复", f"duplicate unit {code}", unit=code, path=f"units[{pos}]"
            )
        category_of[code] = unit.category
        unit_notes: list[str] = []
        run.notes[code] = unit_notes
        base_set = run.category_sets.get(unit.category, empty)
        if not unit.add and not unit.remove:
            applicable[code] = base_set
            applicable_points[code] = run.category_points.get(unit.category, ZERO)
        else:
            app = _adjusted_applicable(unit, pos, base_set, points, unit_notes)
            applicable[code] = app
            applicable_points[code] = sum((points[c] for c in app), ZERO)
        app_points = applicable_points[code]
        if app_points > HUNDRED:
            raise ScoringError(
                f"考核对象 {code} 的适用指标合计 {_n(app_points)} 分，超过100分，请检查指标表",
                f"unit {code}: applicable indicators total {app_points} points, more than 100",
                unit=code,
                path=f"units[{pos}]",
            )
        if app_points == ZERO:
            raise ScoringError(
                f"考核对象 {code}（第{unit.category}类）没有适用的考核指标",
                f"unit {code} (category {unit.category}) has no applicable indicators",
                unit=code,
                path=f"units[{pos}]",
            )
    run.applicable = applicable
    run.applicable_points = applicable_points
    run.category_of = category_of


def _adjusted_applicable(
    unit: Unit, pos: int, base_set: frozenset[str], points: dict[str, Decimal], unit_notes: list[str]
) -> frozenset[str]:
    """The applicable set of a unit with ``add``/``remove`` (§四 增减), with the notes explaining it."""
    code = unit.code
    for field_name, codes in (("add", unit.add), ("remove", unit.remove)):
        for i, ind_code in enumerate(codes):
            if ind_code not in points:
                raise ScoringError(
                    f"考核对象 {code} 的{'增列' if field_name == 'add' else '减列'}指标 {ind_code} 不存在",
                    f"unit {code}: unknown indicator {ind_code} in {field_name}",
                    unit=code,
                    indicator=ind_code,
                    path=f"units[{pos}].{field_name}[{i}]",
                )
    removed = set(unit.remove)
    both = [c for c in unit.add if c in removed]
    if both:
        raise ScoringError(
            f"考核对象 {code} 的指标 {both[0]} 同时被增列和减列",
            f"unit {code}: indicator {both[0]} is both added and removed",
            unit=code,
            indicator=both[0],
            path=f"units[{pos}]",
        )
    redundant_add = [c for c in unit.add if c in base_set]
    redundant_remove = [c for c in unit.remove if c not in base_set]
    if redundant_add:
        unit_notes.append(f"增列的指标 {_codes(redundant_add)} 已按类别适用，增列不改变考核内容")
    if redundant_remove:
        unit_notes.append(f"减列的指标 {_codes(redundant_remove)} 本不适用于该类别，减列不改变考核内容")
    changed_add = [c for c in unit.add if c not in base_set]
    changed_remove = [c for c in unit.remove if c in base_set]
    if changed_add or changed_remove:
        parts = []
        if changed_add:
            parts.append(f"增列 {_codes(changed_add)}")
        if changed_remove:
            parts.append(f"减列 {_codes(changed_remove)}")
        unit_notes.append("结合工作实际调整考核指标：" + "，".join(parts) + "（考核方案§四）")
    return (base_set | frozenset(unit.add)) - frozenset(unit.remove)


def _phase_scores(run: _Run) -> None:
    """One pass over the score rows: unit-level cells add up directly; sub-unit rows are collected and their
    mean added per cell (§五(一)), after the expected sub-units are checked; then every cell must be scored."""
    applicable = run.applicable
    points = run.points
    group_of = {code: METHOD_GROUP[m] for code, m in run.method_of.items()}
    earned: dict[str, Decimal] = dict.fromkeys(applicable, ZERO)
    by_group: dict[str, dict[str, Decimal]] = {code: {} for code in applicable}
    seen: dict[str, set[str]] = {code: set() for code in applicable}
    sub_cells: dict[tuple[str, str], dict[str, Decimal]] = {}
    for pos, row in enumerate(run.campaign.scores):
        unit_code = row.unit
        ind_code = row.indicator
        app = applicable.get(unit_code)
        if app is None:
            raise ScoringError(
                f"评分所列考核对象 {unit_code} 不存在（指标 {ind_code}）",
                f"score for unknown unit {unit_code} (indicator {ind_code})",
                unit=unit_code,
                indicator=ind_code,
                path=f"scores[{pos}].unit",
            )
        if ind_code not in app:
            if ind_code not in points:
                raise ScoringError(
                    f"考核对象 {unit_code} 的评分所列指标 {ind_code} 不存在",
                    f"unit {unit_code}: score for unknown indicator {ind_code}",
                    unit=unit_code,
                    indicator=ind_code,
                    path=f"scores[{pos}].indicator",
                )
            raise ScoringError(
                f"指标 {ind_code} 不适用于考核对象 {unit_code}，不能评分",
                f"unit {unit_code}: indicator {ind_code} does not apply to it and cannot be scored",
                unit=unit_code,
                indicator=ind_code,
                path=f"scores[{pos}]",
            )
        value = row.score
        if not ZERO <= value <= points[ind_code]:
            raise ScoringError(
                f"考核对象 {unit_code} 指标 {ind_code} 的得分 {value} 超出 0～{_n(points[ind_code])} 分",
                f"unit {unit_code}, indicator {ind_code}: score {value} outside 0..{points[ind_code]}",
                unit=unit_code,
                indicator=ind_code,
                path=f"scores[{pos}].score",
            )
        if row.subunit is None:
            cells = seen[unit_code]
            if ind_code in cells:
                raise ScoringError(
                    f"考核对象 {unit_code} 指标 {ind_code} 有重复的评分",
                    f"unit {unit_code}, indicator {ind_code}: duplicate score",
                    unit=unit_code,
                    indicator=ind_code,
                    path=f"scores[{pos}]",
                )
            cells.add(ind_code)
            earned[unit_code] += value
            groups = by_group[unit_code]
            group = group_of[ind_code]
            groups[group] = groups.get(group, ZERO) + value
        else:
            sub = sub_cells.setdefault((unit_code, ind_code), {})
            if row.subunit in sub:
                raise ScoringError(
                    f"考核对象 {unit_code} 指标 {ind_code} 的下属单位 {row.subunit} 有重复的评分",
                    f"unit {unit_code}, indicator {ind_code}: duplicate score for sub-unit {row.subunit}",
                    unit=unit_code,
                    indicator=ind_code,
                    path=f"scores[{pos}]",
                )
            sub[row.subunit] = value
    expected = _expected_subunits(run, seen, sub_cells)
    for key in expected:
        sub_cells.setdefault(key, {})
    for (unit_code, ind_code), sub in sub_cells.items():
        cells = seen[unit_code]
        if ind_code in cells:
            raise ScoringError(
                f"考核对象 {unit_code} 指标 {ind_code} 既有本级评分又有下属单位评分",
                f"unit {unit_code}, indicator {ind_code}: both a unit-level score and sub-unit scores",
                unit=unit_code,
                indicator=ind_code,
                path="scores",
            )
        values = list(sub.values())
        missing = [s for s in expected.get((unit_code, ind_code), ()) if s not in sub]
        if missing:
            if run.settings.missing_subunits == MISSING_ZERO:
                values += [ZERO] * len(missing)
                run.notes[unit_code].append(
                    f"指标 {ind_code} 缺少下属单位 {_codes(missing)} 的评价，经考核办决定按0分计入平均值"
                    f"（理由：{run.settings.missing_subunits_reason.strip()}）"
                )
            else:  # exclude; "block" has raised in _expected_subunits
                run.notes[unit_code].append(
                    f"指标 {ind_code} 缺少下属单位 {_codes(missing)} 的评价，经考核办决定不计入平均值"
                    f"（理由：{run.settings.missing_subunits_reason.strip()}）"
                )
        if not values:
            continue  # every expected evaluation excluded: the cell is missing, reported below
        cells.add(ind_code)
        mean = sum(values, ZERO) / len(values)
        earned[unit_code] += mean
        groups = by_group[unit_code]
        group = group_of[ind_code]
        groups[group] = groups.get(group, ZERO) + mean
        run.notes[unit_code].append(
            f"指标 {ind_code} 得分为 {len(values)} 个下属单位评分的平均值 {_n(mean)} 分（考核方案§五(一)）"
        )
    for pos, unit in enumerate(run.campaign.units):
        app = applicable[unit.code]
        if len(seen[unit.code]) != len(app):
            missing_cells = sorted(app - seen[unit.code], key=run.indicator_order.__getitem__)
            raise ScoringError(
                f"考核对象 {unit.code} 缺少指标 {_codes(missing_cells)} 的评分",
                f"unit {unit.code}: missing score for indicator(s) {', '.join(missing_cells[:_MAX_LISTED])}",
                unit=unit.code,
                indicator=missing_cells[0],
                path=f"units[{pos}]",
            )
    run.earned = earned
    run.earned_by_group = by_group


def _expected_subunits(
    run: _Run, seen: dict[str, set[str]], sub_cells: dict[tuple[str, str], dict[str, Decimal]]
) -> dict[tuple[str, str], tuple[str, ...]]:
    """Check the declared sub-unit evaluations (§五(一)): every expected one present, none unexpected. Under the
    ``block`` rule a missing one is an error naming the unit, indicator and sub-units."""
    expected: dict[tuple[str, str], tuple[str, ...]] = {}
    for pos, exp in enumerate(run.campaign.expected):
        path = f"expected[{pos}]"
        app = run.applicable.get(exp.unit)
        if app is None:
            raise ScoringError(
                f"应评价清单所列考核对象 {exp.unit} 不存在",
                f"expected evaluations for unknown unit {exp.unit}",
                unit=exp.unit,
                path=f"{path}.unit",
            )
        if exp.indicator not in app:
            raise ScoringError(
                f"应评价清单：指标 {exp.indicator} 不适用于考核对象 {exp.unit}",
                f"expected evaluations: indicator {exp.indicator} does not apply to unit {exp.unit}",
                unit=exp.unit,
                indicator=exp.indicator,
                path=f"{path}.indicator",
            )
        key = (exp.unit, exp.indicator)
        if key in expected:
            raise ScoringError(
                f"应评价清单中考核对象 {exp.unit} 指标 {exp.indicator} 重复",
                f"expected evaluations: duplicate entry for unit {exp.unit}, indicator {exp.indicator}",
                unit=exp.unit,
                indicator=exp.indicator,
                path=path,
            )
        if not exp.subunits or len(set(exp.subunits)) != len(exp.subunits):
            raise ScoringError(
                f"应评价清单中考核对象 {exp.unit} 指标 {exp.indicator} 的下属单位须至少一个且不重复",
                f"expected evaluations for unit {exp.unit}, indicator {exp.indicator}: sub-units must be "
                "non-empty and distinct",
                unit=exp.unit,
                indicator=exp.indicator,
                path=f"{path}.subunits",
            )
        if exp.indicator in seen[exp.unit]:
            raise ScoringError(
                f"考核对象 {exp.unit} 指标 {exp.indicator} 应由下属单位分别评价，却有本级评分",
                f"unit {exp.unit}, indicator {exp.indicator}: sub-unit evaluations are expected but a "
                "unit-level score was given",
                unit=exp.unit,
                indicator=exp.indicator,
                path=path,
            )
        present = sub_cells.get(key, {})
        unexpected = [s for s in present if s not in exp.subunits]
        if unexpected:
            raise ScoringError(
                f"考核对象 {exp.unit} 指标 {exp.indicator} 有不在应评价清单中的下属单位评分：{_codes(unexpected)}",
                f"unit {exp.unit}, indicator {exp.indicator}: scores for sub-unit(s) not in the expected list: "
                f"{', '.join(unexpected[:_MAX_LISTED])}",
                unit=exp.unit,
                indicator=exp.indicator,
                path=path,
            )
        expected[key] = exp.subunits
    if run.settings.missing_subunits == MISSING_BLOCK:
        gaps = [
            (unit, ind, [s for s in subs if s not in sub_cells.get((unit, ind), {})])
            for (unit, ind), subs in expected.items()
        ]
        gaps = [g for g in gaps if g[2]]
        if gaps:
            unit, ind, missing = gaps[0]
            count = sum(len(g[2]) for g in gaps)
            raise ScoringError(
                f"缺少 {count} 项下属单位评价，不能计算：考核对象 {unit} 指标 {ind} 缺少 {_codes(missing)} 的评价"
                + (f" 等{len(gaps)}个考核对象指标" if len(gaps) > 1 else "")
                + "（考核方案§五(一)；补齐评价，或由考核办决定按0分计或不计入并说明理由）",
                f"{count} expected sub-unit evaluation(s) missing: unit {unit}, indicator {ind} lacks "
                f"{', '.join(missing[:_MAX_LISTED])}" + (f" and {len(gaps) - 1} more cell(s)" if len(gaps) > 1 else ""),
                unit=unit,
                indicator=ind,
                path="expected",
            )
    return expected


def _phase_adjustments(run: _Run) -> None:
    """Sum the bonus, capped deduction and over-the-cap deduction items per unit; collect serious reasons."""
    bonus_sum: dict[str, Decimal] = {}
    capped_sum: dict[str, Decimal] = {}
    exceed_sum: dict[str, Decimal] = {}
    exceed_reasons: dict[str, list[str]] = {}
    serious_reasons: dict[str, list[str]] = {}
    for pos, adj in enumerate(run.campaign.adjustments):
        unit_code = adj.unit
        path = f"adjustments[{pos}]"
        if unit_code not in run.applicable:
            raise ScoringError(
                f"加减分所列考核对象 {unit_code} 不存在",
                f"adjustment for unknown unit {unit_code}",
                unit=unit_code,
                path=f"{path}.unit",
            )
        if adj.kind not in (BONUS, DEDUCTION):
            raise ScoringError(
                f"考核对象 {unit_code} 的加减分类型须为 bonus 或 deduction：{adj.kind}",
                f"unit {unit_code}: adjustment kind must be bonus or deduction, got {adj.kind!r}",
                unit=unit_code,
                path=f"{path}.kind",
            )
        if not adj.points > ZERO:
            raise ScoringError(
                f"考核对象 {unit_code} 的加减分分值须大于0：{adj.points}",
                f"unit {unit_code}: adjustment points must be greater than 0, got {adj.points}",
                unit=unit_code,
                path=f"{path}.points",
            )
        if not adj.reason.strip():
            raise ScoringError(
                f"考核对象 {unit_code} 的加减分事项须写明理由（考核方案§五(七)）",
                f"unit {unit_code}: an adjustment needs a reason",
                unit=unit_code,
                path=f"{path}.reason",
            )
        if adj.kind == BONUS:
            if adj.serious or adj.exceed_cap:
                raise ScoringError(
                    f"考核对象 {unit_code} 的加分事项不能标记为情节严重或不受上限限制（加分上限是绝对的）",
                    f"unit {unit_code}: a bonus cannot be serious or exceed_cap (the bonus cap is absolute)",
                    unit=unit_code,
                    path=path,
                )
            bonus_sum[unit_code] = bonus_sum.get(unit_code, ZERO) + adj.points
            continue
        if adj.exceed_cap:
            exceed_sum[unit_code] = exceed_sum.get(unit_code, ZERO) + adj.points
            exceed_reasons.setdefault(unit_code, []).append(adj.reason.strip())
        else:
            capped_sum[unit_code] = capped_sum.get(unit_code, ZERO) + adj.points
        if adj.serious:
            serious_reasons.setdefault(unit_code, []).append(adj.reason.strip())
    run.bonus_sum = bonus_sum
    run.capped_sum = capped_sum
    run.exceed_sum = exceed_sum
    run.exceed_reasons = exceed_reasons
    run.serious_reasons = serious_reasons


def _phase_previous(run: _Run) -> None:
    """The previous campaign's grade and rank per unit (for commendation and warning)."""
    previous_grade: dict[str, str] = {}
    previous_rank: dict[str, int] = {}
    seen_previous: set[str] = set()
    for pos, prev in enumerate(run.campaign.previous):
        unit_code = prev.unit
        path = f"previous[{pos}]"
        if unit_code not in run.applicable:
            raise ScoringError(
                f"上年结果所列考核对象 {unit_code} 不存在",
                f"previous result for unknown unit {unit_code}",
                unit=unit_code,
                path=f"{path}.unit",
            )
        if unit_code in seen_previous:
            raise ScoringError(
                f"考核对象 {unit_code} 的上年结果重复",
                f"duplicate previous result for unit {unit_code}",
                unit=unit_code,
                path=path,
            )
        seen_previous.add(unit_code)
        if prev.grade is not None:
            if prev.grade not in GRADES:
                raise ScoringError(
                    f"考核对象 {unit_code} 的上年等次 {prev.grade} 不是 优秀/良好/合格/不合格 之一",
                    f"unit {unit_code}: previous grade {prev.grade!r} is not one of {', '.join(GRADES)}",
                    unit=unit_code,
                    path=f"{path}.grade",
                )
            previous_grade[unit_code] = prev.grade
        if prev.rank is not None:
            if prev.rank < 1:
                raise ScoringError(
                    f"考核对象 {unit_code} 的上年排名须为正整数：{prev.rank}",
                    f"unit {unit_code}: previous rank must be a positive integer, got {prev.rank}",
                    unit=unit_code,
                    path=f"{path}.rank",
                )
            previous_rank[unit_code] = prev.rank
    run.previous_grade = previous_grade
    run.previous_rank = previous_rank


def _group_points(run: _Run, code: str) -> dict[str, Decimal]:
    """Applicable points of a unit per subtotal (daily_work / field_work / survey)."""
    out: dict[str, Decimal] = {}
    for ind_code in run.applicable[code]:
        group = METHOD_GROUP[run.method_of[ind_code]]
        out[group] = out.get(group, ZERO) + run.points[ind_code]
    return out


def _base_subtotals(run: _Run, code: str) -> dict[str, Decimal]:
    """The unrounded base of a unit split by method subtotal (rule 3; weights, when set, per method).

    Plain sum (the scheme's rule): each subtotal is its earned points × 100 ÷ applicable points, so they add up
    to the converted base. With ``method_weights``: each subtotal is its earned share of its own applicable
    points × its weight; weights of subtotals with no applicable indicator are spread over the others
    (× 100 ÷ the weights that apply), the same conversion rule applied per method.
    """
    earned = run.earned_by_group[code]
    weights = run.settings.method_weights
    app_points = run.applicable_points[code]
    if weights is None:
        if app_points == HUNDRED:
            return {g: earned.get(g, ZERO) for g in WEIGHTED_SUBTOTALS}
        return {g: earned.get(g, ZERO) * HUNDRED / app_points for g in WEIGHTED_SUBTOTALS}
    group_points = _group_points(run, code)
    weight = dict(weights)
    present = sum((weight.get(g, ZERO) for g in group_points), ZERO)
    out = dict.fromkeys(WEIGHTED_SUBTOTALS, ZERO)
    if present == ZERO:
        raise ScoringError(
            f"考核对象 {code} 适用的考核方式 {'、'.join(SUBTOTAL_LABELS[g] for g in group_points)} 权重均为0",
            f"unit {code}: every method that applies to it has weight 0",
            unit=code,
            path="settings.method_weights",
        )
    for g, gp in group_points.items():
        out[g] = earned.get(g, ZERO) / gp * weight.get(g, ZERO) * HUNDRED / present
    return out


def _allocate(exact: dict[str, Decimal], total: Decimal) -> dict[str, Decimal]:
    """Round each subtotal to the cent so that they add up to ``total`` (the largest-remainder method): floor
    each, then give the missing cents to the largest remainders (exact values never move)."""
    floors = {k: v.quantize(CENT, rounding=ROUND_FLOOR) for k, v in exact.items()}
    missing = int(((total - sum(floors.values(), ZERO)) / CENT).to_integral_value())
    order = sorted(exact, key=lambda k: (exact[k] - floors[k], -SUBTOTALS.index(k)), reverse=True)
    out = dict(floors)
    # 0 <= missing <= the number of inexact subtotals: the total is the rounded exact sum, floors sum below it.
    for k in order[:missing]:
        out[k] += CENT
    return {k: v + ZERO for k, v in out.items()}


def _phase_totals(run: _Run) -> None:
    """Per unit: converted base and its method subtotals, capped bonus and deduction, total, grade."""
    settings = run.settings
    bonus_cap = settings.bonus_cap
    deduction_cap = settings.deduction_cap
    run.total_of, run.grade_of, run.base_of = {}, {}, {}
    run.bonus_of, run.deduction_of, run.subtotals_of = {}, {}, {}
    for code in run.applicable:
        unit_notes = run.notes[code]
        app_points = run.applicable_points[code]
        unit_earned = run.earned[code]
        parts = _base_subtotals(run, code)
        base = sum(parts.values(), ZERO)
        if settings.method_weights is None:
            if app_points != HUNDRED:
                unit_notes.append(
                    f"适用指标合计 {_n(app_points)} 分，不足100分，基础分按实际得分换算："
                    f"{_n(unit_earned)} ÷ {_n(app_points)} × 100 = {_n(base)}（考核方案§五）"
                )
        else:
            unit_notes.append(
                "按考核方式权重计算基础分："
                + "，".join(
                    f"{SUBTOTAL_LABELS[g]} {_n(w)}%" for g, w in settings.method_weights
                )
                + f"，基础分 {_n(base)}"
            )
        raw_bonus = run.bonus_sum.get(code, ZERO)
        bonus = min(raw_bonus, bonus_cap)
        if raw_bonus > bonus_cap:
            unit_notes.append(
                f"加分合计 {_n(raw_bonus)} 分，超过上限 {_n(bonus_cap)} 分，按 {_n(bonus)} 分计（考核方案§五(七)）"
            )
        raw_capped = run.capped_sum.get(code, ZERO)
        deduction = min(raw_capped, deduction_cap)
        if raw_capped > deduction_cap:
            unit_notes.append(
                f"扣分合计 {_n(raw_capped)} 分，超过上限 {_n(deduction_cap)} 分，按 {_n(deduction)} 分计（考核方案§五(七)）"
            )
        extra = run.exceed_sum.get(code)
        if extra is not None:
            deduction += extra
            unit_notes.append(
                f"另扣 {_n(extra)} 分，经考核办决定不受 {_n(deduction_cap)} 分扣分上限限制"
                f"（理由：{'；'.join(run.exceed_reasons[code])}）"
            )
        total = _q(base + bonus - deduction)
        parts["adjustment"] = bonus - deduction
        grade = settings.grade_for(total)
        if code in run.serious_reasons:
            reasons = "；".join(run.serious_reasons[code])
            if grade == GRADE_EXCELLENT:
                grade = GRADE_GOOD
                unit_notes.append(
                    f"存在情节严重的扣分事项（{reasons}），不得评为优秀等次，等次由优秀调整为良好（考核方案§五(七)）"
                )
            else:
                unit_notes.append(f"存在情节严重的扣分事项（{reasons}），不得评为优秀等次（考核方案§五(七)）")
        run.total_of[code] = total
        run.grade_of[code] = grade
        run.base_of[code] = base
        run.bonus_of[code] = bonus
        run.deduction_of[code] = deduction
        run.subtotals_of[code] = _allocate(parts, total)


def _phase_members(run: _Run) -> None:
    """The units of each category, in input order."""
    members: dict[int, list[str]] = {}
    for code, cat in run.category_of.items():
        members.setdefault(cat, []).append(code)
    run.members = members


def _phase_quota(run: _Run) -> None:
    """The optional share cap on 优秀 per category (rule 7)."""
    quota = run.settings.excellent_quota
    if quota is None:
        return
    total_of, grade_of, notes = run.total_of, run.grade_of, run.notes
    for cat, codes in run.members.items():
        excellent = [c for c in codes if grade_of[c] == GRADE_EXCELLENT]
        allowed = int((quota * len(codes)).to_integral_value(rounding=ROUND_FLOOR))
        if quota > ZERO:
            allowed = max(allowed, 1)
        if len(excellent) <= allowed:
            continue
        excellent.sort(key=total_of.__getitem__, reverse=True)
        cut = total_of[excellent[allowed - 1]] if allowed else None
        kept = [c for c in excellent if cut is not None and total_of[c] >= cut]
        for c in excellent:
            if cut is not None and total_of[c] >= cut:
                if len(kept) > allowed and total_of[c] == cut:
                    tied = sum(1 for k in kept if total_of[k] == cut)
                    notes[c].append(
                        f"优秀等次比例上限 {_n(quota * HUNDRED)}%：第{cat}类 {len(codes)} 个单位至多 {allowed} 个优秀，"
                        f"{tied} 个单位以总分 {_n(cut)} 并列于名额线，并列者均保留优秀"
                    )
                continue
            grade_of[c] = GRADE_GOOD
            notes[c].append(
                f"优秀等次比例上限 {_n(quota * HUNDRED)}%：第{cat}类 {len(codes)} 个单位至多 {allowed} 个优秀，"
                f"总分 {_n(total_of[c])} 未进入，等次由优秀调整为良好"
            )


def _phase_ranks(run: _Run) -> None:
    """Competition ranking within ranked categories; last place and large falls go on the warning list."""
    settings, total_of, notes = run.settings, run.total_of, run.notes
    for cat, codes in run.members.items():
        if cat not in settings.ranked_categories:
            continue
        ordered = sorted(codes, key=total_of.__getitem__, reverse=True)
        previous_total: Decimal | None = None
        current_rank = 0
        for position, c in enumerate(ordered, start=1):
            if total_of[c] != previous_total:
                current_rank = position
                previous_total = total_of[c]
            run.rank_of[c] = current_rank
        lowest = total_of[ordered[-1]]
        if total_of[ordered[0]] != lowest:
            for c in ordered:
                if total_of[c] == lowest:
                    run.warning.add(c)
                    notes[c].append(f"在第{cat}类中排名最后，列入通报警示名单（考核方案§六(四)）")
        for c in codes:
            before = run.previous_rank.get(c)
            if before is not None and run.rank_of[c] - before >= settings.warning_rank_drop:
                run.warning.add(c)
                notes[c].append(
                    f"排名由上次第{before}名降至第{run.rank_of[c]}名，下降{run.rank_of[c] - before}位"
                    f"（达到{settings.warning_rank_drop}位），退步较大，列入通报警示名单（考核方案§六(四)）"
                )


def _phase_results(run: _Run) -> Result:
    """Commendation and recommendation-letter lists, and the results, in input order."""
    settings = run.settings
    commendation = []
    recommendation = []
    units_out = []
    for code, cat in run.category_of.items():
        notes = run.notes[code]
        grade = run.grade_of[code]
        if grade == GRADE_EXCELLENT and run.previous_grade.get(code) == GRADE_EXCELLENT:
            commendation.append(code)
            notes.append("连续两年考核优秀，列入通报表扬名单（考核方案§六(三)）")
        if grade in (GRADE_PASS, GRADE_FAIL):
            recommendation.append(code)
            notes.append(f"考核等次为{grade}，制发法治建议书（考核方案§六(二)）")
        if cat not in settings.ranked_categories:
            notes.append(f"第{cat}类单位只评定等次，不排名（考核方案§六(一)）")
        subtotals = run.subtotals_of[code]
        units_out.append(
            UnitResult(
                unit=code,
                category=cat,
                applicable_points=_q(run.applicable_points[code]),
                earned=_q(run.earned[code]),
                base=_q(run.base_of[code]),
                bonus=_q(run.bonus_of[code]),
                deduction=_q(run.deduction_of[code]),
                total=run.total_of[code],
                grade=grade,
                rank=run.rank_of.get(code),
                serious=code in run.serious_reasons,
                notes=tuple(notes),
                daily_work=subtotals["daily_work"],
                field_work=subtotals["field_work"],
                survey=subtotals["survey"],
                adjustment=subtotals["adjustment"],
            )
        )
    return Result(
        units=tuple(units_out),
        commendation=tuple(commendation),
        warning=tuple(c for c in run.category_of if c in run.warning),
        recommendation_letter=tuple(recommendation),
    )
