"""Property tests of the engine's invariants (hypothesis)."""

from __future__ import annotations

import copy
import random
import re
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.core.scoring import GRADES, applicable_indicators, compute, compute_dict, parse_input, synthetic
from fazhi.core.scoring.model import Result

from .factories import run

D = Decimal
CATEGORIES = [1, 2, 3, 4, 5, 6, 7]
RANK = {g: i for i, g in enumerate(GRADES)}


def cents(n: int) -> str:
    return str(D(n) / 100)


@st.composite
def campaigns(draw: st.DrawFn) -> dict[str, Any]:
    n_ind = draw(st.integers(1, 5))
    indicators = []
    for i in range(n_ind):
        points = draw(st.integers(1, 100 // n_ind * 100)) if draw(st.booleans()) else 100 // n_ind * 100
        cats = draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=7, unique=True))
        indicators.append({"code": f"I{i}", "points": cents(points), "categories": cats, "_c": points})
    usable = sorted({c for ind in indicators for c in ind["categories"]})
    n_units = draw(st.integers(1, 12))
    units, scores = [], []
    for u in range(n_units):
        cat = draw(st.sampled_from(usable))
        code = f"U{u}"
        units.append({"code": code, "category": cat})
        for ind in indicators:
            if cat in ind["categories"]:
                if draw(st.integers(0, 9)) == 0:  # sometimes scored by sub-units
                    for s in range(draw(st.integers(1, 3))):
                        value = cents(draw(st.integers(0, ind["_c"])))
                        scores.append(
                            {"unit": code, "indicator": ind["code"], "score": value, "subunit": f"s{s}"}
                        )
                else:
                    value = cents(draw(st.integers(0, ind["_c"])))
                    scores.append({"unit": code, "indicator": ind["code"], "score": value})
    for ind in indicators:
        del ind["_c"]
    adjustments = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["bonus", "deduction"]))
        adjustments.append(
            {
                "unit": f"U{draw(st.integers(0, n_units - 1))}",
                "kind": kind,
                "points": cents(draw(st.integers(1, 800))),
                "reason": "理由",
                "serious": kind == "deduction" and draw(st.integers(0, 4)) == 0,
                "exceed_cap": kind == "deduction" and draw(st.integers(0, 4)) == 0,
            }
        )
    previous = []
    for u in range(n_units):
        if draw(st.booleans()):
            previous.append(
                {
                    "unit": f"U{u}",
                    "grade": draw(st.sampled_from([*GRADES, None])),
                    "rank": draw(st.one_of(st.none(), st.integers(1, n_units))),
                }
            )
    setting = {
        "bonus_cap": cents(draw(st.integers(0, 800))),
        "deduction_cap": cents(draw(st.integers(0, 1500))),
        "excellent_quota": draw(st.sampled_from([None, "0", "0.1", "0.3", "0.5", "1"])),
        "ranked_categories": draw(st.lists(st.sampled_from(CATEGORIES), unique=True)),
        "warning_rank_drop": draw(st.integers(1, 5)),
    }
    return {
        "settings": setting,
        "indicators": indicators,
        "units": units,
        "scores": scores,
        "adjustments": adjustments,
        "previous": previous,
    }


COMMON = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def exceed_total(data: dict[str, Any], unit: str) -> Decimal:
    return sum((D(a["points"]) for a in data["adjustments"] if a["unit"] == unit and a["exceed_cap"]), D(0))


@COMMON
@given(campaigns())
def test_bounds(data):
    result = run(data)
    bonus_cap, deduction_cap = D(data["settings"]["bonus_cap"]), D(data["settings"]["deduction_cap"])
    for r in result.units:
        extra = exceed_total(data, r.unit)
        assert D(0) <= r.base <= 100
        assert D(0) <= r.earned <= r.applicable_points <= 100
        assert D(0) <= r.bonus <= bonus_cap
        assert extra <= r.deduction <= deduction_cap + extra
        assert -(deduction_cap + extra) <= r.total <= 100 + bonus_cap
        assert abs(r.total - (r.base + r.bonus - r.deduction)) <= D("0.01")


@COMMON
@given(campaigns())
def test_ranks_are_competition_ranks_within_ranked_categories_only(data):
    result = run(data)
    ranked = set(data["settings"]["ranked_categories"])
    for r in result.units:
        if r.category not in ranked:
            assert r.rank is None
            continue
        peers = [p for p in result.units if p.category == r.category]
        assert r.rank == 1 + sum(p.total > r.total for p in peers)  # ties share, next skips: 1, 2, 2, 4
        for p in peers:
            assert (p.total > r.total) == (p.rank < r.rank)
            assert (p.total == r.total) == (p.rank == r.rank)


@COMMON
@given(campaigns())
def test_grades_follow_thresholds_except_serious_and_quota(data):
    parsed = parse_input(data)
    result = compute(parsed)
    quota = data["settings"]["excellent_quota"]
    for r in result.units:
        by_threshold = parsed.settings.grade_for(r.total)
        if r.serious:
            assert r.grade != "优秀"
        if by_threshold != "优秀" or (not r.serious and quota is None):
            assert r.grade == by_threshold
        else:
            assert r.grade in ("优秀", "良好")
    # monotone within a category among units the special rules do not touch
    if quota is None:
        plain = [r for r in result.units if not r.serious]
        for a in plain:
            for b in plain:
                if a.total >= b.total:
                    assert RANK[a.grade] <= RANK[b.grade]


