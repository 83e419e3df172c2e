"""The indicator tree edited in the browser (issue 15 item 2): add, edit, move and delete headings and leaves of a
draft campaign through ``services.indicator_*``; every change audited, every refusal leaves the tree unchanged.

Fixture tree (conftest): H1 {A1 40, A2 40} · H2 {B1 20}; category 1 has exactly 100 points, 2 and 4 have 80.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fazhi.assessment import services
from fazhi.assessment.models import Indicator, IndicatorOverride, Method, OverrideAction, Score
from fazhi.audit.describe import sentence
from fazhi.audit.models import AuditEvent
from fazhi.testing.lifecycle import take

pytestmark = pytest.mark.django_db


def tree(campaign) -> list[tuple[str, str | None]]:
    """(code, parent code) in reading order (``sort``)."""
    return [(i.code, i.parent.code if i.parent_id else None)
            for i in campaign.indicators.select_related("parent").order_by("sort")]


def snapshot(campaign):
    rows = campaign.indicators.order_by("pk").values_list(
        "code", "parent__code", "title", "points", "method", "categories", "sort", "allow_subunits")
    overrides = IndicatorOverride.objects.filter(indicator__campaign=campaign).values_list(
        "indicator__code", "unit__code", "action")
    units = Indicator.assessing_units.through.objects.filter(indicator__campaign=campaign).values_list(
        "indicator__code", "unit__code")
    return list(rows), sorted(overrides), sorted(units), AuditEvent.objects.count()


def add_leaf(campaign, user, units, **extra):
    values = {"code": "A3", "title": "新增指标", "parent": campaign.indicators.get(code="H1"),
              "points": Decimal(5), "method": Method.DAILY, "categories": [2, 4], "assessing_units": [units["D2"]]}
    values.update(extra)
    return services.indicator_create(user=user, campaign=campaign, heading=False, **values)


def test_add_a_heading_and_a_leaf_in_reading_order_with_audit(campaign, people, units):
    office = people["office"]
    heading = services.indicator_create(user=office, campaign=campaign, heading=True, code="H3",
                                        title="四、依法行政", parent=None)
    leaf = services.indicator_create(user=office, campaign=campaign, heading=False, code="C1", title="规范性文件备案",
                                     parent=heading, points=Decimal(10), method=Method.REVIEW, categories=[2, 4],
                                     assessing_units=[units["D1"], units["D2"]])
    assert tree(campaign) == [("H1", None), ("A1", "H1"), ("A2", "H1"), ("H2", None), ("B1", "H2"),
                              ("H3", None), ("C1", "H3")]
    assert {u.code for u in leaf.assessing_units.all()} == {"D1", "D2"}
    event = AuditEvent.objects.filter(action="assessment.indicator_create").order_by("-id").first()
    assert event.target_id == str(leaf.pk) and event.before is None
    assert event.after["assessing_units"] == ["省司法厅", "省委办公厅"] and event.after["parent"] == "H3 四、依法行政"
    text = sentence(event)
    assert "添加了考核指标" in text and "省司法厅" in text and "{" not in text


def test_a_heading_never_keeps_points_method_or_units(campaign, people, units):
    heading = services.indicator_create(user=people["office"], campaign=campaign, heading=True, code="H9",
                                        title="标题", points=Decimal(5), method=Method.DAILY, categories=[1],
                                        assessing_units=[units["D1"]])
    assert heading.points is None and heading.method == "" and heading.categories == []
    assert not heading.assessing_units.exists()


@pytest.mark.parametrize(("extra", "field", "message"), [
    ({"points": None}, "points", "末级指标必须填写分值"),
    ({"points": Decimal(0)}, "points", "分值应在 0 到 100 之间"),
    ({"points": Decimal("1.005")}, "points", "分值最多两位小数"),
    ({"method": ""}, "method", "末级指标必须选择考核方式"),
    ({"method": Method.ADJUSTMENT}, "method", "加减分在综合评分的基础上另计"),
    ({"categories": []}, "categories", "至少适用于一个类别"),
    ({"categories": [8]}, "categories", "考核类别应为 1–7"),
    ({"assessing_units": []}, "assessing_units", "末级指标必须指定考核主体"),
    ({"code": "A1"}, "code", "指标编号“A1”已被本年度的另一个指标使用"),
    ({"code": "  "}, "code", "请填写指标编号"),
    ({"title": ""}, "title", "请填写指标名称"),
    ({"title": "名称\x00"}, "title", "控制字符"),
])
def test_bad_leaf_is_refused_by_field_and_nothing_changes(campaign, people, units, extra, field, message):
    before = snapshot(campaign)
    with pytest.raises(ValidationError) as caught:
        add_leaf(campaign, people["office"], units, **extra)
    assert message in " ".join(caught.value.message_dict[field])
    assert snapshot(campaign) == before


def test_an_assessing_unit_outside_the_office_s_scope_is_refused(campaign, people, units):
    before = snapshot(campaign)
    with pytest.raises(ValidationError) as caught:
        add_leaf(campaign, people["office"], units, assessing_units=[units["P2-OFFICE"]])
    assert "另一省依法治省办 不在您的管理范围内" in caught.value.message_dict["assessing_units"][0]
    assert snapshot(campaign) == before


def test_more_than_100_points_for_a_unit_is_refused_with_its_name(campaign, people, units):
    before = snapshot(campaign)
    with pytest.raises(ValidationError) as caught:
        add_leaf(campaign, people["office"], units, categories=[1])  # category 1 already has 100
    assert "郑州市人民政府 的适用指标合计 105.00 分，超过 100 分" in " ".join(caught.value.messages)
    assert snapshot(campaign) == before
    # an 增加 for one category-2 unit counts too: D2 has 80 + 20 (B1 added) = 100, then +5 is too many
    b1 = campaign.indicators.get(code="B1")
    services.indicator_override_set(user=people["office"], indicator=b1, unit=units["D2"],
                                    action=OverrideAction.ADD, reason="承担执法职能")
    with pytest.raises(ValidationError, match=re.escape("省委办公厅 的适用指标合计 105.00 分")):
        add_leaf(campaign, people["office"], units, categories=[2])


def test_edit_a_leaf_and_the_override_that_no_longer_changes_anything_goes(campaign, people, units):
    office = people["office"]
    a1 = campaign.indicators.get(code="A1")
    services.indicator_override_set(user=office, indicator=a1, unit=units["D2"], action=OverrideAction.REMOVE,
                                    reason="不承担")
    ind = services.indicator_update(user=office, indicator=a1, code="1.1", title="学习宣传贯彻（改）",
                                    parent=a1.parent, points=Decimal(30), method=Method.SUPERVISION,
                                    categories=[1, 4], assessing_units=[units["D2"]], description="标准")
    ind.refresh_from_db()
    assert (ind.code, ind.title, ind.points, ind.method, ind.categories) == (
        "1.1", "学习宣传贯彻（改）", Decimal(30), Method.SUPERVISION, [1, 4])
    assert [u.code for u in ind.assessing_units.all()] == ["D2"]
    # category 2 (D2) no longer applies, so "减少 D2" is moot: removed, and said so in the audit row
    assert not ind.overrides.exists()
    event = AuditEvent.objects.filter(action="assessment.indicator_update").latest("id")
    assert event.before["points"] == "40.00" and event.after["points"] == "30.00"
    assert event.after["overrides_dropped"] == ["省委办公厅"]
    assert "修改了考核指标" in sentence(event) and "分值由 40.00 改为 30.00" in sentence(event)


def test_move_up_down_and_under_another_heading(campaign, people):
    office = people["office"]
    a2 = campaign.indicators.get(code="A2")
    services.indicator_move(user=office, indicator=a2, direction="up")
    assert tree(campaign)[:3] == [("H1", None), ("A2", "H1"), ("A1", "H1")]
    with pytest.raises(ValidationError, match="已在最前"):
        services.indicator_move(user=office, indicator=a2, direction="up")
    h2 = campaign.indicators.get(code="H2")
    services.indicator_move(user=office, indicator=h2, direction="up")  # a heading moves with its indicators
    assert tree(campaign) == [("H2", None), ("B1", "H2"), ("H1", None), ("A2", "H1"), ("A1", "H1")]
    a1 = campaign.indicators.get(code="A1")
    services.indicator_update(user=office, indicator=a1, code="A1", title=a1.title, parent=h2, points=a1.points,
                              method=a1.method, categories=a1.categories, assessing_units=list(a1.assessing_units.all()))
    assert tree(campaign) == [("H2", None), ("B1", "H2"), ("A1", "H2"), ("H1", None), ("A2", "H1")]
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="assessment.indicator_").order_by("id")] \
        == ["assessment.indicator_move", "assessment.indicator_move", "assessment.indicator_update"]


def test_a_heading_cannot_go_under_itself_or_its_own_subheading(campaign, people):
    office = people["office"]
    h1 = campaign.indicators.get(code="H1")
    sub = services.indicator_create(user=office, campaign=campaign, heading=True, code="H1.9", title="子标题",
                                    parent=h1)
    before = snapshot(campaign)
    for target in (h1, sub):
        with pytest.raises(ValidationError, match="不能把指标移到它自己或它的下级之下"):
            services.indicator_update(user=office, indicator=h1, code="H1", title=h1.title, parent=target)
    assert snapshot(campaign) == before
    a1 = campaign.indicators.get(code="A1")
    with pytest.raises(ValidationError, match="上级指标必须是标题行"):
        services.indicator_update(user=office, indicator=campaign.indicators.get(code="A2"), code="A2",
                                  title="x", parent=a1, points=Decimal(40), method=Method.FIELD, categories=[1],
                                  assessing_units=list(a1.assessing_units.all()))


def test_delete_a_leaf_with_its_overrides_and_refuse_a_heading_with_indicators(campaign, people, units):
    office = people["office"]
    b1 = campaign.indicators.get(code="B1")
    services.indicator_override_set(user=office, indicator=b1, unit=units["C2"], action=OverrideAction.REMOVE,
                                    reason="无下级部门")
    h2 = campaign.indicators.get(code="H2")
    before = snapshot(campaign)
    with pytest.raises(ValidationError, match="下还有 1 个指标"):
        services.indicator_delete(user=office, indicator=h2)
    assert snapshot(campaign) == before
    services.indicator_delete(user=office, indicator=b1)
    services.indicator_delete(user=office, indicator=h2)
    assert tree(campaign) == [("H1", None), ("A1", "H1"), ("A2", "H1")]
    event = AuditEvent.objects.filter(action="assessment.indicator_delete").order_by("id").first()
    assert event.before["code"] == "B1" and event.before["overrides"] == ["减少 开封市人民政府"]
    assert "删除了考核指标" in sentence(event)


def test_a_leaf_with_scores_is_not_deleted(campaign, people, units):
    a1 = campaign.indicators.get(code="A1")
    Score.objects.create(campaign=campaign, indicator=a1, unit=units["C1"], value=Decimal(30))
    before = snapshot(campaign)
    with pytest.raises(ValidationError, match=re.escape("已被使用（评分 1 项）")):
        services.indicator_delete(user=people["office"], indicator=a1)
    with pytest.raises(ValidationError, match=re.escape("已有 1 项评分高于 20.00 分")):
        services.indicator_update(user=people["office"], indicator=a1, code="A1", title=a1.title, parent=a1.parent,
                                  points=Decimal(20), method=a1.method, categories=a1.categories,
                                  assessing_units=list(a1.assessing_units.all()))
    assert snapshot(campaign) == before


def test_every_change_is_refused_once_scoring_started(campaign, people, units):
    office = people["office"]
    take(user=office, campaign=campaign, action="start_scoring")
    campaign.refresh_from_db()
    a1 = campaign.indicators.get(code="A1")
    before = snapshot(campaign)
    attempts = [
        lambda: add_leaf(campaign, office, units),
        lambda: services.indicator_update(user=office, indicator=a1, code="A1", title="改", parent=a1.parent,
                                          points=a1.points, method=a1.method, categories=a1.categories,
                                          assessing_units=[units["D1"]]),
        lambda: services.indicator_move(user=office, indicator=a1, direction="down"),
        lambda: services.indicator_delete(user=office, indicator=a1),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="考核已开始评分（或已冻结），指标表不能再修改"):
            attempt()
    assert snapshot(campaign) == before


@pytest.mark.parametrize("who", ["city_office", "other_office", "assessing", "assessed", "approver", "public"])
def test_only_the_campaign_s_own_office_edits_its_tree(campaign, people, units, who):
    a1 = campaign.indicators.get(code="A1")
    before = snapshot(campaign)
    user = people[who]
    for attempt in (lambda: add_leaf(campaign, user, units),
                    lambda: services.indicator_move(user=user, indicator=a1, direction="down"),
                    lambda: services.indicator_delete(user=user, indicator=a1)):
        with pytest.raises(PermissionDenied):
            attempt()
    assert snapshot(campaign) == before


def test_assessing_unit_choices_are_the_level_s_units_by_name(campaign, people):
    names = list(services.indicator_assessing_candidates(people["office"], campaign).values_list("name", flat=True))
    assert "省司法厅" in names and "省委办公厅" in names
    assert "郑州市司法局" not in names and "河南省人民政府" not in names and "另一省依法治省办" not in names
