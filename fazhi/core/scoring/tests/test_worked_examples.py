"""Worked examples with hand-computed numbers (rules: seed 001 考核方案 §五, §六; DOMAIN.md §5)."""

from __future__ import annotations

from decimal import Decimal

from fazhi.core.scoring import compute_dict

from .factories import ALL, run, totals_input

D = Decimal


def test_conversion_when_applicable_points_below_100():
    # Category 2 gets A (40) + B (35) = 75 points; C (25) is for category 1 only.
    # earned 30 + 35 = 65; base = 65 × 100 ÷ 75 = 86.666… → 86.67 (§五 "不足100分的，根據實際得分進行換算").
    data = {
        "indicators": [
            {"code": "A", "points": 40, "categories": [1, 2]},
            {"code": "B", "points": 35, "categories": [1, 2]},
            {"code": "C", "points": 25, "categories": [1]},
        ],
        "units": [{"code": "dept", "category": 2}, {"code": "city", "category": 1}],
        "scores": [
            {"unit": "dept", "indicator": "A", "score": 30},
            {"unit": "dept", "indicator": "B", "score": "35"},
            {"unit": "city", "indicator": "A", "score": 30},
            {"unit": "city", "indicator": "B", "score": 35},
            {"unit": "city", "indicator": "C", "score": 20},
        ],
    }
    out = {u["unit"]: u for u in compute_dict(data)["units"]}
    dept = out["dept"]
    assert (dept["applicable_points"], dept["earned"], dept["base"], dept["total"]) == (
        "75.00",
        "65.00",
        "86.67",
        "86.67",
    )
    assert dept["grade"] == "良好"
    assert dept["rank"] is None
    assert any("不足100分" in n and "65 ÷ 75 × 100 = 86.67" in n for n in dept["notes"])
    city = out["city"]
    assert (city["applicable_points"], city["base"], city["total"], city["rank"]) == (
        "100.00",
        "85.00",
        "85.00",
        1,
    )
    assert not any("不足100分" in n for n in city["notes"])


def test_total_rounds_half_up_not_half_even():
    # 80 applicable points, earned 70.02 → base 87.525 → 87.53 (half-even would give 87.52).
    data = {
        "indicators": [{"code": "A", "points": 80, "categories": [4]}],
        "units": [{"code": "u", "category": 4}],
        "scores": [{"unit": "u", "indicator": "A", "score": "70.02"}],
    }
    assert compute_dict(data)["units"][0]["total"] == "87.53"


def test_float_json_numbers_are_exact():
    # 0.1 + 0.2 is 0.30000000000000004 in floats; in Decimal via str() it is 0.3.
    data = {
        "indicators": [{"code": f"I{i}", "points": 50, "categories": [1]} for i in range(2)],
        "units": [{"code": "u", "category": 1}],
        "scores": [
            {"unit": "u", "indicator": "I0", "score": 0.1},
            {"unit": "u", "indicator": "I1", "score": 0.2},
        ],
    }
    result = run(data)
    assert result.units[0].earned == D("0.30")
    assert compute_dict(data)["units"][0]["total"] == "0.30"


def test_bonus_capped_at_5():
    # base 88, bonus 3 + 4 = 7 → 5 (§五(七) "累計加分最多不超過5分"); total 93 → 优秀.
    data = totals_input(
        {"u": (4, 88)},
        adjustments=[
            {"unit": "u", "kind": "bonus", "points": 3, "reason": "示范项目"},
            {"unit": "u", "kind": "bonus", "points": 4, "reason": "经验推广"},
        ],
    )
    r = run(data).units[0]
    assert (r.bonus, r.total, r.grade) == (D("5.00"), D("93.00"), "优秀")
    assert any("加分合计 7 分，超过上限 5 分" in n for n in r.notes)


