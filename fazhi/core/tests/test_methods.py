"""The worked examples of ``fazhi.core.methods`` (the same numbers as its docstring), and refusals."""

from decimal import Decimal as D

import pytest

from fazhi.core import methods


def test_case_review_mean_and_pass_rate_worked_example():
    mean = methods.case_review([D(92), D(80), D(56)], D(5), "mean")
    assert mean.value == D("3.80") and "平均分 76" in mean.steps
    rate = methods.case_review([D(92), D(80), D(56)], D(5), "pass_rate", D(60))
    assert rate.value == D("3.33") and any("2 件 / 共 3 件" in s for s in rate.steps)
    assert methods.case_review([], D(5)).value is None  # nothing reviewed is not zero
    with pytest.raises(methods.RuleError):
        methods.case_review([D(101)], D(5))


def test_theory_test_worked_example():
    full = methods.theory_test([D(85)] * 45, 50, D(10))
    assert full.value == D("8.50")
    short = methods.theory_test([D(85)] * 40, 50, D(10))
    assert short.value == D("7.56") and "参考率 80%" in short.steps[0]
    assert methods.theory_test([], 50, D(10)).value == D("0.00")
    with pytest.raises(methods.RuleError):
        methods.theory_test([D(85)], 0, D(10))


def test_satisfaction_worked_example_and_missing_component():
    out = methods.satisfaction(surveys=[(400, D(88)), (100, D(78))], visits=[D(90)], good=950, total_ratings=1000,
                               opinions=2, points=D(5))
    assert out.value == D("4.45")
    assert any("S = 86" in s for s in out.steps) and any("= 89" in s for s in out.steps)
    # no mystery visit: its weight drops out and the page says so: (0.5×86 + 0.2×95 + 0.1×90) / 0.8 = 88.75
    partial = methods.satisfaction(surveys=[(400, D(88)), (100, D(78))], visits=[], good=950, total_ratings=1000,
                                   opinions=2, points=D(5))
    assert partial.value == D("4.44") and any("缺少：神秘办事人" in s for s in partial.steps)
    assert methods.satisfaction(surveys=[], visits=[], good=0, total_ratings=0, opinions=None,
                                points=D(5)).value is None
