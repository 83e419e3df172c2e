"""Hostile input on the portal's office pages: refused with a message, nothing written."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from fazhi.portal.models import OpinionStatus, PublicOpinion


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("unit", ["abc", "²", "-1", "1e5", "9" * 40, "\x00", "' OR 1=1--", "x" * 100_000])
def test_satisfaction_bad_unit(people, client_for, unit):
    response = client_for(people["office"]).get("/opinions/satisfaction/", {"unit": unit})
    assert response.status_code == 400
    assert any("单位" in m and "无效" in m for m in _messages(response))


@pytest.fixture
def pending(units):
    return PublicOpinion.objects.create(text="办事窗口排队时间太长", about_unit=units["C1"], ip_hash="x")


@pytest.mark.parametrize("data", [
    {"action": "approve", "note": "a\x00b"},
    {"action": "approve", "note": "x" * 501},
    {"action": "delete"},
    {"action": ""},
    {},
])
def test_moderation_refuses_bad_input_and_changes_nothing(people, client_for, pending, data):
    before = PublicOpinion.objects.values().get(pk=pending.pk)
    response = client_for(people["office"]).post(f"/opinions/{pending.pk}/moderate/", data)
    assert response.status_code == 302
    assert any("操作无效" in m for m in _messages(response))
    assert PublicOpinion.objects.values().get(pk=pending.pk) == before


def test_moderation_still_works(people, client_for, pending):
    client_for(people["office"]).post(f"/opinions/{pending.pk}/moderate/", {"action": "approve", "note": "已转办"})
    pending.refresh_from_db()
    assert pending.status == OpinionStatus.APPROVED and pending.moderation_note == "已转办"


def test_moderation_outside_the_scope_is_404(people, client_for, pending):
    response = client_for(people["other_office"]).post(f"/opinions/{pending.pk}/moderate/", {"action": "approve"})
    assert response.status_code == 404
    assert PublicOpinion.objects.get(pk=pending.pk).status == OpinionStatus.PENDING


@pytest.mark.parametrize(("param", "value", "label"), [
    ("year", "abc", "年度"), ("year", "9" * 40, "年度"), ("year", "1999", "年度"), ("level", "galaxy", "层级"),
    ("region", "\x00", "地区"), ("region", "x" * 61, "地区"), ("q", "x" * 201, "检索词"), ("q", "\x00", "检索词"),
])
@pytest.mark.parametrize("url", ["/public/reports/", "/public/search/"])
def test_public_filters_name_the_bad_one(db, client, url, param, value, label):
    # before: an invalid filter was dropped without a word (the page answered 200 with every report)
    response = client.get(url, {param: value})
    assert response.status_code == 400
    assert any("筛选条件无效" in m and label in m for m in _messages(response))


def test_public_filters_valid_are_fine(db, client):
    assert client.get("/public/reports/", {"year": "2024", "level": "city"}).status_code == 200
    assert client.get("/public/search/", {"q": "法治政府"}).status_code == 200
