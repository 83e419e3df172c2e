"""Hostile query strings on the unit pages, and the shared parsing helpers of ``fazhi.io.params``."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages

from fazhi.io.params import parse_id, parse_ids, parse_int, post_has_nul


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(("value", "as_int", "as_id"), [
    ("7", 7, 7), (" 7 ", 7, 7), ("-1", -1, None), ("0", 0, None), ("²", None, None), ("1e5", None, None),
    ("9" * 19, None, None), ("9" * 40, None, None), ("", None, None), ("abc", None, None), ("\x00", None, None),
    (None, None, None), (["1"], None, None), (True, None, None), (5, 5, 5),
])
def test_parse_int_and_id(value, as_int, as_id):
    assert parse_int(value) == as_int
    assert parse_id(value) == as_id


def test_parse_ids_is_all_or_nothing():
    assert parse_ids(["1", "2"]) == [1, 2]
    assert parse_ids(["1", "²"]) is None
    assert parse_ids([]) == []


def test_post_has_nul():
    from django.http import QueryDict

    assert post_has_nul(QueryDict("a=1&a=2%00"))
    assert not post_has_nul(QueryDict("a=1&b=2"))


@pytest.mark.parametrize("category", ["abc", "²", "0", "8", "-1", "9" * 40, "\x00"])
def test_unit_list_bad_category(people, client_for, category):
    response = client_for(people["office"]).get("/orgs/units/", {"category": category})
    assert response.status_code == 400
    assert any("考核类别" in m for m in _messages(response))


def test_unit_list_good_category_still_filters(people, units, client_for):
    response = client_for(people["office"]).get("/orgs/units/", {"category": "4"})
    assert response.status_code == 200
    assert {u.code for u in response.context["page"]} == {"C1-D1", "D1"}


@pytest.mark.parametrize("query", ["x" * 100_000, "a\x00b"])
def test_unit_list_bad_search(people, client_for, query):
    # before: a 100 000-character LIKE pattern was a 500 on SQLite ("LIKE or GLOB pattern too complex")
    response = client_for(people["office"]).get("/orgs/units/", {"q": query})
    assert response.status_code == 400
    assert any("搜索词无效" in m for m in _messages(response))


def test_unit_detail_with_a_nul_is_404(people, client_for):
    assert client_for(people["office"]).get("/orgs/units/%00/").status_code == 404
