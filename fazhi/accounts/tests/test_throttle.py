"""Findings 1 and 2 of issue 14: password guessing through the API, and locking the office out.

Before: the API took HTTP Basic and ignored the lock (30 guesses all answered); five wrong passwords for
``office`` from anywhere locked it everywhere; the count lived in each process's memory.
"""

from __future__ import annotations

import base64

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.urls import reverse

from fazhi.accounts import throttle
from fazhi.audit.models import AuditEvent

PASSWORD = "pw-Secret-1"
ATTACKER = "203.0.113.66"
OFFICE_PC = "198.51.100.10"


def sign_in(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_api_refuses_http_basic_even_with_the_right_password(client, people):
    header = "Basic " + base64.b64encode(f"office:{PASSWORD}".encode()).decode()
    response = client.get("/api/assessment/campaigns/", HTTP_AUTHORIZATION=header)
    assert response.status_code in (401, 403)


def test_guessing_through_the_api_checks_no_password_at_all(client, people):
    for attempt in range(30):
        header = "Basic " + base64.b64encode(f"office:guess{attempt}".encode()).decode()
        assert client.get("/api/assessment/campaigns/", HTTP_AUTHORIZATION=header).status_code in (401, 403)
    assert not AuditEvent.objects.filter(action="auth.login_failed").exists()  # no password was even tried
    # and the account is not locked by it: the office signs in
    assert sign_in(client, "office", PASSWORD, OFFICE_PC).status_code == 302


def test_an_attacker_locks_only_themselves_not_the_office(client, people, django_user_model):
    attacker = type(client)()
    bodies = [sign_in(attacker, "office", "wrong", ATTACKER).content.decode() for _ in range(5)]
    assert all("用户名或密码不正确" in b for b in bodies[:4])
    assert "已暂时锁定" in bodies[4]
    # the attacker now has the right password: still refused, from the attacker's address
    response = sign_in(attacker, "office", PASSWORD, ATTACKER)
    assert "已暂时锁定" in response.content.decode() and not signed_in(attacker)
    # the office, from its own machine, is not locked out
    assert sign_in(client, "office", PASSWORD, OFFICE_PC).status_code == 302 and signed_in(client)


def test_the_lock_is_in_the_database_shared_by_every_process(client, people):
    for _ in range(5):
        sign_in(client, "office", "wrong", ATTACKER)
    attempt = AccessAttempt.objects.get(username="office", ip_address=ATTACKER)
    assert attempt.failures_since_start == 5
    cache.clear()  # another process has its own memory: the lock must not live there
    assert "已暂时锁定" in sign_in(type(client)(), "office", PASSWORD, ATTACKER).content.decode()


def test_spraying_many_accounts_from_one_address_blocks_that_address(client, people):
    for number in range(throttle.ADDRESS_FAILURE_LIMIT):
        sign_in(client, f"name{number}", "wrong", ATTACKER)
    response = sign_in(client, "assessed", PASSWORD, ATTACKER)
    assert "登录失败次数过多" in response.content.decode() and not signed_in(client)
    other = type(client)()
    assert sign_in(other, "assessed", PASSWORD, OFFICE_PC).status_code == 302


def test_a_distributed_guess_is_slowed_but_the_usual_address_passes(client, people):
    assert sign_in(type(client)(), "office", PASSWORD, OFFICE_PC).status_code == 302  # the office's machine
    for number in range(throttle.ACCOUNT_SLOW_AFTER):
        sign_in(type(client)(), "office", "wrong", f"203.0.113.{number + 1}")
    # a new address gets one attempt per pause, the next one at once is told to wait
    first = sign_in(type(client)(), "office", "wrong", "192.0.2.1")
    assert "用户名或密码不正确" in first.content.decode()
    second = sign_in(type(client)(), "office", PASSWORD, "192.0.2.2")
    assert "请 10 秒后再试" in second.content.decode()
    # the office's usual machine is not slowed
    assert sign_in(client, "office", PASSWORD, OFFICE_PC).status_code == 302


def test_a_success_resets_the_count_at_that_address(client, people):
    for _ in range(4):
        sign_in(client, "office", "wrong", OFFICE_PC)
    assert sign_in(client, "office", PASSWORD, OFFICE_PC).status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "office", "wrong", OFFICE_PC)
    assert sign_in(client, "office", PASSWORD, OFFICE_PC).status_code == 302


def test_unknown_names_get_the_same_answers(client, people):
    for _ in range(5):
        response = sign_in(client, "nobody", "x", ATTACKER)
    assert "已暂时锁定" in response.content.decode()


@pytest.mark.parametrize("forwarded", ["203.0.113.9", "10.0.0.5, 203.0.113.9"])
def test_a_client_cannot_choose_its_address_with_x_forwarded_for(client, people, forwarded):
    for _ in range(5):
        sign_in(client, "office", "wrong", ATTACKER)
    response = client.post(reverse("login"), {"username": "office", "password": PASSWORD},
                           REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=forwarded)
    assert "已暂时锁定" in response.content.decode()
