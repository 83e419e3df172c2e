"""Personal API tokens (issue 14, 身份鉴别): hashed at rest, expiring, revocable, no more than the owner may do;
the API takes the session (with CSRF) or a token, never HTTP Basic."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.accounts import services, tokens
from fazhi.accounts.models import ApiToken
from fazhi.assessment.api import EXAMPLE
from fazhi.audit import describe
from fazhi.audit.models import AuditEvent

UNITS = "/api/orgs/units/"
COMPUTE = "/api/assessment/compute/"


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_only_a_digest_is_stored_and_the_token_acts_as_its_owner(client, people):
    token, secret = services.token_create(user=people["office"], name="数据同步脚本", days=30)
    assert secret.startswith("fz_") and len(secret) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == tokens.digest(secret) and secret not in (stored.digest, stored.prefix)
    assert not ApiToken.objects.filter(digest=secret).exists()
    response = client.get(UNITS, **bearer(secret))
    assert response.status_code == 200
    assert "P-OFFICE" in {row["code"] for row in response.json()["results"]}
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_token_creation_and_revocation_are_audited(people):
    token, _secret = services.token_create(user=people["office"], name="脚本", days=30)
    services.token_revoke(user=people["office"], token=token)
    actions = list(AuditEvent.objects.filter(target_id=str(token.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["accounts.token_create", "accounts.token_revoke"]
    event = AuditEvent.objects.get(action="accounts.token_create")
    assert event.actor_id == people["office"].pk
    # the audit row never holds the secret, and the audit page reads it as a sentence
    assert _secret not in json.dumps(event.after, ensure_ascii=False)
    assert "创建了个人访问令牌" in describe.sentence(event)


@pytest.mark.parametrize("spoil", ["revoked", "expired", "owner_inactive", "unknown", "malformed"])
def test_a_revoked_expired_or_orphaned_token_is_refused(client, people, spoil):
    token, secret = services.token_create(user=people["office"], name="脚本", days=30)
    if spoil == "revoked":
        services.token_revoke(user=people["office"], token=token)
    elif spoil == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    elif spoil == "owner_inactive":
        people["office"].is_active = False
        people["office"].save(update_fields=["is_active"])
    elif spoil == "unknown":
        secret = tokens.new_secret()
    header = {"HTTP_AUTHORIZATION": f"Bearer {secret} extra"} if spoil == "malformed" else bearer(secret)
    response = client.get(UNITS, **header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "results" not in response.json()


def test_a_token_cannot_do_more_than_its_owner(client, people):
    _token, secret = services.token_create(user=people["assessed"], name="脚本", days=30)
    seen = {row["code"] for row in client.get(UNITS, **bearer(secret)).json()["results"]}
    assert seen == {"C1"}  # the owner's own unit, as on their pages — not the province's tree
    response = client.post(COMPUTE, data=json.dumps(EXAMPLE), content_type="application/json", **bearer(secret))
    assert response.status_code == 403  # the engine is for offices: the same policy refuses the token
    _token, office_secret = services.token_create(user=people["office"], name="计分", days=30)
    response = client.post(COMPUTE, data=json.dumps(EXAMPLE), content_type="application/json",
                           **bearer(office_secret))
    assert response.status_code == 200  # a token needs no CSRF token: no cookie is involved


def test_the_api_takes_the_session_only_with_csrf_and_never_basic(people):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["office"])
    assert browser.get(UNITS).status_code == 200
    refused = browser.post(COMPUTE, data=json.dumps(EXAMPLE), content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    browser.get(reverse("accounts:tokens"))  # any page sets the CSRF cookie
    allowed = browser.post(COMPUTE, data=json.dumps(EXAMPLE), content_type="application/json",
                           HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value)
    assert allowed.status_code == 200
    basic = "Basic " + base64.b64encode(b"office:pw-Secret-1").decode()
    assert Client().get(UNITS, HTTP_AUTHORIZATION=basic).status_code in (401, 403)


def test_service_refuses_bad_names_lifetimes_and_someone_elses_token(people):
    with pytest.raises(ValidationError):
        services.token_create(user=people["office"], name="  ", days=30)
    for days in (0, 366, True, "30"):
        with pytest.raises(ValidationError):
            services.token_create(user=people["office"], name="脚本", days=days)
    token, _ = services.token_create(user=people["office"], name="脚本", days=30)
    with pytest.raises(PermissionDenied):
        services.token_revoke(user=people["city_office"], token=token)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiToken.objects.count() == 1


def test_the_token_page_shows_the_secret_once_and_lists_only_ones_own(client, people):
    services.token_create(user=people["city_office"], name="别人的令牌", days=30)
    client.force_login(people["office"])
    response = client.post(reverse("accounts:tokens"), {"name": "报表脚本", "days": "90"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=people["office"])
    secret = response.context["secret"]
    assert tokens.digest(secret) == token.digest and secret in response.content.decode()
    assert (token.expires_at - timezone.now()).days in (89, 90)
    again = client.get(reverse("accounts:tokens")).content.decode()
    assert secret not in again  # shown once
    assert "报表脚本" in again and "别人的令牌" not in again
    assert client.get(UNITS, **bearer(secret)).status_code == 200


def test_the_token_page_refuses_bad_input_with_a_message_and_creates_nothing(client, people):
    client.force_login(people["office"])
    for data in ({"name": "", "days": "90"}, {"name": "脚本", "days": "999"}, {"name": "脚本", "days": "abc"},
                 {"name": "x" * 101, "days": "30"}):
        response = client.post(reverse("accounts:tokens"), data)
        assert response.status_code == 400
        assert response.context["errors"] and response.context["secret"] is None
    assert not ApiToken.objects.exists()


def test_revoking_through_the_page_refuses_others_and_anonymous(client, people):
    token, secret = services.token_create(user=people["office"], name="脚本", days=30)
    url = reverse("accounts:token_revoke", args=[token.pk])
    assert client.post(url).status_code == 302 and client.post(url)["Location"].startswith(reverse("login"))
    client.force_login(people["city_office"])
    assert client.post(url).status_code == 404  # not theirs: not even shown to exist
    client.force_login(people["office"])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(UNITS, **bearer(secret)).status_code == 401


def test_the_token_page_needs_a_signed_in_person(client, people):
    response = client.get(reverse("accounts:tokens"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    _token, secret = services.token_create(user=people["office"], name="脚本", days=30)
    # a token opens the API, not the pages: it cannot create further tokens
    response = client.post(reverse("accounts:tokens"), {"name": "再来一个", "days": "30"}, **bearer(secret))
    assert response.status_code == 302
    assert ApiToken.objects.count() == 1


def test_the_public_hold_no_tokens(client, people):
    with pytest.raises(PermissionDenied):
        services.token_create(user=people["public"], name="脚本", days=30)
    client.force_login(people["public"])
    assert client.get(reverse("accounts:tokens")).status_code == 403
    assert client.post(reverse("accounts:tokens"), {"name": "脚本", "days": "30"}).status_code == 403
    assert "accounts/tokens" not in client.get(reverse("accounts:account")).content.decode()
    assert not ApiToken.objects.exists()