@COMMON
@given(campaigns())
def test_quota_respected_with_ties_at_the_cut(data):
    quota = data["settings"]["excellent_quota"]
    if quota is None:
        return
    result = run(data)
    for cat in {r.category for r in result.units}:
        members = [r for r in result.units if r.category == cat]
        allowed = int((D(quota) * len(members)).to_integral_value(rounding=ROUND_FLOOR))
        if D(quota) > 0:
            allowed = max(allowed, 1)
        excellent = sorted((r.total for r in members if r.grade == "优秀"), reverse=True)
        if len(excellent) > allowed:
            assert allowed > 0 and excellent[allowed - 1] == excellent[-1]  # the extra ones tie at the cut
        demoted = [r for r in members if r.grade == "良好" and not r.serious and r.total >= D(90)]
        for r in demoted:
            assert all(r.total < e for e in excellent)


@COMMON
@given(campaigns())
def test_lists(data):
    result = run(data)
    previous = {p["unit"]: p for p in data["previous"]}
    ranked = set(data["settings"]["ranked_categories"])
    by_unit = result.by_unit()
    assert set(result.recommendation_letter) == {
        r.unit for r in result.units if r.grade in ("合格", "不合格")
    }
    assert set(result.commendation) == {
        r.unit for r in result.units if r.grade == "优秀" and previous.get(r.unit, {}).get("grade") == "优秀"
    }
    for code in result.warning:
        assert by_unit[code].category in ranked
    order = [u["code"] for u in data["units"]]
    for codes in (result.commendation, result.warning, result.recommendation_letter):
        assert list(codes) == [c for c in order if c in set(codes)]


def as_comparable(result: Result) -> tuple[Any, ...]:
    units = {
        r.unit: (r.applicable_points, r.earned, r.base, r.bonus, r.deduction, r.total, r.grade, r.rank)
        for r in result.units
    }
    return units, set(result.commendation), set(result.warning), set(result.recommendation_letter)


@COMMON
@given(campaigns(), st.randoms(use_true_random=False))
def test_input_order_does_not_matter(data, rnd: random.Random):
    shuffled = copy.deepcopy(data)
    for key in ("indicators", "units", "scores", "adjustments", "previous"):
        rnd.shuffle(shuffled[key])
    assert as_comparable(run(shuffled)) == as_comparable(run(data))


@COMMON
@given(campaigns(), st.sampled_from(["0.5", "0.25", "0.2"]))
def test_scaling_points_and_scores_keeps_results(data, factor):
    # base is a share of the applicable points: scaling every point value and score by the same factor changes nothing
    scaled = copy.deepcopy(data)
    for ind in scaled["indicators"]:
        ind["points"] = str(D(ind["points"]) * D(factor))
    for row in scaled["scores"]:
        row["score"] = str(D(row["score"]) * D(factor))
    a, b = run(data), run(scaled)
    for ra, rb in zip(a.units, b.units, strict=True):
        assert (ra.base, ra.total, ra.grade, ra.rank) == (rb.base, rb.total, rb.grade, rb.rank)


@COMMON
@given(campaigns(), st.data())
def test_more_points_or_bonus_never_lower_the_total(data, draw):
    before = run(data).by_unit()
    unit_rows = [row for row in data["scores"] if "subunit" not in row]
    if unit_rows:
        row = draw.draw(st.sampled_from(unit_rows))
        points = next(D(i["points"]) for i in data["indicators"] if i["code"] == row["indicator"])
        row["score"] = str(points)
        after = run(data).by_unit()
        assert after[row["unit"]].total >= before[row["unit"]].total
    unit = draw.draw(st.sampled_from(data["units"]))["code"]
    data["adjustments"].append({"unit": unit, "kind": "bonus", "points": "1", "reason": "表彰"})
    with_bonus = run(data).by_unit()[unit].total
    data["adjustments"].append({"unit": unit, "kind": "deduction", "points": "1", "reason": "通报"})
    assert run(data).by_unit()[unit].total <= with_bonus


@COMMON
@given(campaigns())
def test_output_decimals_are_two_place_strings(data):
    out = compute_dict(data)
    for unit in out["units"]:
        for key in ("applicable_points", "earned", "base", "bonus", "deduction", "total"):
            assert re.fullmatch(r"-?\d+\.\d\d", unit[key]), unit[key]
            assert unit[key] != "-0.00"
        assert unit["rank"] is None or isinstance(unit["rank"], int)


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 60), st.integers(1, 30), st.integers(0, 2**32), st.sampled_from([0.5, 0.7, 1.0]))
def test_synthetic_inputs_are_valid(n_units, n_indicators, seed, share):
    data = synthetic.generate(n_units, n_indicators, seed, common_share=share)
    assert data == synthetic.generate(n_units, n_indicators, seed, common_share=share)
    out = compute_dict(data)
    assert len(out["units"]) == n_units


@COMMON
@given(campaigns())
def test_applicable_indicators_helper_agrees_with_the_engine(data):
    parsed = parse_input(data)
    result = compute(parsed).by_unit()
    points = {i.code: i.points for i in parsed.indicators}
    for unit in parsed.units:
        codes = applicable_indicators(unit, parsed.indicators)
        assert sum((points[c] for c in codes), D(0)) == result[unit.code].applicable_points
        assert {s.indicator for s in parsed.scores if s.unit == unit.code} == set(codes)
