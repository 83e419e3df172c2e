"""Every URL of the platform, requested by someone who may not see it, is refused.

Walks the whole URL configuration (path parameters filled with ids of real demo objects), and asks each page
as an anonymous visitor and as a signed-in member of the public. Only the public portal, sign-in and the API
description may answer them; everything else must redirect to sign-in or refuse (403/404) — never show data,
never crash.
"""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

#: Pages meant for everyone (prefix match on the filled path).
PUBLIC = ("/public/", "/login/", "/logout/", "/i18n/", "/api/schema/", "/api/docs/", "/api/reports/public/",
          "/reviews/public/")
EXACT_PUBLIC = {"/"}


def _patterns(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _fill(route: str) -> str | None:
    if route.startswith("^") or "(?P" in route:  # regex routes (admin, DRF format suffixes): skip
        return None
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(?:str|slug):[^>]+>", "410100", route)
    route = re.sub(r"<path:[^>]+>", "x", route)
    if "<" in route:
        return None
    return "/" + route


def all_urls() -> list[str]:
    urls = {_fill(route) for route in _patterns(get_resolver())}
    return sorted(u for u in urls if u and not u.startswith("/admin/"))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        call_command("flush", interactive=False, verbosity=0)


def _empty_api_answer(response) -> bool:
    """A scoped API list that holds nothing for this caller, or a router's index of endpoint links."""
    data = response.json()
    if isinstance(data, dict) and "results" in data:
        return data["results"] == []
    if isinstance(data, list):
        return data == []
    return isinstance(data, dict) and all(isinstance(v, str) and v.startswith("http") for v in data.values())


def _is_public(url: str) -> bool:
    return url in EXACT_PUBLIC or url.startswith(PUBLIC)


@pytest.mark.django_db
def test_the_url_list_is_complete_enough():
    urls = all_urls()
    assert len(urls) > 80
    assert "/assessment/campaigns/1/results/" in urls


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "public"])
def test_internal_urls_refuse_outsiders(demo, who):
    from fazhi.orgs.models import User

    client = Client()
    if who == "public":
        client.force_login(User.objects.get(username="public"))
    leaks = []
    for url in all_urls():
        if _is_public(url):
            continue
        response = client.get(url)
        assert response.status_code < 500, f"{url} crashed for {who}"
        if response.status_code == 200 and not (url.startswith("/api/") and _empty_api_answer(response)):
            leaks.append(url)
    # a signed-in member of the public has a home page and their own account's security page, nothing else
    allowed = {"/home/", "/account/"} if who == "public" else set()
    assert sorted(set(leaks) - allowed) == []