def test_deduction_cap_and_exceed_cap():
    # base 95; deductions 6 + 7 = 13 → capped at 10; plus 4 with exceed_cap (office decision) → 14; total 81.
    adjustments = [
        {"unit": "u", "kind": "deduction", "points": 6, "reason": "通报批评"},
        {"unit": "u", "kind": "deduction", "points": 7, "reason": "负面舆情"},
    ]
    r = run(totals_input({"u": (4, 95)}, adjustments=adjustments)).units[0]
    assert (r.deduction, r.total, r.grade) == (D("10.00"), D("85.00"), "良好")
    assert any("扣分合计 13 分，超过上限 10 分" in n for n in r.notes)

    adjustments.append(
        {"unit": "u", "kind": "deduction", "points": 4, "reason": "重大违法行政案件", "exceed_cap": True}
    )
    r = run(totals_input({"u": (4, 95)}, adjustments=adjustments)).units[0]
    assert (r.deduction, r.total, r.grade) == (D("14.00"), D("81.00"), "良好")
    assert any("不受 10 分扣分上限限制" in n and "重大违法行政案件" in n for n in r.notes)


def test_custom_caps_from_settings():
    data = totals_input(
        {"u": (4, 50)},
        settings={"bonus_cap": "2.5", "deduction_cap": 3},
        adjustments=[
            {"unit": "u", "kind": "bonus", "points": 4, "reason": "表彰"},
            {"unit": "u", "kind": "deduction", "points": 5, "reason": "通报"},
        ],
    )
    r = run(data).units[0]
    assert (r.bonus, r.deduction, r.total) == (D("2.50"), D("3.00"), D("49.50"))


def test_serious_deduction_blocks_excellent():
    # base 98 − 2 (serious) = 96 ≥ 90 but a serious deduction → not 优秀 → 良好 (§五(七) "情節嚴重的，不得被評為優秀").
    data = totals_input(
        {"u": (4, 98), "v": (4, 75)},
        adjustments=[
            {"unit": "u", "kind": "deduction", "points": 2, "reason": "重大负面舆情", "serious": True},
            {"unit": "v", "kind": "deduction", "points": 1, "reason": "通报", "serious": True},
        ],
    )
    u, v = run(data).units
    assert (u.total, u.grade, u.serious) == (D("96.00"), "良好", True)
    assert any("情节严重" in n and "由优秀调整为良好" in n for n in u.notes)
    assert (v.total, v.grade) == (D("74.00"), "合格")
    assert any("情节严重" in n for n in v.notes)


def test_grade_thresholds_and_custom_grades():
    units = {"a": (2, 90), "b": (2, "89.99"), "c": (2, 80), "d": (2, 60), "e": (2, "59.99")}
    grades = [r.grade for r in run(totals_input(units)).units]
    assert grades == ["优秀", "良好", "良好", "合格", "不合格"]
    custom = totals_input(units, settings={"grades": {"优秀": 95, "合格": 70}})  # 良好 keeps its default 80
    assert [r.grade for r in run(custom).units] == ["良好", "良好", "良好", "不合格", "不合格"]


def test_excellent_quota_with_ties_at_the_cut():
    # Category 4, 10 units, share 0.2 → floor(2) = 2 allowed. 优秀 totals 97, 95, 95, 93, 91:
    # the 2nd is 95, the unit tied with it keeps 优秀 too → 3 优秀; 93 and 91 → 良好.
    totals = [97, 95, 95, 93, 91, 85, 80, 75, 70, 65]
    units = {f"u{i}": (4, t) for i, t in enumerate(totals)}
    result = run(totals_input(units, settings={"excellent_quota": 0.2}))
    grades = {r.unit: r.grade for r in result.units}
    assert [grades[f"u{i}"] for i in range(5)] == ["优秀", "优秀", "优秀", "良好", "良好"]
    notes = result.by_unit()
    assert any("并列者均保留优秀" in n for n in notes["u2"].notes)
    assert any("由优秀调整为良好" in n for n in notes["u3"].notes)
    # without the cap all five are 优秀
    assert sum(r.grade == "优秀" for r in run(totals_input(units)).units) == 5


