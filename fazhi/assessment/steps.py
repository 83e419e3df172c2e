"""The calculation steps of the method rules (``fazhi.core.methods``: 集中评查, 法治理论测试, 满意度) in the reader's
language. The rules return steps as codes with parameters (numbers already written as a person writes them);
this module renders them with gettext (Chinese message ids, English in the .po), so no code reaches a page and
no Chinese sentence is stored where a reader of another language would see it.

It lives in ``assessment``, the floor below every method app, because the steps explain an indicator score and
the three method apps (and their API) share them. ``reason_text`` is the one place a rendering is stored: the
reason of the score a method writes through ``services.score_save``, in the platform's language (the record's
language, like a 公文), whoever's session wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from rest_framework import serializers

from fazhi.core.methods import Step

COMPONENT_LABELS = {
    "survey": gettext_lazy("第三方调查"),
    "mystery": gettext_lazy("神秘办事人"),
    "rating": gettext_lazy("好差评"),
    "opinion": gettext_lazy("社情民意"),
}


def _list(values: Iterable) -> str:
    return pgettext("punctuation", "、").join(str(v) for v in values)


def render(step: Step) -> str:
    """One step as a sentence in the active language."""
    p = dict(step.params)
    code = step.code
    # 集中评查
    if code == "review.none":
        return _("没有已评查的案卷")
    if code == "review.scores":
        return _("案卷得分 %(scores)s") % {"scores": _list(p["scores"])}
    if code == "review.mean":
        return _("平均分 %(mean)s") % p
    if code == "review.mean_value":
        return _("%(points)s × %(mean)s ÷ 100 = %(value)s") % p
    if code == "review.passed":
        return _("合格（≥%(pass_mark)s分）%(passed)s 件 / 共 %(n)s 件") % p
    if code == "review.pass_value":
        return _("%(points)s × %(passed)s ÷ %(n)s = %(value)s") % p
    # 法治理论测试
    if code == "theory.none":
        return _("应参考 %(required)s 人，实际参考 0 人") % p
    if code == "theory.zero":
        return _("%(points)s × 0 = 0") % p
    if code == "theory.rate":
        return _("应参考 %(required)s 人，实际参考 %(sat)s 人，参考率 %(rate)s%%（要求 %(min_rate)s%%）") % p
    if code == "theory.average":
        return _("平均分 %(average)s") % p
    if code == "theory.value":
        if p.get("rate") is None:
            return _("%(points)s × %(average)s ÷ 100 × 1 = %(value)s") % p
        return _("%(points)s × %(average)s ÷ 100 × %(rate)s%% ÷ %(min_rate)s%% = %(value)s") % p
    # 满意度
    if code == "satisfaction.survey":
        return _("第三方调查 S = %(value)s（样本量加权，共 %(size)s 个样本）") % p
    if code == "satisfaction.mystery":
        return _("神秘办事人 M = %(value)s（%(visits)s 次暗访的平均分）") % p
    if code == "satisfaction.rating":
        return _("好差评 G = %(good)s ÷ %(total)s × 100 = %(value)s") % p
    if code == "satisfaction.opinion":
        return _("社情民意 O = 100 − %(penalty)s × %(opinions)s = %(value)s") % p
    if code == "satisfaction.none":
        return _("没有任何满意度数据")
    if code == "satisfaction.composite":
        terms = " + ".join(f"{weight}×{value}" for _key, weight, value in p["terms"])
        text = _("综合 = (%(terms)s) ÷ %(weight)s = %(value)s") % {"terms": terms, "weight": p["total_weight"],
                                                                  "value": p["value"]}
        if p.get("missing"):
            text += _("（缺少：%(missing)s，其权重不计）") % {
                "missing": _list(str(COMPONENT_LABELS[key]) for key in p["missing"])}
        return text
    if code == "satisfaction.value":
        return _("%(points)s × %(composite)s ÷ 100 = %(value)s") % p
    return _("计算步骤 %(code)s") % {"code": code}  # a code this version does not know: named, never dropped


def render_all(steps: Iterable[Step]) -> list[str]:
    return [render(step) for step in steps]


def reason_text(prefix, steps: Iterable[Step], **params) -> str:
    """The stored reason of a written score, in the platform's language: ``prefix`` (a lazy message id, formatted
    with ``params``) and the steps."""
    with translation.override(settings.LANGUAGE_CODE):
        return (str(prefix) % params if params else str(prefix)) + pgettext("punctuation", "；").join(render_all(steps))


def steps_data(steps: Iterable[Step]) -> list[dict]:
    """Steps for the API: the code, its parameters and the sentence in the caller's language."""
    return [{"code": step.code, "params": step.params, "text": render(step)} for step in steps]


class StepSerializer(serializers.Serializer):
    """计算步骤 — one step of a method rule."""

    code = serializers.CharField(help_text="e.g. review.mean, theory.rate, satisfaction.composite")
    params = serializers.DictField(help_text="the step's numbers, written as a person writes them")
    text = serializers.CharField(help_text="the step in the caller's language (Accept-Language)")
