"""Method subtotals, method weights, 加减分 never a leaf, and expected sub-unit evaluations (DOMAIN §10;
seed 001 考核方案 §五). Worked examples with hand-computed numbers, and properties (hypothesis)."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.core.scoring import ScoringError, compute_dict

from .factories import ALL, run
from .test_properties import campaigns, exceed_total

D = Decimal


def scheme(**extra: Any) -> dict[str, Any]:
    """A city (category 1) on the scheme's shape: daily work 60 (日常评价 30, 监督督察 10, 集中评查 10, 网络检索 10),
    实地考核 25, 满意度 15; bonus 3, deduction 4."""
    data: dict[str, Any] = {
        "indicators": [
            {"code": "D1", "points": 30, "categories": ALL, "method": "daily"},
            {"code": "S1", "points": 10, "categories": ALL, "method": "supervision"},
            {"code": "R1", "points": 10, "categories": ALL, "method": "review"},
            {"code": "W1", "points": 10, "categories": ALL, "method": "web"},
            {"code": "F1", "points": 25, "categories": ALL, "method": "field"},
            {"code": "Q1", "points": 15, "categories": ALL, "method": "survey"},
        ],
        "units": [{"code": "410100", "category": 1}],
        "scores": [
            {"unit": "410100", "indicator": "D1", "score": "27.5"},
            {"unit": "410100", "indicator": "S1", "score": 9},
            {"unit": "410100", "indicator": "R1", "score": 8},
            {"unit": "410100", "indicator": "W1", "score": "9.5"},
            {"unit": "410100", "indicator": "F1", "score": 22},
            {"unit": "410100", "indicator": "Q1", "score": "12.25"},
        ],
        "adjustments": [
            {"unit": "410100", "kind": "bonus", "points": 3, "reason": "获评全国法治政府建设示范市"},
            {"unit": "410100", "kind": "deduction", "points": 4, "reason": "行政复议纠错率偏高被通报"},
        ],
    }
    data.update(extra)
    return data


def test_total_is_the_sum_of_the_four_method_subtotals():
    # 日常工作落实 27.5 + 9 + 8 + 9.5 = 54; 实地考核 22; 满意度 12.25; 加减分 3 − 4 = −1; total 87.25.
    unit = compute_dict(scheme())["units"][0]
    assert unit["subtotals"] == {"daily_work": "54.00", "field_work": "22.00", "survey": "12.25",
                                 "adjustment": "-1.00"}
    assert unit["total"] == "87.25"
    assert unit["base"] == "88.25"


def test_subtotals_are_converted_with_the_base_when_points_are_below_100():
    # Category 2 has no 满意度 leaf: applicable 85; earned daily 54, field 22 → base 76 × 100 ÷ 85 = 89.4117…;
    # daily 54 × 100/85 = 63.5294… , field 22 × 100/85 = 25.8823…; rounded 63.53 + 25.88 = 89.41 = base.
    data = scheme()
    data["indicators"][5]["categories"] = [1]
    data["units"] = [{"code": "dept", "category": 2}]
    data["scores"] = [dict(s, unit="dept") for s in data["scores"] if s["indicator"] != "Q1"]
    data["adjustments"] = []
    unit = compute_dict(data)["units"][0]
    assert unit["applicable_points"] == "85.00"
    assert unit["total"] == "89.41"
    assert unit["subtotals"] == {"daily_work": "63.53", "field_work": "25.88", "survey": "0.00",
                                 "adjustment": "0.00"}


def test_rounding_cents_go_to_the_largest_remainder_so_subtotals_add_up():
    # applicable 30 (one leaf of each method at 10): earned 10/3 each side… 1 + 1 + 1 of 10 each → base 10.
    # Scores 3.33, 3.33, 3.34 of 10 each → ×100/30: 11.1, 11.1, 11.1333… → total 33.33; subtotals 11.10,
    # 11.10, 11.13 add up to it.
    data = {
        "indicators": [
            {"code": "a", "points": 10, "categories": [1], "method": "daily"},
            {"code": "b", "points": 10, "categories": [1], "method": "field"},
            {"code": "c", "points": 10, "categories": [1], "method": "survey"},
        ],
        "units": [{"code": "u", "category": 1}],
        "scores": [
            {"unit": "u", "indicator": "a", "score": "3.33"},
            {"unit": "u", "indicator": "b", "score": "3.33"},
            {"unit": "u", "indicator": "c", "score": "3.34"},
        ],
    }
    unit = compute_dict(data)["units"][0]
    subtotal_sum = sum(D(v) for v in unit["subtotals"].values())
    assert subtotal_sum == D(unit["total"]) == D("33.33")
    assert unit["subtotals"]["survey"] == "11.13"


def test_method_weights_weight_each_method_on_its_own_points():
    # Weights 日常工作落实 50, 实地考核 30, 满意度 20: daily 54/60 × 50 = 45; field 22/25 × 30 = 26.4;
    # survey 12.25/15 × 20 = 16.333…; base 87.7333… → 87.73; total 87.73 − 1 = 86.73.
    data = scheme(settings={"method_weights": {"daily_work": 50, "field_work": 30, "survey": 20}})
    unit = compute_dict(data)["units"][0]
    assert unit["base"] == "87.73"
    assert unit["total"] == "86.73"
    assert unit["subtotals"] == {"daily_work": "45.00", "field_work": "26.40", "survey": "16.33",
                                 "adjustment": "-1.00"}
    assert any("按考核方式权重" in n for n in unit["notes"])


def test_weights_of_a_method_a_unit_lacks_are_spread_over_the_others():
    # No 满意度 leaf for category 2: weights 50 + 30 = 80 apply → daily 54/60 × 50 × 100/80 = 56.25,
    # field 22/25 × 30 × 100/80 = 33; base 89.25.
    data = scheme(settings={"method_weights": {"daily_work": 50, "field_work": 30, "survey": 20}},
                  adjustments=[])
    data["indicators"][5]["categories"] = [1]
    data["units"] = [{"code": "dept", "category": 2}]
    data["scores"] = [dict(s, unit="dept") for s in data["scores"] if s["indicator"] != "Q1"]
    unit = compute_dict(data)["units"][0]
    assert (unit["base"], unit["subtotals"]["daily_work"], unit["subtotals"]["field_work"]) == (
        "89.25", "56.25", "33.00")


@pytest.mark.parametrize(
    ("weights", "fragment"),
    [
        ({"daily_work": 50, "field_work": 30}, "合计100"),
        ({"daily_work": 50, "field_work": 30, "adjustment": 20}, "只能设定"),
        ({"daily_work": 120, "field_work": -20}, "非负数"),
    ],
)
def test_bad_weights_are_refused(weights, fragment):
    with pytest.raises(ScoringError) as exc:
        compute_dict(scheme(settings={"method_weights": weights}))
    assert fragment in exc.value.message_zh
    assert exc.value.path == "settings.method_weights"


def test_no_weights_is_the_plain_sum():
    plain = compute_dict(scheme())["units"][0]
    none = compute_dict(scheme(settings={"method_weights": None}))["units"][0]
    assert plain == none


def test_adjustment_is_never_a_points_bearing_leaf():
    data = scheme()
    data["indicators"].append({"code": "J1", "points": 5, "categories": [1], "method": "adjustment"})
    with pytest.raises(ScoringError) as exc:
        compute_dict(data)
    assert exc.value.indicator == "J1"
    assert exc.value.path == "indicators[6].method"
    assert "加减分" in exc.value.message_zh


def test_unknown_method_is_refused_with_its_path():
    data = scheme()
    data["indicators"][0]["method"] = "phone"
    with pytest.raises(ScoringError) as exc:
        compute_dict(data)
    assert exc.value.path == "indicators[0].method"


def test_old_inputs_without_methods_count_as_daily_work():
    data = scheme()
    for ind in data["indicators"]:
        del ind["method"]
    unit = compute_dict(data)["units"][0]
    assert unit["subtotals"]["daily_work"] == "88.25"
    assert unit["total"] == "87.25"


# --- expected sub-unit evaluations (§五(一)) ----------------------------------------------------------------

def zhengzhou(**extra: Any) -> dict[str, Any]:
    """郑州 (410100) is evaluated on E by three departments' systems: sub-units 公安 8, 司法 9, 交通 6.4 (of 10);
    the other 90 points are scored 72."""
    data: dict[str, Any] = {
        "indicators": [
            {"code": "E", "points": 10, "categories": [1]},
            {"code": "O", "points": 90, "categories": [1]},
        ],
        "units": [{"code": "410100", "category": 1}],
        "scores": [
            {"unit": "410100", "indicator": "O", "score": 72},
            {"unit": "410100", "indicator": "E", "score": 8, "subunit": "GA"},
            {"unit": "410100", "indicator": "E", "score": 9, "subunit": "SF"},
            {"unit": "410100", "indicator": "E", "score": "6.4", "subunit": "JT"},
        ],
        "expected": [{"unit": "410100", "indicator": "E", "subunits": ["GA", "SF", "JT"]}],
    }
    data.update(extra)
    return data


def without(data: dict[str, Any], subunit: str) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data["scores"] = [s for s in data["scores"] if s.get("subunit") != subunit]
    return data


def test_complete_sub_unit_evaluations_are_averaged():
    # (8 + 9 + 6.4) / 3 = 7.8; total 72 + 7.8 = 79.80.
    assert compute_dict(zhengzhou())["units"][0]["total"] == "79.80"


def test_deleting_one_evaluation_no_longer_silently_moves_the_score():
    with pytest.raises(ScoringError) as exc:
        compute_dict(without(zhengzhou(), "JT"))
    assert exc.value.unit == "410100" and exc.value.indicator == "E"
    assert "JT" in exc.value.message_zh and "缺少 1 项下属单位评价" in exc.value.message_zh


def test_missing_counted_as_zero_by_the_offices_decision():
    # (8 + 9 + 0) / 3 = 5.6667; total 77.67, with the reason on the result.
    data = without(zhengzhou(settings={"missing_subunits": {"rule": "zero", "reason": "逾期未评价"}}), "JT")
    unit = compute_dict(data)["units"][0]
    assert unit["total"] == "77.67"
    assert any("JT" in n and "按0分计" in n and "逾期未评价" in n for n in unit["notes"])


def test_missing_excluded_with_a_visible_note():
    # (8 + 9) / 2 = 8.5; total 80.50; the note names the sub-unit and the reason.
    data = without(zhengzhou(settings={"missing_subunits": {"rule": "exclude", "reason": "该部门机构改革撤并"}}), "JT")
    unit = compute_dict(data)["units"][0]
    assert unit["total"] == "80.50"
    assert any("JT" in n and "不计入" in n and "机构改革" in n for n in unit["notes"])


def test_a_rule_other_than_block_needs_a_reason():
    data = zhengzhou(settings={"missing_subunits": {"rule": "zero", "reason": " "}})
    with pytest.raises(ScoringError) as exc:
        compute_dict(data)
    assert exc.value.path == "settings.missing_subunits_reason"


def test_every_expected_excluded_leaves_the_cell_missing():
    data = zhengzhou(settings={"missing_subunits": {"rule": "exclude", "reason": "x"}})
    data["scores"] = [s for s in data["scores"] if not s.get("subunit")]
    with pytest.raises(ScoringError) as exc:
        compute_dict(data)
    assert "缺少指标 E 的评分" in exc.value.message_zh


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda d: d["scores"].append({"unit": "410100", "indicator": "E", "score": 5, "subunit": "XX"}),
         "不在应评价清单"),
        (lambda d: d["expected"].append(dict(d["expected"][0])), "重复"),
        (lambda d: d["expected"].append({"unit": "nope", "indicator": "E", "subunits": ["GA"]}), "不存在"),
        (lambda d: d["expected"][0].update(subunits=[]), "至少一个"),
    ],
)
def test_bad_expected_lists_are_refused(change, fragment):
    data = zhengzhou()
    change(data)
    with pytest.raises(ScoringError) as exc:
        compute_dict(data)
    assert fragment in exc.value.message_zh


def test_inputs_without_expected_stay_valid_and_average_what_is_there():
    data = without(zhengzhou(), "JT")
    del data["expected"]
    assert compute_dict(data)["units"][0]["total"] == "80.50"


# --- properties -------------------------------------------------------------------------------------------

METHODS = ["daily", "supervision", "review", "web", "field", "survey"]
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def with_methods(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(campaigns())
    for ind in data["indicators"]:
        ind["method"] = draw(st.sampled_from(METHODS))
    if draw(st.booleans()):
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=2, max_size=2)))
        data["settings"]["method_weights"] = {
            "daily_work": cuts[0], "field_work": cuts[1] - cuts[0], "survey": 100 - cuts[1]}
    return data


def _weights_unusable(data: dict[str, Any]) -> bool:
    """True when some unit's methods all have weight 0 (an error the engine reports)."""
    weights = data["settings"].get("method_weights")
    if not weights:
        return False
    group = {"daily": "daily_work", "supervision": "daily_work", "review": "daily_work", "web": "daily_work",
             "field": "field_work", "survey": "survey"}
    for unit in data["units"]:
        groups = {group[i["method"]] for i in data["indicators"] if unit["category"] in i["categories"]}
        if sum(weights[g] for g in groups) == 0:
            return True
    return False


