"""A missing object answers 404 everywhere, for every role that may use the page.

Walks the whole URL configuration with every id (and code) filled with one that does not exist, and requests
each page (GET, and POST for pages that only take POST) as every role. A role that may not use the page at all
gets 403; otherwise the answer is 404 — never 403 for a missing object (which would mean the check of the role
came after the lookup, or depended on the object), never a redirect that pretends it exists, never a crash.
The platform administrator, who may use every page, must get 404 on every one.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

from .test_url_access import _fill, _patterns, demo, get_resolver  # noqa: F401 — demo is a fixture

MISSING_ID = "987654"


def _fill_missing(route: str) -> str | None:
    if route.startswith("^") or "(?P" in route:
        return None
    filled = re.sub(r"<int:[^>]+>", MISSING_ID, route)
    filled = re.sub(r"<(?:str|slug):[^>]+>", "NO-SUCH-CODE", filled)
    filled = re.sub(r"<path:[^>]+>", "no/such/file", filled)
    if "<" in filled or filled == route:  # nothing to look up: not this test's business
        return None
    return "/" + filled


def missing_urls() -> list[str]:
    urls = {_fill_missing(r) for r in _patterns(get_resolver())}
    return sorted(u for u in urls if u and not u.startswith(("/admin/", "/static/", "/media/", "/i18n/")))


def _answer(client: Client, url: str) -> int:
    status = client.get(url).status_code
    if status == 405:  # a page that only takes POST: post to it (an empty form; the lookup comes first)
        status = client.post(url).status_code
    return status


@pytest.mark.django_db
def test_the_walk_covers_the_object_pages():
    urls = missing_urls()
    assert len(urls) > 60
    assert f"/plans/tasks/{MISSING_ID}/" in urls and f"/assessment/campaigns/{MISSING_ID}/" in urls


@pytest.mark.django_db
def test_the_administrator_gets_404_for_every_missing_object(make_user):
    admin = make_user("root", "office", None, is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    wrong = {url: status for url in missing_urls() if (status := _answer(client, url)) != 404}
    assert wrong == {}


def _pairs() -> list[tuple[str, str]]:
    """(URL with real demo ids, the same URL with missing ids) for every route that looks something up."""
    pairs = []
    for route in _patterns(get_resolver()):
        real, missing = _fill(route), _fill_missing(route)
        if real and missing and not missing.startswith(("/admin/", "/static/", "/media/", "/i18n/")):
            pairs.append((real, missing))
    return sorted(set(pairs))


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize("who", ["office", "office_zz", "assessing", "assessed", "assessed_dept", "expert", "field",
                                 "survey", "public"])
def test_a_role_that_may_use_a_page_gets_404_for_a_missing_object(who):
    """Demo data: where the role's answer for a real object shows it may use the page (shown, redirected after
    a write, or 404 because that object is outside its scope), the answer for a missing object is 404; where
    the role may not use the page (403), a missing object is 403 too — the role is checked first."""
    from fazhi.orgs.models import User

    client = Client()
    client.force_login(User.objects.get(username=who))
    wrong = {}
    for real, missing in _pairs():
        usable = _answer(client, real)
        if usable >= 500:
            wrong[real] = usable
            continue
        expected = 403 if usable == 403 else 404
        if (status := _answer(client, missing)) != expected:
            wrong[missing] = f"{status} (the real object answers {usable})"
    assert wrong == {}
