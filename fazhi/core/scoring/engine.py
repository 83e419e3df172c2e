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
    BONUS,
    DEDUCTION,
    GRADE_EXCELLENT,
    GRADE_FAIL,
    GRADE_GOOD,
    GRADE_PASS,
    GRADES,
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


def _compute(campaign: CampaignInput) -> Result:
    settings = campaign.settings
    validate_settings(settings)

    # --- indicators -------------------------------------------------------------------------------------------
    points: dict[str, Decimal] = {}
    indicator_order: dict[str, int] = {}
    by_category: dict[int, list[str]] = {}
    for pos, ind in enumerate(campaign.indicators):
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
        points[ind.code] = ind.points
        indicator_order[ind.code] = pos
        for cat in ind.categories:
            by_category.setdefault(cat, []).append(ind.code)
    category_sets = {cat: frozenset(codes) for cat, codes in by_category.items()}
    category_points = {cat: sum((points[c] for c in codes), ZERO) for cat, codes in by_category.items()}
    empty: frozenset[str] = frozenset()

    # --- units and their applicable indicators ------------------------------------------------------------------
    applicable: dict[str, frozenset[str]] = {}
    applicable_points: dict[str, Decimal] = {}
    category_of: dict[str, int] = {}
    notes: dict[str, list[str]] = {}
    for pos, unit in enumerate(campaign.units):
        code = unit.code
        if code in applicable:
            raise ScoringError(
                f"考核对象 {code} 重复", f"duplicate unit {code}", unit=code, path=f"units[{pos}]"
            )
        category_of[code] = unit.category
        unit_notes: list[str] = []
        notes[code] = unit_notes
        base_set = category_sets.get(unit.category, empty)
        if not unit.add and not unit.remove:
            applicable[code] = base_set
            applicable_points[code] = category_points.get(unit.category, ZERO)
        else:
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
                unit_notes.append(
                    f"减列的指标 {_codes(redundant_remove)} 本不适用于该类别，减列不改变考核内容"
                )
            app = (base_set | frozenset(unit.add)) - frozenset(unit.remove)
            applicable[code] = app
            applicable_points[code] = sum((points[c] for c in app), ZERO)
            changed_add = [c for c in unit.add if c not in base_set]
            changed_remove = [c for c in unit.remove if c in base_set]
            if changed_add or changed_remove:
                parts = []
                if changed_add:
                    parts.append(f"增列 {_codes(changed_add)}")
                if changed_remove:
                    parts.append(f"减列 {_codes(changed_remove)}")
                unit_notes.append("结合工作实际调整考核指标：" + "，".join(parts) + "（考核方案§四）")
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

    # --- scores: one pass, aggregated per unit ----------------------------------------------------------------
    earned: dict[str, Decimal] = dict.fromkeys(applicable, ZERO)
    seen: dict[str, set[str]] = {code: set() for code in applicable}
    sub_cells: dict[tuple[str, str], dict[str, Decimal]] = {}
    for pos, row in enumerate(campaign.scores):
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
        cells.add(ind_code)
        mean = sum(sub.values(), ZERO) / len(sub)
        earned[unit_code] += mean
        notes[unit_code].append(
            f"指标 {ind_code} 得分为 {len(sub)} 个下属单位评分的平均值 {_n(mean)} 分（考核方案§五(一)）"
        )
    for pos, unit in enumerate(campaign.units):
        app = applicable[unit.code]
        if len(seen[unit.code]) != len(app):
            missing = sorted(app - seen[unit.code], key=indicator_order.__getitem__)
            raise ScoringError(
                f"考核对象 {unit.code} 缺少指标 {_codes(missing)} 的评分",
                f"unit {unit.code}: missing score for indicator(s) {', '.join(missing[:_MAX_LISTED])}",
                unit=unit.code,
                indicator=missing[0],
                path=f"units[{pos}]",
            )

    # --- adjustments --------------------------------------------------------------------------------------------
    bonus_sum: dict[str, Decimal] = {}
    capped_sum: dict[str, Decimal] = {}
    exceed_sum: dict[str, Decimal] = {}
    exceed_reasons: dict[str, list[str]] = {}
    serious_reasons: dict[str, list[str]] = {}
    for pos, adj in enumerate(campaign.adjustments):
        unit_code = adj.unit
        path = f"adjustments[{pos}]"
        if unit_code not in applicable:
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

    # --- previous campaign ----------------------------------------------------------------------------------------
    previous_grade: dict[str, str] = {}
    previous_rank: dict[str, int] = {}
    seen_previous: set[str] = set()
    for pos, prev in enumerate(campaign.previous):
        unit_code = prev.unit
        path = f"previous[{pos}]"
        if unit_code not in applicable:
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

    # --- per unit: base, caps, total, grade ------------------------------------------------------------------------
    bonus_cap = settings.bonus_cap
    deduction_cap = settings.deduction_cap
    total_of: dict[str, Decimal] = {}
    grade_of: dict[str, str] = {}
    base_of: dict[str, Decimal] = {}
    bonus_of: dict[str, Decimal] = {}
    deduction_of: dict[str, Decimal] = {}
    for code in applicable:
        unit_notes = notes[code]
        app_points = applicable_points[code]
        unit_earned = earned[code]
        if app_points == HUNDRED:
            base = unit_earned
        else:
            base = unit_earned * HUNDRED / app_points
            unit_notes.append(
                f"适用指标合计 {_n(app_points)} 分，不足100分，基础分按实际得分换算："
                f"{_n(unit_earned)} ÷ {_n(app_points)} × 100 = {_n(base)}（考核方案§五）"
            )
        raw_bonus = bonus_sum.get(code, ZERO)
        bonus = min(raw_bonus, bonus_cap)
        if raw_bonus > bonus_cap:
            unit_notes.append(
                f"加分合计 {_n(raw_bonus)} 分，超过上限 {_n(bonus_cap)} 分，按 {_n(bonus)} 分计（考核方案§五(七)）"
            )
        raw_capped = capped_sum.get(code, ZERO)
        deduction = min(raw_capped, deduction_cap)
        if raw_capped > deduction_cap:
            unit_notes.append(
                f"扣分合计 {_n(raw_capped)} 分，超过上限 {_n(deduction_cap)} 分，按 {_n(deduction)} 分计（考核方案§五(七)）"
            )
        extra = exceed_sum.get(code)
        if extra is not None:
            deduction += extra
            unit_notes.append(
                f"另扣 {_n(extra)} 分，经考核办决定不受 {_n(deduction_cap)} 分扣分上限限制"
                f"（理由：{'；'.join(exceed_reasons[code])}）"
            )
        total = _q(base + bonus - deduction)
        grade = settings.grade_for(total)
        if code in serious_reasons:
            reasons = "；".join(serious_reasons[code])
            if grade == GRADE_EXCELLENT:
                grade = GRADE_GOOD
                unit_notes.append(
                    f"存在情节严重的扣分事项（{reasons}），不得评为优秀等次，等次由优秀调整为良好（考核方案§五(七)）"
                )
            else:
                unit_notes.append(f"存在情节严重的扣分事项（{reasons}），不得评为优秀等次（考核方案§五(七)）")
        total_of[code] = total
        grade_of[code] = grade
        base_of[code] = base
        bonus_of[code] = bonus
        deduction_of[code] = deduction

    # --- members of each category, in input order --------------------------------------------------------------------
    members: dict[int, list[str]] = {}
    for code, cat in category_of.items():
        members.setdefault(cat, []).append(code)

    # --- share cap on 优秀 per category ------------------------------------------------------------------------------
    quota = settings.excellent_quota
    if quota is not None:
        for cat, codes in members.items():
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

    # --- ranks: competition ranking within ranked categories --------------------------------------------------------
    rank_of: dict[str, int] = {}
    warning: set[str] = set()
    for cat, codes in members.items():
        if cat not in settings.ranked_categories:
            continue
        ordered = sorted(codes, key=total_of.__getitem__, reverse=True)
        previous_total: Decimal | None = None
        current_rank = 0
        for position, c in enumerate(ordered, start=1):
            if total_of[c] != previous_total:
                current_rank = position
                previous_total = total_of[c]
            rank_of[c] = current_rank
        lowest = total_of[ordered[-1]]
        if total_of[ordered[0]] != lowest:
            for c in ordered:
                if total_of[c] == lowest:
                    warning.add(c)
                    notes[c].append(f"在第{cat}类中排名最后，列入通报警示名单（考核方案§六(四)）")
        for c in codes:
            before = previous_rank.get(c)
            if before is not None and rank_of[c] - before >= settings.warning_rank_drop:
                warning.add(c)
                notes[c].append(
                    f"排名由上次第{before}名降至第{rank_of[c]}名，下降{rank_of[c] - before}位"
                    f"（达到{settings.warning_rank_drop}位），退步较大，列入通报警示名单（考核方案§六(四)）"
                )

    # --- lists and results, in input order ---------------------------------------------------------------------------
    commendation = []
    recommendation = []
    units_out = []
    for code, cat in category_of.items():
        grade = grade_of[code]
        if grade == GRADE_EXCELLENT and previous_grade.get(code) == GRADE_EXCELLENT:
            commendation.append(code)
            notes[code].append("连续两年考核优秀，列入通报表扬名单（考核方案§六(三)）")
        if grade in (GRADE_PASS, GRADE_FAIL):
            recommendation.append(code)
            notes[code].append(f"考核等次为{grade}，制发法治建议书（考核方案§六(二)）")
        if cat not in settings.ranked_categories:
            notes[code].append(f"第{cat}类单位只评定等次，不排名（考核方案§六(一)）")
        units_out.append(
            UnitResult(
                unit=code,
                category=cat,
                applicable_points=_q(applicable_points[code]),
                earned=_q(earned[code]),
                base=_q(base_of[code]),
                bonus=_q(bonus_of[code]),
                deduction=_q(deduction_of[code]),
                total=total_of[code],
                grade=grade,
                rank=rank_of.get(code),
                serious=code in serious_reasons,
                notes=tuple(notes[code]),
            )
        )
    return Result(
        units=tuple(units_out),
        commendation=tuple(commendation),
        warning=tuple(c for c in category_of if c in warning),
        recommendation_letter=tuple(recommendation),
    )
