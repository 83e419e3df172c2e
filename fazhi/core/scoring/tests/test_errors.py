"""Every configuration or data error is a ScoringError naming the unit and indicator (and the input path)."""

from __future__ import annotations

from typing import Any

import pytest

from fazhi.core.scoring import ScoringError, compute_dict

from .factories import totals_input


def base_input() -> dict[str, Any]:
    return {
        "indicators": [
            {"code": "A", "points": 60, "categories": [1, 4]},
            {"code": "B", "points": 40, "categories": [1]},
            {"code": "X", "points": 5, "categories": [7]},
        ],
        "units": [{"code": "city", "category": 1}, {"code": "dept", "category": 4}],
        "scores": [
            {"unit": "city", "indicator": "A", "score": 50},
            {"unit": "city", "indicator": "B", "score": 30},
            {"unit": "dept", "indicator": "A", "score": 55},
        ],
    }


def error_of(data: dict[str, Any]) -> ScoringError:
    with pytest.raises(ScoringError) as info:
        compute_dict(data)
    return info.value


def test_base_input_is_valid():
    assert compute_dict(base_input())["units"][1]["total"] == "91.67"


def test_applicable_points_over_100():
    data = base_input()
    data["indicators"][1]["points"] = 41
    data["scores"][1]["score"] = 41
    err = error_of(data)
    assert err.unit == "city" and "超过100分" in str(err) and "more than 100" in str(err)


def test_no_applicable_indicators():
    data = base_input()
    data["units"].append({"code": "hq", "category": 3})
    err = error_of(data)
    assert err.unit == "hq" and "没有适用的考核指标" in err.message_zh


def test_missing_score_names_unit_and_indicator():
    data = base_input()
    del data["scores"][1]
    err = error_of(data)
    assert (err.unit, err.indicator) == ("city", "B")
    assert "city" in str(err) and "B" in err.message_zh and "missing score" in err.message_en


@pytest.mark.parametrize("score", [41, "40.01", -1, "-0.01"])
def test_score_outside_range(score):
    data = base_input()
    data["scores"][1]["score"] = score
    err = error_of(data)
    assert (err.unit, err.indicator, err.path) == ("city", "B", "scores[1].score")
    assert "超出 0～40 分" in err.message_zh


def test_unknown_indicator_in_scores():
    data = base_input()
    data["scores"].append({"unit": "dept", "indicator": "ZZ", "score": 1})
    err = error_of(data)
    assert (err.unit, err.indicator) == ("dept", "ZZ") and "不存在" in err.message_zh


def test_score_for_indicator_that_does_not_apply():
    data = base_input()
    data["scores"].append({"unit": "dept", "indicator": "B", "score": 1})
    err = error_of(data)
    assert (err.unit, err.indicator) == ("dept", "B") and "不适用" in err.message_zh


def test_unknown_unit_in_scores():
    data = base_input()
    data["scores"].append({"unit": "ghost", "indicator": "A", "score": 1})
    err = error_of(data)
    assert (err.unit, err.indicator) == ("ghost", "A")


@pytest.mark.parametrize("field", ["add", "remove"])
def test_unknown_indicator_in_add_or_remove(field):
    data = base_input()
    data["units"][1][field] = ["NOPE"]
    err = error_of(data)
    assert (err.unit, err.indicator, err.path) == ("dept", "NOPE", f"units[1].{field}[0]")


def test_added_and_removed_at_once():
    data = base_input()
    data["units"][1].update(add=["X"], remove=["X"])
    err = error_of(data)
    assert (err.unit, err.indicator) == ("dept", "X")


def test_duplicate_score_row():
    data = base_input()
    data["scores"].append({"unit": "dept", "indicator": "A", "score": 50})
    err = error_of(data)
    assert (err.unit, err.indicator) == ("dept", "A") and "重复" in err.message_zh


def test_unit_row_and_subunit_rows_together():
    data = base_input()
    data["scores"].append({"unit": "city", "indicator": "A", "score": 50, "subunit": "教育局"})
    err = error_of(data)
    assert (err.unit, err.indicator) == ("city", "A") and "既有本级评分又有下属单位评分" in err.message_zh


