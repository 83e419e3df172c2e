"""Session limits (issue 14, 身份鉴别 / 会话管理): an idle session ends after FAZHI_SESSION_IDLE_MINUTES (default 30),
any session after FAZHI_SESSION_MAX_HOURS (default 12) — on the server, whatever the browser keeps. The clock is
moved forward (``timezone.now``), nobody sleeps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from fazhi.audit.models import AuditEvent

HOME = reverse("home")


@pytest.fixture
def clock(monkeypatch):
    """Move the clock forward: ``clock(minutes=31)``; every ``timezone.now()`` (sessions included) follows."""
    real = timezone.now
    offset = timedelta()

    def move(**delta):
        nonlocal offset
        offset += timedelta(**delta)

    monkeypatch.setattr(timezone, "now", lambda: real() + offset)
    return move


def sign_in(username="office") -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": "pw-Secret-1"},
                           REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 302
    return client


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_defaults_are_thirty_minutes_idle_and_twelve_hours_in_all():
    assert settings.FAZHI_SESSION_IDLE_MINUTES == 30
    assert settings.FAZHI_SESSION_MAX_HOURS == 12
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


def test_an_idle_session_ends_after_thirty_minutes(people, clock):
    client = sign_in()
    clock(minutes=29)
    assert client.get(HOME).status_code == 200  # still within the limit
    clock(minutes=29)  # 29 minutes after the last request: still fine
    assert client.get(HOME).status_code == 200
    clock(minutes=31)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=%2Fhome%2F"
    assert not signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "较长时间未操作" in page
    event = AuditEvent.objects.get(action="auth.session_expired")
    assert event.actor_id == people["office"].pk and event.after == {"limit": "idle"}
    assert client.get(HOME).status_code == 302  # and stays signed out


def test_activity_keeps_a_session_alive_but_not_past_the_absolute_limit(people, clock):
    client = sign_in()
    for _ in range(11 * 4):  # a request every 15 minutes for 11 hours
        clock(minutes=15)
        assert client.get(HOME).status_code == 200
    clock(minutes=61)  # 12 h 1 min after sign-in
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "最长时限" in client.get(response["Location"]).content.decode()
    assert AuditEvent.objects.get(action="auth.session_expired").after == {"limit": "absolute"}


def test_signing_in_again_starts_new_clocks(people, clock):
    client = sign_in()
    clock(hours=13)
    assert client.get(HOME).status_code == 302
    client = sign_in()
    assert client.get(HOME).status_code == 200


@override_settings(FAZHI_SESSION_IDLE_MINUTES=5, FAZHI_SESSION_MAX_HOURS=1)
def test_the_limits_follow_the_settings(people, clock):
    client = sign_in()
    clock(minutes=4)
    assert client.get(HOME).status_code == 200
    clock(minutes=6)
    assert client.get(HOME).status_code == 302
    client = sign_in()
    for _ in range(15):
        clock(minutes=4)
        client.get(HOME)
    assert not signed_in(client)  # 60 minutes in all


def test_an_expired_session_is_refused_by_the_api_too(people, clock):
    client = sign_in()
    assert client.get("/api/orgs/units/").status_code == 200
    clock(minutes=31)
    response = client.get("/api/orgs/units/")
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_htmx_requests_are_sent_to_the_sign_in_page_whole(people, clock):
    client = sign_in()
    clock(minutes=45)
    response = client.get(HOME, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("login"))


def test_the_last_request_is_written_back_at_most_every_two_minutes(people, clock):
    from fazhi.accounts.middleware import SEEN

    client = sign_in()
    first = client.session[SEEN]
    clock(seconds=30)
    client.get(HOME)
    assert client.session[SEEN] == first  # no session write for a request soon after the last
    clock(minutes=3)
    client.get(HOME)
    assert client.session[SEEN] > first
