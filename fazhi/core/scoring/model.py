"""Data model of the assessment scoring engine (pure Python, no Django).

All quantities are :class:`decimal.Decimal`, never float ("Scores are Decimal": STYLE.md).
The rules and their sources are in the docstring of :mod:`fazhi.core.scoring.engine`.

Categories are the integers 1..7 of seed 001 考核方案 §二 (1 = 省辖市、济源示范区, 4 = 省政府部门, 7 = 中央驻豫单位, ...);
any int is accepted so that lower levels (分级考核, §七(三)) can number their own categories.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

__all__ = [
    "GRADES",
    "GRADE_EXCELLENT",
    "GRADE_FAIL",
    "GRADE_GOOD",
    "GRADE_PASS",
    "METHODS",
    "SUBTOTALS",
    "Adjustment",
    "CampaignInput",
    "Expected",
    "Indicator",
    "Previous",
    "Result",
    "Score",
    "Settings",
    "Unit",
    "UnitResult",
]

#: The four grades, best first: seed 001 考核方案 §六(一) "分為優秀、良好、合格和不合格四個等次".
GRADE_EXCELLENT = "优秀"
GRADE_GOOD = "良好"
GRADE_PASS = "合格"  # noqa: S105 - a grade name, not a password
GRADE_FAIL = "不合格"
GRADES: tuple[str, ...] = (GRADE_EXCELLENT, GRADE_GOOD, GRADE_PASS, GRADE_FAIL)

BONUS = "bonus"
DEDUCTION = "deduction"

#: The methods (考核方式) of seed 001 考核方案 §五 that a scored leaf may have, and the subtotal each counts
#: toward: 日常评价、监督督察、集中评查、网络检索 make up 日常工作落实 (§五(一)–(四)); 实地考核 §五(五); 满意度调查 §五(六).
#: 加减分评定 (§五(七)) is never a leaf: it is added on top of the composite score ("在综合评分的基础上").
METHOD_GROUP: dict[str, str] = {
    "daily": "daily_work",
    "supervision": "daily_work",
    "review": "daily_work",
    "web": "daily_work",
    "field": "field_work",
    "survey": "survey",
}
METHODS: tuple[str, ...] = tuple(METHOD_GROUP)
ADJUSTMENT_METHOD = "adjustment"
#: The subtotals whose sum is the total (DOMAIN §10: 日常工作落实 + 实地考核 + 满意度 + 加减分), in that order.
SUBTOTALS: tuple[str, ...] = ("daily_work", "field_work", "survey", "adjustment")
#: The subtotals a method weight may be given for (加减分 is never weighted).
WEIGHTED_SUBTOTALS: tuple[str, ...] = SUBTOTALS[:3]
SUBTOTAL_LABELS: dict[str, str] = {
    "daily_work": "日常工作落实",
    "field_work": "实地考核",
    "survey": "满意度",
    "adjustment": "加减分",
}

#: What to do with an expected sub-unit evaluation that is missing (§五(一); DOMAIN §10 "a gap to fix"):
#: ``block`` refuses to compute (the default); ``zero`` counts it as 0 in the mean; ``exclude`` leaves it out
#: of the mean with a note on the result. The last two need the office's recorded reason.
MISSING_BLOCK = "block"
MISSING_ZERO = "zero"
MISSING_EXCLUDE = "exclude"
MISSING_RULES: tuple[str, ...] = (MISSING_BLOCK, MISSING_ZERO, MISSING_EXCLUDE)


@dataclass(frozen=True, slots=True)
class Settings:
    """Campaign settings typed in by the office each year.

    - ``excellent_min`` / ``good_min`` / ``pass_min``: minimum total for 优秀 / 良好 / 合格; below ``pass_min`` is
      不合格. The seeds give no thresholds (DOMAIN §5.4); defaults 90 / 80 / 60.
    - ``bonus_cap``: total bonus at most 5, absolute: seed 001 考核方案 §五(七) "累計加分最多不超過5分".
    - ``deduction_cap``: total deduction at most 10 "in principle": §五(七) "累計扣分原則上不超過10分";
      deductions marked ``exceed_cap`` are outside the cap.
    - ``excellent_quota``: optional share (0..1) of 优秀 per category, ``None`` = no cap (DOMAIN §5.4).
    - ``ranked_categories``: categories that are ranked as well as graded: §六(一) "第一項、第四項、第七項所列單位
      評定等次並排名".
    - ``warning_rank_drop``: a fall of at least this many places is "退步較大" (§六(四)); default 5.
    - ``method_weights``: optional ``((subtotal, weight), ...)`` over ``daily_work`` / ``field_work`` / ``survey``
      summing to 100 (some provinces weight daily work and satisfaction); ``None`` = the scheme's plain sum.
    - ``missing_subunits`` / ``missing_subunits_reason``: the rule for a missing expected sub-unit evaluation
      (``MISSING_RULES``) and the office's reason for a rule other than ``block``.
    """

    excellent_min: Decimal = Decimal(90)
    good_min: Decimal = Decimal(80)
    pass_min: Decimal = Decimal(60)
    bonus_cap: Decimal = Decimal(5)
    deduction_cap: Decimal = Decimal(10)
    excellent_quota: Decimal | None = None
    ranked_categories: frozenset[int] = frozenset({1, 4, 7})
    warning_rank_drop: int = 5
    method_weights: tuple[tuple[str, Decimal], ...] | None = None
    missing_subunits: str = MISSING_BLOCK
    missing_subunits_reason: str = ""

    def grade_for(self, total: Decimal) -> str:
        """The grade a total earns by the thresholds alone (before serious-deduction and quota rules)."""
        if total >= self.excellent_min:
            return GRADE_EXCELLENT
        if total >= self.good_min:
            return GRADE_GOOD
        if total >= self.pass_min:
            return GRADE_PASS
        return GRADE_FAIL


@dataclass(frozen=True, slots=True)
class Indicator:
    """A scored leaf of the year's indicator table, applicable to the listed categories (§四 "分類科學設定考核指標")."""

    code: str
    points: Decimal
    categories: frozenset[int]
    method: str = "daily"


