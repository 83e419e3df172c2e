"""Password rules and forced changes (issue 14, 身份鉴别): ≥ 10 characters, three of four character classes, none of
the last five; a change page; an initial or reset password, or an expired one, must be changed before anything
else. The demo accounts are not held up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from fazhi.accounts import services
from fazhi.accounts.middleware import MUST_CHANGE
from fazhi.accounts.models import AccountState, PasswordHistory
from fazhi.audit.models import AuditEvent

OLD = "pw-Secret-1"
CHANGE = reverse("accounts:password_change")


def sign_in(username: str, password: str = OLD) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.5")
    assert response.status_code == 302, "sign-in failed"
    return client


def change(client, old, new, again=None, **extra):
    return client.post(CHANGE, {"old_password": old, "new_password1": new,
                                "new_password2": new if again is None else again, **extra})


@pytest.mark.parametrize("weak, why", [
    ("Short-1a", "password_too_short"),          # 8 characters
    ("abcdefghij", "password_too_simple"),       # one class
    ("abcdefgh12", "password_too_simple"),       # two classes
    ("我的密码我的密码我的密码", "password_too_simple"),  # other characters only
])
def test_weak_passwords_are_refused_with_the_rule(people, weak, why):
    with pytest.raises(ValidationError) as caught:
        password_validation.validate_password(weak, people["office"])
    assert why in {e.code for e in caught.value.error_list}


@pytest.mark.parametrize("good", ["Abcdefgh12", "abcdefgh1!", "ABCDEFGH1!", "Zheng-Zhou-fz"])
def test_three_of_four_classes_and_ten_characters_pass(people, good):
    password_validation.validate_password(good, people["office"])


def test_none_of_the_last_five_passwords_may_come_back(people):
    user = people["assessed"]
    chosen = [f"Rotation-{n}-pw" for n in range(6)]
    current = OLD
    for new in chosen:
        services.password_change(user=user, old_password=current, new_password=new)
        current = new
    for recent in chosen[1:]:  # the current one and the four before it
        with pytest.raises(ValidationError) as caught:
            services.password_change(user=user, old_password=current, new_password=recent)
        assert caught.value.error_list[0].code == "password_reused"
    assert PasswordHistory.objects.filter(user=user).count() == 5
    services.password_change(user=user, old_password=current, new_password=chosen[0])  # six changes ago: allowed
    user.refresh_from_db()
    assert user.check_password(chosen[0])


def test_the_change_page_changes_the_password_and_keeps_the_person_signed_in(people):
    client = sign_in("office")
    page = client.get(CHANGE)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "至少包含大写字母" in page.content.decode()  # the rules are shown
    response = change(client, OLD, "Brand-New-2026")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:account")
    assert client.get(reverse("home")).status_code == 200  # still signed in here
    people["office"].refresh_from_db()
    assert people["office"].check_password("Brand-New-2026")
    event = AuditEvent.objects.get(action="accounts.password_change")
    assert event.actor_id == people["office"].pk and "Brand-New" not in str(event.after)


@pytest.mark.parametrize("old, new, again, message", [
    ("wrong-Password-1", "Brand-New-2026", None, "原密码不正确"),
    (OLD, "Brand-New-2026", "Brand-New-2027", "两次输入的新密码不一致"),
    (OLD, "short1A", None, "密码太短，至少需要 10 个字符"),
    (OLD, "alllowercaseletters", None, "至少 3 类"),
    (OLD, OLD, None, "最近 5 次"),
    (OLD, "", None, "请填写新密码"),
])
def test_the_change_page_refuses_with_a_message_and_changes_nothing(people, old, new, again, message):
    client = sign_in("office")
    response = change(client, old, new, again)
    assert response.status_code == 400
    assert message in response.content.decode()
    people["office"].refresh_from_db()
    assert people["office"].check_password(OLD)
    assert not AuditEvent.objects.filter(action="accounts.password_change").exists()


def test_the_change_page_needs_a_signed_in_person(client):
    response = client.get(CHANGE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_reset_password_must_be_changed_before_anything_else(people):
    services.password_reset(user=people["office"], person=people["assessed"], new_password="Initial-Pass-9")
    assert AuditEvent.objects.filter(action="accounts.password_reset", target_id=str(people["assessed"].pk)).exists()
    client = sign_in("assessed", "Initial-Pass-9")
    assert client.session[MUST_CHANGE] == "initial"
    for url in (reverse("home"), "/plans/my-tasks/", reverse("accounts:tokens")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(CHANGE), url
    assert client.get(reverse("home"))["Location"] == CHANGE + "?next=%2Fhome%2F"
    assert client.get("/api/orgs/units/").status_code == 403  # the API as well, with the session
    page = client.get(CHANGE)
    assert page.status_code == 200 and "初始密码或重置密码" in page.content.decode()
    response = change(client, "Initial-Pass-9", "Mine-Only-2026", next="/home/")
    assert response.status_code == 302 and response["Location"] == "/home/"
    assert client.get(reverse("home")).status_code == 200
    assert not AccountState.objects.get(user=people["assessed"]).must_change_password
    assert MUST_CHANGE not in sign_in("assessed", "Mine-Only-2026").session  # and not at the next sign-in


def test_the_forced_change_does_not_send_away_to_another_site(people):
    services.password_reset(user=people["office"], person=people["assessed"], new_password="Initial-Pass-9")
    client = sign_in("assessed", "Initial-Pass-9")
    response = change(client, "Initial-Pass-9", "Mine-Only-2026", next="https://evil.example/")
    assert response["Location"] == reverse("accounts:account")


def test_only_the_office_of_the_unit_or_an_admin_resets_a_password(people):
    for who in ("city_office", "other_office", "assessing"):
        with pytest.raises(Exception) as caught:
            services.password_reset(user=people[who], person=people["assessed_c2"], new_password="Initial-Pass-9")
        assert caught.type.__name__ == "PermissionDenied", who
    people["assessed_c2"].refresh_from_db()
    assert people["assessed_c2"].check_password(OLD)
    assert not AccountState.objects.exists()


def test_an_expired_password_must_be_changed(people):
    services.password_change(user=people["assessing"], old_password=OLD, new_password="Ninety-Days-1")
    PasswordHistory.objects.filter(user=people["assessing"]).update(created_at=timezone.now() - timedelta(days=91))
    client = sign_in("assessing", "Ninety-Days-1")
    assert client.session[MUST_CHANGE] == "expired"
    assert client.get(reverse("home"))["Location"].startswith(CHANGE)
    assert "已超过有效期" in client.get(CHANGE).content.decode()
    change(client, "Ninety-Days-1", "Ninety-Days-2")
    assert client.get(reverse("home")).status_code == 200


def test_expiry_follows_the_setting_and_an_account_never_changed_counts_from_its_creation(people):
    user = people["expert"]
    assert services.must_change_password(user) is None
    user.date_joined = timezone.now() - timedelta(days=95)
    user.save(update_fields=["date_joined"])
    assert services.must_change_password(user) == "expired"
    with override_settings(FAZHI_PASSWORD_MAX_AGE_DAYS=120):
        assert services.must_change_password(user) is None
    with override_settings(FAZHI_PASSWORD_MAX_AGE_DAYS=0):  # 0: passwords never expire
        assert services.must_change_password(user) is None


def test_a_password_set_in_the_django_admin_must_be_changed_by_its_owner(people, units):
    from fazhi.orgs.models import User

    admin = User.objects.create_superuser("root", password=OLD, unit=units["P-OFFICE"])
    client = Client()
    client.force_login(admin)
    url = reverse("admin:auth_user_password_change", args=[people["survey"].pk])
    response = client.post(url, {"password1": "Admin-Chosen-1", "password2": "Admin-Chosen-1",
                                 "usable_password": "true"})
    assert response.status_code == 302
    assert AccountState.objects.get(user=people["survey"]).must_change_password
    assert AuditEvent.objects.filter(action="accounts.password_reset", target_id=str(people["survey"].pk)).exists()
    assert sign_in("survey", "Admin-Chosen-1").get(reverse("home"))["Location"].startswith(CHANGE)
    # an admin's password rules are the same: a weak one is refused there too
    weak = client.post(url, {"password1": "weakpass", "password2": "weakpass", "usable_password": "true"})
    assert weak.status_code == 200
    people["survey"].refresh_from_db()
    assert people["survey"].check_password("Admin-Chosen-1")


def test_a_new_account_made_in_the_admin_changes_its_initial_password_at_first_sign_in(units):
    from fazhi.orgs.models import User

    admin = User.objects.create_superuser("root", password=OLD, unit=units["P-OFFICE"])
    client = Client()
    client.force_login(admin)
    response = client.post(reverse("admin:orgs_user_add"), {
        "username": "newcomer", "password1": "First-Login-9", "password2": "First-Login-9",
        "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    newcomer = User.objects.get(username="newcomer")
    assert AccountState.objects.get(user=newcomer).must_change_password
    assert sign_in("newcomer", "First-Login-9").session[MUST_CHANGE] == "initial"


def test_the_demo_accounts_sign_in_without_a_forced_change(db):
    from fazhi.orgs.demo import DEMO_PASSWORD, DEMO_PEOPLE, load_people, load_units
    from fazhi.orgs.management.commands.load_demo import DEMO_APPS

    people = load_people(load_units())
    from fazhi.accounts import demo

    demo.load(units=None, people=people, stdout=None)
    password_validation.validate_password(DEMO_PASSWORD + "x")  # the demo password's pattern meets the rules
    for username in ("office", "approver", "admin", "public"):
        assert username in DEMO_PEOPLE
        client = sign_in(username, DEMO_PASSWORD)
        assert MUST_CHANGE not in client.session, username
    assert "accounts" in DEMO_APPS  # `load_demo` runs the same loader
