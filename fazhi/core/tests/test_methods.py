"""The worked examples of ``fazhi.core.methods`` (the same numbers as its docstring), and refusals. The steps are
codes with parameters; their sentences (Chinese and English) are tested in ``fazhi/assessment/tests/test_steps.py``."""

from decimal import Decimal as D

import pytest

from fazhi.core import methods


def test_case_review_mean_and_pass_rate_worked_example():
    mean = methods.case_review([D(92), D(80), D(56)], D(5), "mean")
    assert mean.value == D("3.80") and mean.codes() == ["review.scores", "review.mean", "review.mean_value"]
    assert mean.step("review.scores").params == {"scores": ["92", "80", "56"]}
    assert mean.step("review.mean_value").params == {"points": "5", "mean": "76", "value": "3.8"}
    rate = methods.case_review([D(92), D(80), D(56)], D(5), "pass_rate", D(60))
    assert rate.value == D("3.33")
    assert rate.step("review.passed").params == {"pass_mark": "60", "passed": 2, "n": 3}
    assert rate.step("review.pass_value").params["value"] == "3.33"
    empty = methods.case_review([], D(5))
    assert empty.value is None and empty.codes() == ["review.none"]  # nothing reviewed is not zero
    with pytest.raises(methods.RuleError):
        methods.case_review([D(101)], D(5))
    with pytest.raises(methods.RuleError):
        methods.case_review([D(90)], D(5), "median")


def test_theory_test_worked_example():
    full = methods.theory_test([D(85)] * 45, 50, D(10))
    assert full.value == D("8.50") and full.step("theory.value").params["rate"] is None  # × 1
    short = methods.theory_test([D(85)] * 40, 50, D(10))
    assert short.value == D("7.56")
    assert short.step("theory.rate").params == {"required": 50, "sat": 40, "rate": "80", "min_rate": "90"}
    assert short.step("theory.value").params == {"points": "10", "average": "85", "rate": "80", "min_rate": "90",
                                                  "value": "7.56"}
    nobody = methods.theory_test([], 50, D(10))
    assert nobody.value == D("0.00") and nobody.codes() == ["theory.none", "theory.zero"]
    with pytest.raises(methods.RuleError):
        methods.theory_test([D(85)], 0, D(10))


def test_satisfaction_worked_example_and_missing_component():
    out = methods.satisfaction(surveys=[(400, D(88)), (100, D(78))], visits=[D(90)], good=950, total_ratings=1000,
                               opinions=2, points=D(5))
    assert out.value == D("4.45")
    assert out.step("satisfaction.survey").params == {"value": "86", "size": 500}
    composite = out.step("satisfaction.composite").params
    assert composite["value"] == "89" and composite["missing"] == []
    assert composite["terms"] == [["survey", "0.5", "86"], ["mystery", "0.2", "90"], ["rating", "0.2", "95"],
                                  ["opinion", "0.1", "90"]]
    # no mystery visit: its weight drops out and the page says so: (0.5×86 + 0.2×95 + 0.1×90) / 0.8 = 88.75
    partial = methods.satisfaction(surveys=[(400, D(88)), (100, D(78))], visits=[], good=950, total_ratings=1000,
                                   opinions=2, points=D(5))
    assert partial.value == D("4.44")
    assert partial.step("satisfaction.composite").params["missing"] == ["mystery"]
    nothing = methods.satisfaction(surveys=[], visits=[], good=0, total_ratings=0, opinions=None, points=D(5))
    assert nothing.value is None and nothing.codes() == ["satisfaction.none"]


def test_steps_are_plain_data():
    """Codes and parameters only: text, integers, lists, None — what JSON carries and any language can render."""
    outcomes = [methods.case_review([D(92)], D(5)), methods.theory_test([D(85)] * 40, 50, D(10)),
                methods.satisfaction(surveys=[(10, D(80))], visits=[D(70)], good=1, total_ratings=2, opinions=0,
                                     points=D(5))]

    def plain(value):
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, str | int)

    for outcome in outcomes:
        for step in outcome.steps:
            assert isinstance(step.code, str) and all(plain(v) for v in step.params.values()), step
