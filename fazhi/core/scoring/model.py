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
    "Adjustment",
    "CampaignInput",
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
    """

    excellent_min: Decimal = Decimal(90)
    good_min: Decimal = Decimal(80)
    pass_min: Decimal = Decimal(60)
    bonus_cap: Decimal = Decimal(5)
    deduction_cap: Decimal = Decimal(10)
    excellent_quota: Decimal | None = None
    ranked_categories: frozenset[int] = frozenset({1, 4, 7})
    warning_rank_drop: int = 5

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


@dataclass(frozen=True, slots=True)
class UnitResult:
    """One unit's computed result. Decimal fields are rounded half-up to 2 places; ``total`` is rounded once,
    from the unrounded base (so a converted base shown to 2 places may differ from ``total − bonus + deduction``
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
