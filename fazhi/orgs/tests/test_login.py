"""Sign-in is logged (the throttle is tested in fazhi/accounts/tests/test_throttle.py)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from fazhi.orgs.models import LoginRecord


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def post(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_attempts_are_logged(client, people):
    assert post(client, "office", "wrong").status_code == 200
    assert post(client, "office", "pw-Secret-1").status_code == 302
    records = list(LoginRecord.objects.order_by("id").values_list("username", "succeeded"))
    assert records == [("office", False), ("office", True)]
    assert LoginRecord.objects.get(succeeded=True).user == people["office"]


def test_login_log_page_is_scoped(client, people, client_for):
    post(client, "assessed", "wrong")  # 郑州市 (C1): in both the province's and the city's scope
    post(client, "assessed_c2", "wrong")  # 开封市 (C2): the province's only
    post(client, "intruder", "wrong")  # no such account: platform admins only
    city = client_for(people["city_office"]).get(reverse("orgs:login_log")).content.decode()
    assert "assessed" in city and "assessed_c2" not in city and "intruder" not in city
    province = client_for(people["office"]).get(reverse("orgs:login_log")).content.decode()
    assert "assessed_c2" in province and "intruder" not in province
    assert "assessed" not in client_for(people["other_office"]).get(reverse("orgs:login_log")).content.decode()
    for role in ("assessing", "assessed", "expert", "public"):
        assert client_for(people[role]).get(reverse("orgs:login_log")).status_code == 403