def test_duplicate_subunit_row():
    data = base_input()
    data["scores"][0]["subunit"] = "教育局"
    data["scores"].append({"unit": "city", "indicator": "A", "score": 40, "subunit": "教育局"})
    err = error_of(data)
    assert (err.unit, err.indicator) == ("city", "A") and "教育局" in err.message_zh


def test_duplicate_unit_and_indicator_codes():
    data = base_input()
    data["units"].append({"code": "dept", "category": 4})
    assert error_of(data).unit == "dept"
    data = base_input()
    data["indicators"].append({"code": "A", "points": 1, "categories": [2]})
    assert error_of(data).indicator == "A"


@pytest.mark.parametrize(
    ("adjustment", "path"),
    [
        ({"unit": "ghost", "kind": "bonus", "points": 1, "reason": "r"}, "adjustments[0].unit"),
        ({"unit": "dept", "kind": "bonus", "points": 1, "reason": "r", "exceed_cap": True}, "adjustments[0]"),
        ({"unit": "dept", "kind": "bonus", "points": 1, "reason": "r", "serious": True}, "adjustments[0]"),
        ({"unit": "dept", "kind": "deduction", "points": 0, "reason": "r"}, "adjustments[0].points"),
        ({"unit": "dept", "kind": "deduction", "points": 1, "reason": "  "}, "adjustments[0].reason"),
        ({"unit": "dept", "kind": "penalty", "points": 1, "reason": "r"}, "adjustments[0].kind"),
    ],
)
def test_bad_adjustments(adjustment, path):
    data = base_input()
    data["adjustments"] = [adjustment]
    err = error_of(data)
    assert err.path == path and err.unit == adjustment["unit"]


@pytest.mark.parametrize(
    "previous",
    [{"unit": "ghost", "grade": "优秀"}, {"unit": "dept", "grade": "excellent"}, {"unit": "dept", "rank": 0}],
)
def test_bad_previous(previous):
    data = base_input()
    data["previous"] = [previous]
    assert error_of(data).unit == previous["unit"]


@pytest.mark.parametrize(
    ("settings", "path"),
    [
        ({"bonus_capp": 6}, "settings"),
        ({"grades": {"优秀": 80, "良好": 85}}, "settings.grades"),
        ({"grades": {"不合格": 10}}, "settings.grades"),
        ({"excellent_quota": "1.5"}, "settings.excellent_quota"),
        ({"warning_rank_drop": 0}, "settings.warning_rank_drop"),
        ({"deduction_cap": -1}, "settings.deduction_cap"),
        ({"bonus_cap": "lots"}, "settings.bonus_cap"),
        ({"ranked_categories": ["1"]}, "settings.ranked_categories[0]"),
    ],
)
def test_bad_settings(settings, path):
    data = base_input()
    data["settings"] = settings
    assert error_of(data).path == path


@pytest.mark.parametrize(
    ("mutate", "path"),
    [
        (lambda d: d.update(extra=1), "input"),
        (lambda d: d.pop("units"), "input"),
        (lambda d: d["scores"][0].update(score=True), "scores[0].score"),
        (lambda d: d["scores"][0].update(score="NaN"), "scores[0].score"),
        (lambda d: d["scores"][0].update(score=float("inf")), "scores[0].score"),
        (lambda d: d["scores"][0].update(score="9,5"), "scores[0].score"),
        (lambda d: d["scores"][0].pop("indicator"), "scores[0]"),
        (lambda d: d["scores"][0].update(comment="x"), "scores[0]"),
        (lambda d: d["scores"][0].update(unit=5), "scores[0].unit"),
        (lambda d: d["units"][0].update(category="1"), "units[0].category"),
        (lambda d: d["indicators"][0].update(points=0), "indicators[0].points"),
    ],
)
def test_shape_errors_name_the_path(mutate, path):
    data = base_input()
    mutate(data)
    err = error_of(data)
    assert err.path == path
    assert path in str(err) or err.indicator == "A"  # shape errors quote the path; engine errors name codes


def test_error_is_a_value_error_with_both_languages():
    err = error_of(totals_input({"u": (1, 101)}))
    assert isinstance(err, ValueError)
    assert str(err) == f"{err.message_zh} / {err.message_en}"
    assert err.as_dict()["unit"] == "u" and err.as_dict()["indicator"] == "T"
