"""Finding 9 of issue 14: the public form's rate limit keyed on REMOTE_ADDR (behind a proxy everyone shared one
bucket, and anyone could spoof X-Forwarded-For if it were believed blindly) and was not atomic."""

from __future__ import annotations

import threading

import pytest
from django.test import override_settings
from django.urls import reverse

from fazhi.portal import services
from fazhi.portal.models import PublicOpinion

PROXY = "10.0.0.2"


def _post(client, text, **extra):
    return client.post(reverse("portal:opinion"), {"text": text}, **extra)


def test_concurrent_posts_cannot_pass_the_limit_together():
    barrier = threading.Barrier(20)
    results = []

    def one():
        barrier.wait(timeout=30)
        results.append(services.take_slot("same-source"))

    threads = [threading.Thread(target=one) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == services.RATE_LIMIT and results.count(False) == 20 - services.RATE_LIMIT


@pytest.mark.django_db
@override_settings(FAZHI_TRUSTED_PROXIES=(PROXY,))
def test_behind_our_proxy_each_client_has_its_own_bucket(client):
    for number in range(services.RATE_LIMIT):
        assert _post(client, f"意见一{number}号：希望加强执法监督。", REMOTE_ADDR=PROXY,
                     HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 302
    assert _post(client, "意见一超限：希望加强执法监督。", REMOTE_ADDR=PROXY,
                 HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    # another citizen behind the same proxy is not blocked by the first
    assert _post(client, "另一位市民的意见：希望公开更多信息。", REMOTE_ADDR=PROXY,
                 HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302
    assert PublicOpinion.objects.count() == services.RATE_LIMIT + 1


@pytest.mark.django_db
@override_settings(FAZHI_TRUSTED_PROXIES=(PROXY,))
def test_a_client_cannot_escape_the_limit_by_sending_x_forwarded_for(client):
    for number in range(services.RATE_LIMIT + 3):
        response = _post(client, f"意见{number}号：希望加强执法监督。", REMOTE_ADDR="203.0.113.5",
                         HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    assert response.status_code == 429
    assert PublicOpinion.objects.count() == services.RATE_LIMIT


@pytest.mark.django_db
@override_settings(FAZHI_TRUSTED_PROXIES=(PROXY,))
def test_a_forged_entry_before_our_proxys_is_ignored(client):
    """The proxy appends the address it saw; what the client put in front is not believed."""
    for number in range(services.RATE_LIMIT + 1):
        response = _post(client, f"意见{number}号：希望加强执法监督。", REMOTE_ADDR=PROXY,
                         HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 198.51.100.7")
    assert response.status_code == 429
