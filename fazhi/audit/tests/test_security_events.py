"""Security events in the audit chain (安全审计): sign-in, failed sign-in and sign-out (with the session gone from
the server), each with who and the address."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from fazhi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_sign_in_failure_and_sign_out_are_recorded_and_the_session_is_gone(client, people):
    client.post(reverse("login"), {"username": "office", "password": "wrong"}, REMOTE_ADDR="198.51.100.7")
    client.post(reverse("login"), {"username": "office", "password": "pw-Secret-1"}, REMOTE_ADDR="198.51.100.7")
    session_key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=session_key).exists()
    client.post(reverse("logout"), REMOTE_ADDR="198.51.100.7")
    assert not Session.objects.filter(session_key=session_key).exists()  # flushed on the server
    assert _actions() == ["auth.login_failed", "auth.login", "auth.logout"]
    assert set(AuditEvent.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    assert client.get(reverse("home")).status_code == 302  # the old cookie opens nothing