def test_excellent_quota_is_per_category_with_minimum_one():
    # Category 5 has 2 units: floor(0.2 × 2) = 0, raised to the minimum of 1 → the better one keeps 优秀.
    # Category 4 has 5 units: floor(0.2 × 5) = 1.
    units = {"court": (5, 96), "procuratorate": (5, 92), **{f"d{i}": (4, 99 - i) for i in range(5)}}
    grades = {r.unit: r.grade for r in run(totals_input(units, settings={"excellent_quota": "0.2"})).units}
    assert (grades["court"], grades["procuratorate"]) == ("优秀", "良好")
    assert [grades[f"d{i}"] for i in range(5)] == ["优秀", "良好", "良好", "良好", "良好"]
    # a share of 0 allows none
    grades = {r.unit: r.grade for r in run(totals_input(units, settings={"excellent_quota": 0})).units}
    assert "优秀" not in grades.values()


def test_quota_ignores_serious_units():
    # The serious unit is not 优秀 and does not take one of the places.
    units = {"a": (4, 99), "b": (4, 95), "c": (4, 50), "d": (4, 50)}
    data = totals_input(
        units,
        settings={"excellent_quota": "0.25"},
        adjustments=[{"unit": "a", "kind": "deduction", "points": 1, "reason": "情节严重", "serious": True}],
    )
    grades = {r.unit: r.grade for r in run(data).units}
    assert (grades["a"], grades["b"]) == ("良好", "优秀")


def test_competition_ranking_and_unranked_categories():
    units = {
        "c1": (1, 90),
        "c2": (1, 85),
        "c3": (1, 85),
        "c4": (1, 70),
        "p1": (2, 99),
        "p2": (5, 98),
        "x": (7, 60),
    }
    result = run(totals_input(units)).by_unit()
    assert [result[c].rank for c in ("c1", "c2", "c3", "c4")] == [1, 2, 2, 4]
    assert result["p1"].rank is None and result["p2"].rank is None
    assert any("只评定等次，不排名" in n for n in result["p1"].notes)
    assert result["x"].rank == 1
    # custom ranked categories: category 2 ranked, category 1 not
    result = run(totals_input(units, settings={"ranked_categories": [2]})).by_unit()
    assert result["p1"].rank == 1 and result["c1"].rank is None


def test_lists():
    units = {f"c{i}": (1, t) for i, t in enumerate([95, 93, 88, 85, 80, 70, 65])}
    units.update({"d1": (2, 91), "d2": (2, 50)})
    previous = [
        {"unit": "c0", "grade": "优秀", "rank": 1},  # 优秀 twice → commendation
        {"unit": "c1", "grade": "良好", "rank": 2},  # 优秀 now only → not commended
        {"unit": "c4", "grade": "优秀", "rank": 1},  # 1 → 5: fell 4 < 5 → no warning
        {"unit": "c5", "grade": "良好", "rank": 1},  # 1 → 6: fell 5 → warning
        {"unit": "d1", "grade": "优秀", "rank": None},  # unranked category, 优秀 twice → commendation
        {"unit": "d2", "grade": "合格"},  # last in category 2, but category 2 is not ranked → no warning
    ]
    out = compute_dict(totals_input(units, previous=previous))
    assert out["lists"] == {
        "commendation": ["c0", "d1"],
        "warning": ["c5", "c6"],  # c6 last in category 1; c5 fell 5 places; input order
        "recommendation_letter": ["c5", "c6", "d2"],  # 合格 (70, 65) and 不合格 (50)
    }
    notes = {u["unit"]: u["notes"] for u in out["units"]}
    assert any("下降5位" in n for n in notes["c5"])
    assert any("排名最后" in n for n in notes["c6"])


def test_warning_for_every_unit_tied_last_but_not_for_a_single_or_all_tied_category():
    units = {"a": (4, 90), "b": (4, 70), "c": (4, 70), "solo": (7, 50), "t1": (1, 80), "t2": (1, 80)}
    assert run(totals_input(units)).warning == ("b", "c")


def test_rank_drop_setting():
    units = {f"c{i}": (1, 99 - i) for i in range(4)}
    data = totals_input(units, settings={"warning_rank_drop": 2}, previous=[{"unit": "c2", "rank": 1}])
    assert run(data).warning == ("c2", "c3")