@PROPS
@given(with_methods())
def test_subtotals_add_up_to_the_total_and_caps_hold(data):
    if _weights_unusable(data):
        with pytest.raises(ScoringError):
            run(data)
        return
    result = run(data)
    bonus_cap, deduction_cap = D(data["settings"]["bonus_cap"]), D(data["settings"]["deduction_cap"])
    for r in result.units:
        subtotals = r.subtotals()
        assert sum(subtotals.values(), D(0)) == r.total
        assert all(v == v.quantize(D("0.01")) for v in subtotals.values())
        assert abs(subtotals["adjustment"] - (r.bonus - r.deduction)) < D("0.04")
        assert abs(r.base - sum(v for k, v in subtotals.items() if k != "adjustment")) < D("0.04")
        for name in ("daily_work", "field_work", "survey"):
            assert D(0) <= subtotals[name] <= 100
        extra = exceed_total(data, r.unit)
        assert D(0) <= r.bonus <= bonus_cap
        assert extra <= r.deduction <= deduction_cap + extra


@PROPS
@given(with_methods())
def test_a_method_with_no_applicable_indicator_has_a_zero_subtotal(data):
    if _weights_unusable(data):
        return
    group = {"daily": "daily_work", "supervision": "daily_work", "review": "daily_work", "web": "daily_work",
             "field": "field_work", "survey": "survey"}
    result = run(data)
    cat_of = {u["code"]: u["category"] for u in data["units"]}
    for r in result.units:
        groups = {group[i["method"]] for i in data["indicators"] if cat_of[r.unit] in i["categories"]}
        for name in {"daily_work", "field_work", "survey"} - groups:
            assert getattr(r, name) == 0


@PROPS
@given(campaigns())
def test_without_methods_the_result_is_unchanged_by_marking_all_daily(data):
    marked = copy.deepcopy(data)
    for ind in marked["indicators"]:
        ind["method"] = "daily"
    assert compute_dict(data) == compute_dict(marked)
