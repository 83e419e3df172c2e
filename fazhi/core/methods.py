"""The rules that turn the work of three assessment methods into an indicator score (考核方案 §五(三)(五)(六)).
Pure Python and ``Decimal``; each returns the value and the steps of the calculation, so a page can show how
the score came about and anyone can redo it. Results are rounded half up to 0.01 at the end only. A step is a
code with parameters (numbers written as a person writes them: at most 2 decimals, no trailing zeros), never a
sentence: ``fazhi.assessment.steps`` renders it in the reader's language.

集中评查 (case-file review), ``case_review``: each drawn file is scored out of 100 (100 less the checklist
deductions). Rule ``mean``: indicator = points × mean(file scores) / 100. Rule ``pass_rate``: indicator =
points × (files scoring at least the pass mark) / (files scored).
    Worked example: points 5, files 92, 80, 56 → mean 76 → 5 × 0.76 = 3.80; pass mark 60 → 2 of 3 pass →
    5 × 2/3 = 3.33.

法治理论测试 (legal theory test), ``theory_test``: a unit's average A of the scores (0–100) of those who sat the
test, and its participation rate R = sat / required. indicator = points × A / 100 × min(1, R / R_min), R_min
the required participation rate (default 90%): a unit that sends fewer people than required loses in proportion.
    Worked example: points 10, 45 of 50 sat (R 90%), average 85 → 10 × 0.85 × 1 = 8.50; 40 of 50 (R 80%),
    average 85 → 10 × 0.85 × 0.8/0.9 = 7.56.

满意度 (satisfaction), ``satisfaction``: four components, each on 0–100 —
    S  third-party survey: the mean of the unit's survey scores weighted by sample size;
    M  神秘办事人 (mystery visits): the mean of the visit scores;
    G  好差评: share of good ratings × 100 (好评 / (好评 + 中评 + 差评));
    O  社情民意: 100 − penalty × (opinions about the unit that the office accepted), at least 0;
composite = Σ wᵢ·Cᵢ / Σ wᵢ over the components that have data (a missing component is said, not counted as 0);
indicator = points × composite / 100. Default weights S 50%, M 20%, G 20%, O 10%; penalty 5 points an opinion.
    Worked example: points 5; S = (400 × 88 + 100 × 78) / 500 = 86; M = 90; G = 950/1000 × 100 = 95;
    O = 100 − 5 × 2 = 90 → composite 0.5·86 + 0.2·90 + 0.2·95 + 0.1·90 = 89 → 5 × 0.89 = 4.45.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _fmt(value: Decimal) -> str:
    """A number as a person writes it: at most 2 decimals, no trailing zeros."""
    text = f"{_q(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class Step:
    """One step of a calculation: ``code`` (e.g. ``review.mean``) and its parameters (text, numbers, lists)."""

    code: str
    params: dict = field(default_factory=dict)


@dataclass
class Outcome:
    value: Decimal | None  # None: nothing to compute from (say so, never 0)
    steps: list[Step] = field(default_factory=list)

    def codes(self) -> list[str]:
        return [step.code for step in self.steps]

    def step(self, code: str) -> Step | None:
        return next((step for step in self.steps if step.code == code), None)


class RuleError(ValueError):
    """Inputs that the rule cannot use (the message says which)."""


def case_review(file_scores: list[Decimal], points: Decimal, rule: str = "mean",
                pass_mark: Decimal = Decimal(60)) -> Outcome:
    scores = [Decimal(s) for s in file_scores]
    if not scores:
        return Outcome(None, [Step("review.none")])
    if any(not (0 <= s <= HUNDRED) for s in scores):
        raise RuleError("案卷得分应在 0 到 100 之间")
    n = len(scores)
    listed = Step("review.scores", {"scores": [_fmt(s) for s in scores]})
    if rule == "mean":
        mean = sum(scores) / n
        value = points * mean / HUNDRED
        return Outcome(_q(value), [listed, Step("review.mean", {"mean": _fmt(mean)}),
                                   Step("review.mean_value", {"points": _fmt(points), "mean": _fmt(mean),
                                                              "value": _fmt(value)})])
    if rule == "pass_rate":
        passed = sum(1 for s in scores if s >= pass_mark)
        value = points * passed / n
        return Outcome(_q(value), [listed, Step("review.passed", {"pass_mark": _fmt(pass_mark), "passed": passed,
                                                                  "n": n}),
                                   Step("review.pass_value", {"points": _fmt(points), "passed": passed, "n": n,
                                                              "value": _fmt(value)})])
    raise RuleError(f"未知的折算规则 {rule}")


def theory_test(person_scores: list[Decimal], required: int, points: Decimal,
                min_rate: Decimal = Decimal("0.9")) -> Outcome:
    scores = [Decimal(s) for s in person_scores]
    if required <= 0:
        raise RuleError("应参考人数须大于 0")
    if not scores:
        return Outcome(_q(Decimal(0)), [Step("theory.none", {"required": required}),
                                        Step("theory.zero", {"points": _fmt(points)})])
    if min_rate <= 0 or min_rate > 1:
        raise RuleError("参考率要求应在 0 到 100% 之间")
    n = len(scores)
    average = sum(scores) / n
    rate = Decimal(n) / Decimal(required)
    factor = min(Decimal(1), rate / min_rate)
    value = points * average / HUNDRED * factor
    return Outcome(_q(value), [
        Step("theory.rate", {"required": required, "sat": n, "rate": _fmt(rate * HUNDRED),
                             "min_rate": _fmt(min_rate * HUNDRED)}),
        Step("theory.average", {"average": _fmt(average)}),
        Step("theory.value", {"points": _fmt(points), "average": _fmt(average),
                              "rate": None if factor == 1 else _fmt(rate * HUNDRED),
                              "min_rate": _fmt(min_rate * HUNDRED), "value": _fmt(value)}),
    ])


DEFAULT_WEIGHTS = {"survey": Decimal("0.5"), "mystery": Decimal("0.2"), "rating": Decimal("0.2"),
                   "opinion": Decimal("0.1")}
COMPONENTS = tuple(DEFAULT_WEIGHTS)  # survey, mystery, rating, opinion (their names: fazhi.assessment.steps)


def satisfaction(*, surveys: list[tuple[int, Decimal]], visits: list[Decimal], good: int, total_ratings: int,
                 opinions: int | None, points: Decimal, weights: dict[str, Decimal] | None = None,
                 opinion_penalty: Decimal = Decimal(5)) -> Outcome:
    """``surveys``: (sample size, score) rows; ``visits``: visit scores; ``good`` / ``total_ratings``: 好差评
    counts; ``opinions``: accepted opinions about the unit (None: not collected)."""
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    components: dict[str, Decimal] = {}
    steps: list[Step] = []
    if surveys:
        size = sum(n for n, _s in surveys)
        if size <= 0:
            raise RuleError("调查样本量须大于 0")
        components["survey"] = sum(Decimal(n) * Decimal(s) for n, s in surveys) / size
        steps.append(Step("satisfaction.survey", {"value": _fmt(components["survey"]), "size": size}))
    if visits:
        components["mystery"] = sum(Decimal(v) for v in visits) / len(visits)
        steps.append(Step("satisfaction.mystery", {"value": _fmt(components["mystery"]), "visits": len(visits)}))
    if total_ratings:
        if not (0 <= good <= total_ratings):
            raise RuleError("好评数应在 0 到评价总数之间")
        components["rating"] = Decimal(good) / Decimal(total_ratings) * HUNDRED
        steps.append(Step("satisfaction.rating", {"good": good, "total": total_ratings,
                                                  "value": _fmt(components["rating"])}))
    if opinions is not None:
        components["opinion"] = max(Decimal(0), HUNDRED - opinion_penalty * opinions)
        steps.append(Step("satisfaction.opinion", {"penalty": _fmt(opinion_penalty), "opinions": opinions,
                                                   "value": _fmt(components["opinion"])}))
    if not components:
        return Outcome(None, [Step("satisfaction.none")])
    total_weight = sum(weights[k] for k in components)
    if total_weight <= 0:
        raise RuleError("权重之和须大于 0")
    composite = sum(weights[k] * v for k, v in components.items()) / total_weight
    missing = [k for k in DEFAULT_WEIGHTS if k not in components]
    steps.append(Step("satisfaction.composite", {
        "terms": [[k, _fmt(weights[k]), _fmt(v)] for k, v in components.items()],
        "total_weight": _fmt(total_weight), "value": _fmt(composite), "missing": missing}))
    value = points * composite / HUNDRED
    steps.append(Step("satisfaction.value", {"points": _fmt(points), "composite": _fmt(composite),
                                             "value": _fmt(value)}))
    return Outcome(_q(value), steps)