def test_subunit_scores_are_averaged():
    # A city's indicator D is scored for three of its departments: (8 + 9 + 10) ÷ 3 = 9 (§五(一)).
    data = {
        "indicators": [
            {"code": "D", "points": 10, "categories": [1]},
            {"code": "E", "points": 90, "categories": [1]},
        ],
        "units": [{"code": "zz", "category": 1}],
        "scores": [
            {"unit": "zz", "indicator": "D", "score": 8, "subunit": "教育局"},
            {"unit": "zz", "indicator": "D", "score": 9, "subunit": "公安局"},
            {"unit": "zz", "indicator": "D", "score": "10", "subunit": "民政局"},
            {"unit": "zz", "indicator": "E", "score": 80},
        ],
    }
    r = run(data).units[0]
    assert (r.earned, r.total) == (D("89.00"), D("89.00"))
    assert any("3 个下属单位评分的平均值 9 分" in n for n in r.notes)


def test_subunit_mean_keeps_precision_until_the_total():
    # (1 + 1 + 2) ÷ 3 = 1.333… ; earned 1.333… + 50 → 51.33; 60 applicable → base 85.555… → 85.56
    data = {
        "indicators": [
            {"code": "D", "points": 10, "categories": [1]},
            {"code": "E", "points": 50, "categories": [1]},
        ],
        "units": [{"code": "zz", "category": 1}],
        "scores": [
            {"unit": "zz", "indicator": "D", "score": 1, "subunit": "a"},
            {"unit": "zz", "indicator": "D", "score": 1, "subunit": "b"},
            {"unit": "zz", "indicator": "D", "score": 2, "subunit": "c"},
            {"unit": "zz", "indicator": "E", "score": 50},
        ],
    }
    assert run(data).units[0].total == D("85.56")


def test_add_and_remove_indicators_per_unit():
    # §四 "結合考核對象工作實際進行增減": unit u (category 4) drops L (20) and gets J (10) → 60 + 10 = 70 applicable.
    data = {
        "indicators": [
            {"code": "K", "points": 60, "categories": ALL},
            {"code": "L", "points": 20, "categories": [4]},
            {"code": "J", "points": 10, "categories": [5]},
        ],
        "units": [{"code": "u", "category": 4, "add": ["J"], "remove": ["L"]}, {"code": "v", "category": 4}],
        "scores": [
            {"unit": "u", "indicator": "K", "score": 60},
            {"unit": "u", "indicator": "J", "score": 7},
            {"unit": "v", "indicator": "K", "score": 60},
            {"unit": "v", "indicator": "L", "score": 20},
        ],
    }
    u, v = run(data).units
    assert (u.applicable_points, u.earned, u.total) == (D("70.00"), D("67.00"), D("95.71"))
    assert (v.applicable_points, v.total) == (D("80.00"), D("100.00"))
    assert any("增列 J" in n and "减列 L" in n for n in u.notes)


def test_redundant_add_or_remove_only_noted():
    data = {
        "indicators": [
            {"code": "K", "points": 60, "categories": [4]},
            {"code": "J", "points": 10, "categories": [5]},
        ],
        "units": [{"code": "u", "category": 4, "add": ["K"], "remove": ["J"]}],
        "scores": [{"unit": "u", "indicator": "K", "score": 30}],
    }
    r = run(data).units[0]
    assert r.total == D("50.00")
    assert any("增列不改变" in n for n in r.notes) and any("减列不改变" in n for n in r.notes)


def test_output_shape():
    out = compute_dict(totals_input({"u": (1, "93.5")}, previous=[{"unit": "u", "grade": "优秀", "rank": 1}]))
    assert set(out) == {"units", "lists"}
    unit = out["units"][0]
    assert {
        "unit",
        "category",
        "applicable_points",
        "earned",
        "base",
        "bonus",
        "deduction",
        "total",
        "grade",
        "rank",
        "notes",
    } <= set(unit)
    assert unit["total"] == "93.50" and unit["bonus"] == "0.00" and unit["rank"] == 1
    assert out["lists"]["commendation"] == ["u"]
