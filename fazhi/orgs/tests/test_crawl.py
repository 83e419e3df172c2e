"""Crawl the demo as every role: no page may crash, and internal pages never open to the public.

Loads the full demo data set (`fazhi load_demo`), signs in as each demo account, follows the links of
its menu and of the pages they lead to (GET only, two levels deep) and asserts every answer is a page, a
redirect, a download or a refusal — never a server error.
"""

import re
from urllib.parse import urldefrag, urlparse

import pytest
from django.core.management import call_command
from django.test import Client

from fazhi.orgs.demo import DEMO_PEOPLE

LINK = re.compile(r'href="([^"#][^"]*)"')
SKIP = ("/logout", "/admin/", "/static/", "/media/", "/i18n/", "/api/schema", "/api/docs")
INTERNAL_PREFIXES = ("/home/", "/orgs/", "/plans/", "/assessment/", "/reviews/", "/reports/", "/audit/")


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        yield
        # leave the database empty for the other modules (this module's data is not in a transaction)
        from django.core.management import call_command as flush
        from django.db import connection

        flush("flush", interactive=False, verbosity=0)
        connection.close()


def crawl(client: Client, start: str, limit: int = 150) -> dict[str, int]:
    seen: dict[str, int] = {}
    queue = [(start, 0)]
    while queue and len(seen) < limit:
        url, depth = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.status_code
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or "text/html" not in content_type:
            continue
        page = response.content.decode("utf-8", "replace")
        assert "---------" not in page, f"{url} shows Django's placeholder “---------” instead of a plain choice"
        if depth >= 2:
            continue
        for href in LINK.findall(page):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parsed = urlparse(href)
            if parsed.scheme or parsed.netloc or not href.startswith("/") or href.startswith(SKIP):
                continue
            queue.append((href, depth + 1))
    return seen


@pytest.mark.django_db
@pytest.mark.parametrize("username", sorted(DEMO_PEOPLE))
def test_every_role_can_crawl_its_pages_without_errors(demo_db, username):
    from fazhi.orgs.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    seen = crawl(client, "/home/")
    if DEMO_PEOPLE[username][2] == "public":  # a member of the public has no workbench: the portal is theirs
        assert seen["/home/"] == 302
        seen = crawl(client, "/")
    else:
        assert seen["/home/"] == 200
    if DEMO_PEOPLE[username][2] in ("office", "assessing", "assessed"):
        assert len(seen) >= 5, seen  # these roles have real work pages behind their menu
    refused = [url for url, status in seen.items() if status >= 400]
    assert not refused, f"links shown to {username} lead to refusals: {refused}"


@pytest.mark.django_db
def test_anonymous_visitor_gets_no_internal_page(demo_db):
    client = Client()
    seen = crawl(client, "/")
    assert seen["/"] == 200
    for url, status in seen.items():
        if url.startswith(INTERNAL_PREFIXES) and not url.startswith("/reviews/public/"):
            assert status in (302, 403, 404), f"{url} answered {status} to an anonymous visitor"
