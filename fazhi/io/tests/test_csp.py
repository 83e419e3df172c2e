"""A strict Content-Security-Policy (issue 14, item 3): scripts only from our static files.

Two halves: the header every page carries is strict, and no template of the platform has what that header
would refuse — an inline ``<script>``, an ``on*=`` handler, a ``javascript:`` URL or a ``<style>`` element (so a
page cannot break in the browser without a test noticing). The browser half (violations collected in Chromium
on the key pages) is ``test_csp_browser.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]
TEMPLATES = sorted(p for p in (ROOT / "fazhi").rglob("templates/**/*.html") if "node_modules" not in p.parts)
STATIC_JS = sorted((ROOT / "fazhi" / "static" / "js").glob("*.js"))

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
HANDLER = re.compile(r"<[a-z][^<>]*?\son[a-z]+\s*=", re.I | re.S)
JS_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
EVAL = re.compile(r"\beval\s*\(|\bnew\s+Function\s*\(|set(?:Timeout|Interval)\s*\(\s*[\"']")


def _problems(text: str) -> list[str]:
    found = []
    for match in SCRIPT_TAG.finditer(text):
        if not re.search(r"\ssrc\s*=", match.group(1), re.I):
            found.append(f"inline <script> at line {text.count(chr(10), 0, match.start()) + 1}")
    for pattern, what in ((HANDLER, "on*= handler"), (JS_URL, "javascript: URL"), (STYLE_ELEMENT, "<style> element")):
        for match in pattern.finditer(text):
            found.append(f"{what} at line {text.count(chr(10), 0, match.start()) + 1}")
    return found


def test_templates_are_found():
    assert len(TEMPLATES) > 50
    assert ROOT / "fazhi" / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_handlers_or_style_elements(path):
    problems = _problems(path.read_text(encoding="utf-8"))
    assert not problems, f"{path.relative_to(ROOT)}: " + "; ".join(problems)


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>",
    '<script type="text/javascript">x()</script>',
    "<button onclick=\"return confirm('x')\">",
    '<select name="a"\n  onchange="this.form.submit()">',
    '<a href="javascript:void(0)">',
    "<style>body{}</style>",
])
def test_the_scanner_finds_each_kind(text):
    assert _problems(text)


@pytest.mark.parametrize("text", [
    '<script src="/static/js/fazhi.js" defer></script>',
    '<button data-confirm="删除？">',
    '<p>one=1, someone = 2</p>',
    '<input name="online">',
])
def test_the_scanner_passes_what_the_policy_allows(text):
    assert not _problems(text)


@pytest.mark.parametrize("path", STATIC_JS, ids=lambda p: p.name)
def test_our_scripts_do_not_eval(path):
    assert not EVAL.search(path.read_text(encoding="utf-8")), path.name


def _directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/login/", "/api/docs/", "/admin/login/"])
def test_the_header_is_strict_on_every_kind_of_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["script-src-attr"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["style-src"] == ["'self'"] and policy["style-src-elem"] == ["'self'"]
    for directive, sources in policy.items():
        assert "'unsafe-eval'" not in sources, directive
        if directive != "style-src-attr":
            assert "'unsafe-inline'" not in sources, directive
        assert "*" not in sources and "http:" not in sources and "https:" not in sources, directive


@pytest.mark.django_db
def test_signed_in_pages_and_the_api_carry_the_header(client_for, people):
    office = client_for(people["office"])
    for url in (reverse("home"), "/api/orgs/units/", "/api/docs/?script="):
        response = office.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response["Content-Security-Policy"], url


@pytest.mark.django_db
def test_the_api_docs_start_up_script_is_a_file_not_inline(client):
    page = client.get("/api/docs/").content.decode()
    assert not _problems(page)
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