@dataclass(frozen=True, slots=True)
class Unit:
    """An assessed unit (考核对象). ``add`` / ``remove`` adjust the indicators its category gets:
    §四 "結合考核對象工作實際進行增減"."""

    code: str
    category: int
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Score:
    """Points given for one indicator to one unit; ``subunit`` set when a sub-unit (a department or lower
    government of a city) is scored and the unit's score is the mean of its sub-units (§五(一))."""

    unit: str
    indicator: str
    score: Decimal
    subunit: str | None = None


@dataclass(frozen=True, slots=True)
class Expected:
    """The sub-units whose evaluations the office expects for one unit × indicator cell (§五(一) "各省直單位要對
    本系統……進行評價"): each must have a score, or the campaign's ``missing_subunits`` rule applies."""

    unit: str
    indicator: str
    subunits: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A bonus or deduction item (加减分评定, §五(七)); every item carries its reason."""

    unit: str
    kind: Literal["bonus", "deduction"]
    points: Decimal
    reason: str
    serious: bool = False
    exceed_cap: bool = False
    source: str = ""


@dataclass(frozen=True, slots=True)
class Previous:
    """The unit's result in the previous campaign (for commendation and warning lists, §六(三)(四))."""

    unit: str
    grade: str | None = None
    rank: int | None = None


@dataclass(frozen=True, slots=True)
class CampaignInput:
    """Everything the engine needs for one campaign."""

    settings: Settings
    indicators: tuple[Indicator, ...]
    units: tuple[Unit, ...]
    scores: tuple[Score, ...]
    adjustments: tuple[Adjustment, ...] = ()
    previous: tuple[Previous, ...] = ()
    expected: tuple[Expected, ...] = ()


@dataclass(frozen=True, slots=True)
class UnitResult:
    """One unit's computed result. Decimal fields are rounded half-up to 2 places; ``total`` is rounded once,
    from the unrounded base. The subtotals ``daily_work + field_work + survey + adjustment`` equal ``total`` to the
    cent: each is rounded to 2 places and the cents lost or gained go to the largest remainders (so a subtotal
    differs from its exact value by less than 0.01 × 4); ``adjustment`` is ``bonus − deduction`` (so a converted base shown to 2 places may differ from ``total − bonus + deduction``
    by 0.01 only when bonus/deduction items have more than 2 decimal places or the total is negative)."""

    unit: str
    category: int
    applicable_points: Decimal
    earned: Decimal
    base: Decimal
    bonus: Decimal
    deduction: Decimal
    total: Decimal
    grade: str
    rank: int | None
    serious: bool = False
    notes: tuple[str, ...] = ()
    daily_work: Decimal = Decimal(0)
    field_work: Decimal = Decimal(0)
    survey: Decimal = Decimal(0)
    adjustment: Decimal = Decimal(0)

    def subtotals(self) -> dict[str, Decimal]:
        """The method subtotals (``SUBTOTALS`` order); they add up to ``total`` exactly."""
        return {name: getattr(self, name) for name in SUBTOTALS}


@dataclass(frozen=True, slots=True)
class Result:
    """The campaign's results, units in input order; the lists hold unit codes in input order (§六)."""

    units: tuple[UnitResult, ...]
    commendation: tuple[str, ...] = ()
    warning: tuple[str, ...] = ()
    recommendation_letter: tuple[str, ...] = ()
    _index: dict[str, UnitResult] = field(default_factory=dict, repr=False, compare=False)

    def by_unit(self) -> dict[str, UnitResult]:
        """Results keyed by unit code."""
        if not self._index:
            self._index.update((r.unit, r) for r in self.units)
        return self._index
