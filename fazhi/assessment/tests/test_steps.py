"""The method rules' steps in the reader's language: the same codes read in Chinese and in English, with the
numbers of the worked examples; the stored reason of a written score is in the platform's language whatever the
writer's session language."""

from __future__ import annotations

from decimal import Decimal as D

from django.utils import translation
from django.utils.translation import gettext_lazy

from fazhi.assessment import steps
from fazhi.core import methods
from fazhi.core.methods import Step


def _both(outcome):
    with translation.override("zh-hans"):
        zh = steps.render_all(outcome.steps)
    with translation.override("en"):
        en = steps.render_all(outcome.steps)
    return zh, en


def test_case_review_in_both_languages():
    zh, en = _both(methods.case_review([D(92), D(80), D(56)], D(5), "pass_rate", D(60)))
    assert zh == ["案卷得分 92、80、56", "合格（≥60分）2 件 / 共 3 件", "5 × 2 ÷ 3 = 3.33"]
    assert en[0] == "File scores 92, 80, 56" and en[1] == "Passed (≥ 60 points): 2 of 3 files"
    assert en[2] == "5 × 2 ÷ 3 = 3.33"
    zh, en = _both(methods.case_review([], D(5)))
    assert zh == ["没有已评查的案卷"] and en == ["No file reviewed yet"]


def test_theory_test_in_both_languages():
    zh, en = _both(methods.theory_test([D(85)] * 40, 50, D(10)))
    assert zh == ["应参考 50 人，实际参考 40 人，参考率 80%（要求 90%）", "平均分 85", "10 × 85 ÷ 100 × 80% ÷ 90% = 7.56"]
    assert en[0] == "50 required, 40 sat the test: participation 80% (90% required)" and en[1] == "Average 85"
    zh, en = _both(methods.theory_test([D(85)] * 45, 50, D(10)))
    assert zh[2] == "10 × 85 ÷ 100 × 1 = 8.5"


def test_satisfaction_in_both_languages():
    zh, en = _both(methods.satisfaction(surveys=[(400, D(88)), (100, D(78))], visits=[], good=950,
                                        total_ratings=1000, opinions=2, points=D(5)))
    assert zh[0] == "第三方调查 S = 86（样本量加权，共 500 个样本）"
    assert zh[-2] == "综合 = (0.5×86 + 0.2×95 + 0.1×90) ÷ 0.8 = 88.75（缺少：神秘办事人，其权重不计）"
    assert en[0] == "Third-party survey S = 86 (weighted by sample size, 500 respondents)"
    assert en[-2] == ("Composite = (0.5×86 + 0.2×95 + 0.1×90) ÷ 0.8 = 88.75 (missing: Mystery visits; "
                      "their weight is left out)")
    assert not any("缺少" in line or "样本" in line for line in en)


def test_unknown_code_is_named_not_dropped():
    with translation.override("en"):
        assert steps.render(Step("review.future", {})) == "Calculation step review.future"


def test_stored_reason_is_in_the_platform_language_whatever_the_session():
    outcome = methods.case_review([D(92), D(80), D(56)], D(5), "mean")
    with translation.override("en"):
        reason = steps.reason_text(gettext_lazy("集中评查“%(title)s”："), outcome.steps, title="2025年评查")
    assert reason == "集中评查“2025年评查”：案卷得分 92、80、56；平均分 76；5 × 76 ÷ 100 = 3.8"
