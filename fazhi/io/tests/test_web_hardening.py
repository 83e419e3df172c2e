"""Web hardening (issue 14, item 3): FAZHI_HTTPS turns on HSTS, secure cookies, the redirect to HTTPS and the
proxy header (believed only from our proxies); Permissions-Policy on every page; no-store for anyone signed in;
``check --deploy --fail-level WARNING`` clean in that mode."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import reverse

from config import env

ROOT = Path(__file__).resolve().parents[3]
PROXY = "10.0.0.2"


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a production start: debug off, a real secret key and audit key file."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_") and k not in env.OTHER_KNOWN}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    keys = tmp_path / "audit.keys"
    subprocess.run([sys.executable, "-m", "fazhi.cli", "audit", "keygen", str(keys)], cwd=ROOT, check=True,
                   env={**environment, "FAZHI_DEBUG": "true", "FAZHI_DATA_DIR": str(tmp_path / "data")},
                   capture_output=True, timeout=120)
    environment.update({
        "FAZHI_DEBUG": "false", "FAZHI_SECRET_KEY": secrets.token_urlsafe(50),
        "FAZHI_AUDIT_KEY_FILE": str(keys), "FAZHI_DATA_DIR": str(tmp_path / "data"),
        "FAZHI_ALLOWED_HOSTS": "fazhi.example.gov.cn", **extra,
    })
    return environment


def _run(args: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=environment, cwd=ROOT,
                          timeout=300)


@pytest.fixture(scope="module")
def https_settings(tmp_path_factory):
    """The security settings base.py makes with FAZHI_HTTPS=true (read in a fresh process)."""
    environment = _production_env(tmp_path_factory.mktemp("https"), FAZHI_HTTPS="true",
                                  FAZHI_TRUSTED_PROXIES=PROXY)
    names = ["SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
             "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE",
             "FAZHI_TRUSTED_PROXIES"]
    code = ("import json, django; django.setup(); from django.conf import settings as s; "
            f"print(json.dumps({{n: getattr(s, n) for n in {names!r}}}))")
    completed = _run(["-c", code], {**environment, "DJANGO_SETTINGS_MODULE": "config.settings.base"})
    assert completed.returncode == 0, completed.stderr
    values = json.loads(completed.stdout.strip().splitlines()[-1])
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    values["FAZHI_TRUSTED_PROXIES"] = tuple(values["FAZHI_TRUSTED_PROXIES"])
    return values


# --- the setting itself -------------------------------------------------------------------------------------

def test_fazhi_https_is_a_known_setting_and_refuses_a_malformed_value(monkeypatch):
    for key in list(os.environ):
        if key.startswith("FAZHI_"):
            monkeypatch.delenv(key, raising=False)
    assert env.read_env().https is False
    monkeypatch.setenv("FAZHI_HTTPS", "true")
    assert env.read_env().https is True
    monkeypatch.setenv("FAZHI_HTTPS", "sometimes")
    with pytest.raises(ImproperlyConfigured) as info:
        env.read_env()
    assert "FAZHI_HTTPS" in str(info.value)


def test_https_mode_turns_on_hsts_secure_cookies_redirect_and_proxy_header(https_settings):
    assert https_settings["SECURE_SSL_REDIRECT"] is True
    assert https_settings["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert https_settings["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert https_settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert https_settings["SESSION_COOKIE_SECURE"] is True
    assert https_settings["CSRF_COOKIE_SECURE"] is True
    assert https_settings["FAZHI_TRUSTED_PROXIES"] == (f"{PROXY}/32",)


def test_check_deploy_is_clean_in_https_mode(tmp_path):
    completed = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                     _production_env(tmp_path, FAZHI_HTTPS="true", FAZHI_TRUSTED_PROXIES="127.0.0.1"))
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "no issues" in completed.stdout


def test_check_deploy_without_https_names_what_is_missing(tmp_path):
    """The same check fails without FAZHI_HTTPS: the test above is not clean by accident."""
    completed = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], _production_env(tmp_path))
    assert completed.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in completed.stdout + completed.stderr


# --- behaviour in HTTPS mode ---------------------------------------------------------------------------------

@pytest.mark.django_db
def test_plain_http_is_redirected_and_a_client_cannot_claim_https(client, https_settings):
    with override_settings(**https_settings):
        plain = client.get("/", REMOTE_ADDR=PROXY)
        assert plain.status_code == 301 and plain["Location"].startswith("https://")
        # X-Forwarded-Proto from anyone but our proxy is dropped: still redirected, no HSTS
        forged = client.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
        assert forged.status_code == 301 and forged["Location"].startswith("https://")
        # from our proxy the header is believed: the page is served, with HSTS
        served = client.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https",
                            HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert served.status_code == 200
        hsts = served["Strict-Transport-Security"]
        assert "max-age=31536000" in hsts and "includeSubDomains" in hsts


@pytest.mark.django_db
def test_cookies_are_secure_in_https_mode(client, people, https_settings):
    with override_settings(**https_settings):
        secure = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_PROTO": "https", "secure": True}
        page = client.get(reverse("login"), **secure)
        assert page.cookies["csrftoken"]["secure"] is True
        signed_in = client.post(reverse("login"), {"username": "office", "password": "pw-Secret-1"}, **secure)
        assert signed_in.status_code == 302
        assert signed_in.cookies["sessionid"]["secure"] is True
        assert signed_in.cookies["sessionid"]["httponly"] is True


@pytest.mark.django_db
def test_without_https_mode_nothing_redirects(client):
    assert client.get("/").status_code == 200


# --- headers on every page -----------------------------------------------------------------------------------

def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_permissions_policy_on_public_and_signed_in_pages(client, client_for, people):
    for response in (client.get("/"), client_for(people["office"]).get(reverse("home"))):
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in policy


@pytest.mark.django_db
def test_every_response_to_a_signed_in_user_is_no_store(client_for, people):
    office = client_for(people["office"])
    for url in (reverse("home"), "/", "/api/orgs/units/", reverse("audit:event_list")):
        response = office.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url
        assert "private" in response["Cache-Control"], url


@pytest.mark.django_db
def test_an_api_call_with_credentials_is_no_store_even_when_refused(client):
    response = client.get("/api/orgs/units/", HTTP_AUTHORIZATION="Bearer fz_not-a-token")
    assert response.status_code in (401, 403)
    assert _no_store(response)


@pytest.mark.django_db
def test_anonymous_public_pages_may_be_cached_but_personal_ones_are_not(client):
    assert not _no_store(client.get("/"))  # the public portal: nothing personal
    assert _no_store(client.get(reverse("login")))
    assert _no_store(client.get(reverse("portal:opinion")))
    assert _no_store(client.get(reverse("portal:opinion_status"), {"ref": "X"}))
