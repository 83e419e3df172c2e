"""TOTP second factor (issue 14, 身份鉴别): set up with a QR code drawn locally, asked after the password, required
for offices, approvers and admins when FAZHI_REQUIRE_2FA is on. Codes are computed from the device's key as an
authenticator app computes them (RFC 6238)."""

from __future__ import annotations

import time
from binascii import unhexlify

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from fazhi.accounts import services
from fazhi.accounts.middleware import OTP_PENDING
from fazhi.audit.models import AuditEvent

HOME = reverse("home")
SETUP = reverse("accounts:otp_setup")
VERIFY = reverse("accounts:otp_verify")


def code(key_hex: str, at: float | None = None) -> str:
    totp = TOTP(unhexlify(key_hex), step=30, t0=0, digits=6)
    totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def wrong(key_hex: str) -> str:
    right = {code(key_hex, time.time() + 30 * n) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def sign_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": "pw-Secret-1"},
                           REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302
    return client


def enroll(client) -> TOTPDevice:
    page = client.get(SETUP)
    assert page.status_code == 200
    key = client.session["accounts.otp_key"]
    response = client.post(SETUP, {"code": code(key)})
    assert response.status_code == 302, response.content.decode()[:500]
    return TOTPDevice.objects.get(key=key)


def test_setting_up_shows_a_local_qr_code_and_the_secret_and_needs_a_right_code(people):
    client = sign_in("assessing")
    page = client.get(SETUP)
    html = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "<svg" in html and "http" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", "")  # drawn here, no outside image service
    key = client.session["accounts.otp_key"]
    from base64 import b32encode

    assert b32encode(unhexlify(key)).decode() in html  # for typing in by hand
    assert not TOTPDevice.objects.exists()  # nothing stored until confirmed
    refused = client.post(SETUP, {"code": wrong(key)})
    assert refused.status_code == 400 and "验证码不正确" in refused.content.decode()
    assert client.post(SETUP, {"code": "12ab56"}).status_code == 400
    assert not TOTPDevice.objects.exists()
    device = enroll(client)
    assert device.user == people["assessing"] and device.confirmed
    assert AuditEvent.objects.filter(action="accounts.otp_enroll", actor_id=people["assessing"].pk).exists()
    assert key not in str(AuditEvent.objects.get(action="accounts.otp_enroll").after)


def test_with_an_authenticator_the_code_is_asked_after_the_password(people):
    device = enroll(sign_in("assessing"))
    client = sign_in("assessing")
    assert client.session[OTP_PENDING] == "verify"
    for url in (HOME, reverse("accounts:tokens"), reverse("accounts:password_change")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), url
    assert client.get("/api/orgs/units/").status_code == 403  # the session's API calls too
    response = client.post(VERIFY, {"code": wrong(device.key), "next": "/home/"})
    assert response.status_code == 400 and "验证码不正确" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.otp_failed").count() == 1
    assert client.get(HOME).status_code == 302
    device.refresh_from_db()
    device.throttling_failure_timestamp = None  # the failure above slows the next try; let it pass at once
    device.throttling_failure_count = 0
    device.save()
    # the code shown in the next 30 seconds (the enrolment used up the current one); one step apart is accepted
    response = client.post(VERIFY, {"code": code(device.key, time.time() + 30), "next": "/home/"})
    assert response.status_code == 302 and response["Location"] == "/home/"
    assert client.get(HOME).status_code == 200
    assert client.get("/api/orgs/units/").status_code == 200


def test_a_code_cannot_be_used_twice(people):
    client = sign_in("assessing")
    client.get(SETUP)
    key = client.session["accounts.otp_key"]
    used = code(key)
    assert client.post(SETUP, {"code": used}).status_code == 302
    again = sign_in("assessing")
    assert again.post(VERIFY, {"code": used}).status_code == 400  # the enrolment's code is used up
    assert again.get(HOME).status_code == 302


def test_repeated_wrong_codes_are_slowed_down(people):
    device = enroll(sign_in("assessing"))
    client = sign_in("assessing")
    client.post(VERIFY, {"code": wrong(device.key)})
    response = client.post(VERIFY, {"code": code(device.key, time.time() + 30)})  # right, but too soon after a failure
    assert response.status_code == 400 and "次数过多" in response.content.decode()
    assert client.get(HOME).status_code == 302


@override_settings(FAZHI_REQUIRE_2FA=True)
@pytest.mark.parametrize("who", ["office", "approver", "admin"])
def test_when_required_offices_approvers_and_admins_must_set_one_up(people, make_user, units, who):
    from fazhi.orgs.models import Role

    if who == "admin":
        make_user("root", Role.ASSESSING, units["D1"], is_superuser=True, is_staff=True)
    username = {"office": "office", "approver": "p_approver", "admin": "root"}[who]
    client = sign_in(username)
    assert client.session[OTP_PENDING] == "enroll"
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
    assert client.get(VERIFY)["Location"] == SETUP  # nothing to verify yet
    enroll(client)
    assert client.get(HOME).status_code == 200
    assert sign_in(username).session[OTP_PENDING] == "verify"  # and every sign-in after
    # required: it can be replaced, not removed
    assert client.post(SETUP, {"action": "remove"}).status_code == 403
    assert TOTPDevice.objects.filter(user__username=username).exists()


@override_settings(FAZHI_REQUIRE_2FA=True)
@pytest.mark.parametrize("who", ["assessing", "assessed", "expert", "public"])
def test_other_roles_are_not_held_up_when_required(people, who):
    client = sign_in(who)
    assert OTP_PENDING not in client.session
    assert client.get(HOME).status_code in (200, 302)
    assert not client.get(HOME).get("Location", "").startswith(SETUP)


def test_without_the_setting_nobody_is_held_up(people):
    for username in ("office", "p_approver"):
        client = sign_in(username)
        assert OTP_PENDING not in client.session
        assert client.get(HOME).status_code == 200


def test_the_person_can_remove_their_own_and_an_admin_can_remove_a_lost_one(people, make_user, units):
    from django.core.exceptions import PermissionDenied

    from fazhi.orgs.models import Role

    client = sign_in("assessing")
    enroll(client)
    response = client.post(SETUP, {"action": "remove"})
    assert response.status_code == 302 and not TOTPDevice.objects.exists()
    assert AuditEvent.objects.filter(action="accounts.otp_remove").count() == 1
    enroll(sign_in("expert"))
    with pytest.raises(PermissionDenied):
        services.otp_remove(user=people["office"], person=people["expert"])  # not an admin
    assert TOTPDevice.objects.filter(user=people["expert"]).exists()
    root = make_user("root", Role.OFFICE, units["P-OFFICE"], is_superuser=True, is_staff=True)
    services.otp_remove(user=root, person=people["expert"])
    assert not TOTPDevice.objects.exists()
    assert OTP_PENDING not in sign_in("expert").session


def test_a_half_signed_in_person_cannot_remove_the_factor(people):
    enroll(sign_in("assessing"))
    client = sign_in("assessing")  # password only
    assert client.post(SETUP, {"action": "remove"}).status_code == 403
    assert client.get(SETUP)["Location"] == VERIFY
    assert TOTPDevice.objects.count() == 1
