"""Punctuation and ambiguous ids follow the language: full-width in Chinese, ASCII in English."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from fazhi.assessment.models import CampaignStatus
from fazhi.orgs.models import Category, UnitKind
from fazhi.reviews.models import FeedbackStatus

SOURCE = ('{% load i18n %}{% translate "状态" %}{% colon %}{{ v }}{% lparen %}{{ n }}{% rparen %} '
          '{{ items|join_list }}{% semicolon %}{% translate "报请审定" context "button" %}')


@pytest.mark.parametrize(("language", "expected"), [
    ("zh-hans", "状态：a&lt;b（3） 1、4、&lt;7&gt;；报请审定"),
    ("en", "Status: a&lt;b (3) 1, 4, &lt;7&gt;; Submit for approval"),
])
def test_punctuation_tags_follow_the_language(language, expected):
    with translation.override(language):
        html = Template(SOURCE).render(Context({"v": "a<b", "n": 3, "items": [1, 4, "<7>"]}))
    assert html == expected


def test_ambiguous_ids_have_one_english_per_meaning():
    with translation.override("en"):
        assert str(CampaignStatus.SUBMITTED.label) == "Submitted for approval"
        assert str(FeedbackStatus.REVIEW.label) == "Review requested"
        assert str(UnitKind.MASS_ORGANIZATION.label) == "Mass organization"
        assert str(Category.MASS_ORGANIZATIONS.label) == "Mass organizations"
        html = Template('{% load i18n %}{% translate "已读" context "button" %}|{% translate "已读" context "badge" %}|'
                        '{% translate "通过" context "action" %}|{% translate "通过" context "badge" %}').render(Context())
    assert html == "Mark as read|Read|Accept|Passed"
    with translation.override("zh-hans"):
        assert str(CampaignStatus.SUBMITTED.label) == "报请审定"
