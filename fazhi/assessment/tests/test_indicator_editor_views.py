"""The indicator tree editor's pages: forms by name (no unit codes), htmx moves, refusals by role, level and
phase, in Chinese and English."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from fazhi.assessment.models import Indicator
from fazhi.audit.models import AuditEvent
from fazhi.testing.lifecycle import take

pytestmark = pytest.mark.django_db


def url(name, campaign, ind=None):
    args = [campaign.pk] if ind is None else [campaign.pk, ind.pk]
    return reverse(f"assessment:{name}", args=args)


def leaf_post(campaign, units, **extra):
    data = {"kind": "leaf", "parent": campaign.indicators.get(code="H1").pk, "code": "A3", "title": "普法责任制",
            "points": "５", "method": "daily", "categories": ["2", "4"], "assessing_units": [units["D2"].pk],
            "description": "查阅资料"}
    data.update(extra)
    return data


def test_tree_page_offers_the_editor_while_drafting(client_for, people, campaign):
    page = client_for(people["office"]).get(url("indicator_tree", campaign))
    html = page.content.decode()
    assert page.status_code == 200
    assert url("indicator_new", campaign) + "?kind=heading" in html
    assert url("indicator_edit", campaign, campaign.indicators.get(code="A1")) in html
    assert 'hx-post="' + url("indicator_move", campaign, campaign.indicators.get(code="A2")) in html
    assert "省司法厅" in html and "D1" not in re.sub(r'data-code="[^"]*"|>D1<', "", html.split("<main")[1])


def test_the_leaf_form_lists_assessing_units_by_name_with_search(client_for, people, campaign, units):
    page = client_for(people["office"]).get(url("indicator_new", campaign) + f"?parent={campaign.indicators.get(code='H1').pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-filter-for="id_assessing_units"' in html
    assert ">\n 省司法厅</label>" in html or "省司法厅</label>" in html
    for code in ("D1", "D2", "P-OFFICE", "X1"):  # the office never sees or types a unit's code
        assert f">{code}<" not in html and f" {code}<" not in html
    assert "郑州市司法局" not in html  # a unit assessed below is no assessing unit of the province
    assert 'value="H1.1"' not in html and 'name="code"' in html
    assert "---------" not in html


def test_add_a_leaf_through_the_form(client_for, people, campaign, units):
    client = client_for(people["office"])
    response = client.post(url("indicator_new", campaign), leaf_post(campaign, units))
    assert response.status_code == 302, response.content.decode()
    leaf = campaign.indicators.get(code="A3")
    assert str(leaf.points) == "5.00" and leaf.categories == [2, 4] and leaf.parent.code == "H1"
    assert [u.name for u in leaf.assessing_units.all()] == ["省委办公厅"]
    assert "已添加“A3 普法责任制”" in client.get(response["Location"]).content.decode()


def test_a_bad_form_is_shown_again_with_every_problem_and_nothing_saved(client_for, people, campaign, units):
    before = (campaign.indicators.count(), AuditEvent.objects.count())
    response = client_for(people["office"]).post(url("indicator_new", campaign), leaf_post(
        campaign, units, code="A1", points="abc", assessing_units=[]))
    html = response.content.decode()
    assert response.status_code == 400
    assert "未保存，请修改以下内容" in html and "“abc”不是数字" in html
    response = client_for(people["office"]).post(url("indicator_new", campaign), leaf_post(
        campaign, units, code="A1", assessing_units=[]))
    html = response.content.decode()
    assert "指标编号“A1”已被本年度的另一个指标使用" in html and "末级指标必须指定考核主体" in html
    assert (campaign.indicators.count(), AuditEvent.objects.count()) == before


def test_edit_moves_a_leaf_under_another_heading(client_for, people, campaign, units):
    a1 = campaign.indicators.get(code="A1")
    h2 = campaign.indicators.get(code="H2")
    page = client_for(people["office"]).get(url("indicator_edit", campaign, a1))
    assert page.status_code == 200 and 'value="A1"' in page.content.decode()
    response = client_for(people["office"]).post(url("indicator_edit", campaign, a1), {
        "parent": h2.pk, "code": "A1", "title": a1.title, "points": "40", "method": "daily",
        "categories": ["1", "2", "4"], "assessing_units": [units["D1"].pk]})
    assert response.status_code == 302
    assert campaign.indicators.get(code="A1").parent == h2
    # a heading cannot be offered as its own 所属标题
    page = client_for(people["office"]).get(url("indicator_edit", campaign, h2)).content.decode()
    assert f'<option value="{h2.pk}"' not in page


def test_htmx_move_redraws_the_tree_only(client_for, people, campaign):
    a2 = campaign.indicators.get(code="A2")
    client = client_for(people["office"])
    response = client.post(url("indicator_move", campaign, a2), {"direction": "up"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith('<div id="indicator-tree">') and "<html" not in html
    assert html.index('data-code="A2"') < html.index('data-code="A1"')
    response = client.post(url("indicator_move", campaign, a2), {"direction": "up"}, HTTP_HX_REQUEST="true")
    assert response["X-Fazhi-Status"] == "400" and "已在最前" in response.content.decode()


def test_delete_via_htmx_and_refusal_shown_in_place(client_for, people, campaign):
    client = client_for(people["office"])
    h1 = campaign.indicators.get(code="H1")
    response = client.post(url("indicator_delete", campaign, h1), HTTP_HX_REQUEST="true")
    assert "下还有 2 个指标" in response.content.decode() and campaign.indicators.filter(pk=h1.pk).exists()
    b1 = campaign.indicators.get(code="B1")
    response = client.post(url("indicator_delete", campaign, b1))
    assert response.status_code == 302 and not campaign.indicators.filter(code="B1").exists()


def test_after_scoring_starts_the_editor_is_gone_and_writes_are_refused(client_for, people, campaign, units):
    take(user=people["office"], campaign=campaign, action="start_scoring")
    client = client_for(people["office"])
    html = client.get(url("indicator_tree", campaign)).content.decode()
    assert url("indicator_new", campaign) not in html and "考核已开始评分，指标表不能修改" in html
    response = client.get(url("indicator_new", campaign), follow=True)
    assert "指标表不能再修改" in response.content.decode()
    a1 = campaign.indicators.get(code="A1")
    before = list(Indicator.objects.order_by("pk").values_list("code", "title", "sort", "parent_id"))
    response = client.post(url("indicator_edit", campaign, a1), {
        "parent": a1.parent_id, "code": "A1", "title": "改名", "points": "40", "method": "daily",
        "categories": ["1"], "assessing_units": [units["D1"].pk]})
    assert response.status_code == 400 and "指标表不能再修改" in response.content.decode()
    for name, data in (("indicator_move", {"direction": "down"}), ("indicator_delete", {})):
        response = client.post(url(name, campaign, a1), data)
        assert response.status_code == 400 and "指标表不能再修改" in response.content.decode()
    response = client.post(url("indicator_new", campaign), leaf_post(campaign, units))
    assert response.status_code == 400
    assert list(Indicator.objects.order_by("pk").values_list("code", "title", "sort", "parent_id")) == before


@pytest.mark.parametrize(("who", "status"), [
    ("assessing", 403), ("assessed", 403), ("expert", 403), ("approver", 403), ("public", 403),
    ("city_office", 404), ("other_office", 404),
])
def test_refused_for_everyone_but_the_campaign_s_office(client_for, people, campaign, units, who, status):
    client = client_for(people[who])
    a1 = campaign.indicators.get(code="A1")
    before = list(Indicator.objects.order_by("pk").values_list("code", "title", "sort", "parent_id"))
    assert client.get(url("indicator_new", campaign)).status_code == status
    assert client.get(url("indicator_edit", campaign, a1)).status_code == status
    assert client.post(url("indicator_new", campaign), leaf_post(campaign, units)).status_code == status
    assert client.post(url("indicator_move", campaign, a1), {"direction": "down"}).status_code == status
    assert client.post(url("indicator_delete", campaign, a1)).status_code == status
    assert list(Indicator.objects.order_by("pk").values_list("code", "title", "sort", "parent_id")) == before


def test_anonymous_is_sent_to_sign_in(client, campaign):
    response = client.get(url("indicator_new", campaign))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_indicator_of_another_campaign_is_404(client_for, people, campaign, units):
    from fazhi.assessment import services

    other = services.campaign_create(user=people["office"], year=2031)
    a1 = campaign.indicators.get(code="A1")
    client = client_for(people["office"])
    assert client.get(url("indicator_edit", other, a1)).status_code == 404
    assert client.post(url("indicator_delete", other, a1)).status_code == 404
    assert client.get(url("indicator_new", other) + f"?parent={campaign.indicators.get(code='H1').pk}").status_code == 404


@pytest.fixture
def english_then_back():
    """The client's requests leave their language active in this thread: give the next test Chinese again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_the_editor_in_english(client_for, people, campaign, units, english_then_back):
    client = client_for(people["office"])
    client.cookies["django_language"] = "en"
    html = client.get(url("indicator_new", campaign)).content.decode()
    for text in ("Add indicator", "Points", "Assessment method", "Assessing unit", "Type a unit's name to find it"):
        assert text in html, text
    for text in ("添加指标", "考核主体", "分值", "输入单位名称查找"):
        assert text not in html, text
    tree = client.get(url("indicator_tree", campaign)).content.decode()
    for text in ("Add top-level heading", "Edit", "Move up", "Delete"):
        assert text in tree, text
    response = client.post(url("indicator_new", campaign), leaf_post(campaign, units, code="A1"))
    assert "is already used by another indicator of this year" in response.content.decode()
