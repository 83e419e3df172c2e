"""Writes of the accounts app: API tokens and passwords. Each is atomic and audited."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation, update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.audit.services import record_event
from fazhi.io.values import clean_text
from fazhi.orgs.models import Role

from . import tokens
from .models import AccountState, ApiToken, PasswordHistory

#: Longest life of a personal API token (days); the owner picks up to this.
TOKEN_MAX_DAYS = 365
HISTORY_KEPT = 5


@transaction.atomic
def token_create(*, user, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """A new personal API token for ``user``; returns the token row and the secret (shown once, never stored)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied
    if user.role == Role.PUBLIC and not user.is_superuser:
        raise PermissionDenied  # the public have no API of their own
    name = clean_text(name, field="name", max_length=100, label=_("用途"))
    if not name:
        raise ValidationError({"name": _("请填写令牌的用途")})
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= TOKEN_MAX_DAYS:
        raise ValidationError({"days": _("有效期应为 1 到 %(max)d 天") % {"max": TOKEN_MAX_DAYS}})
    raw = tokens.new_secret()
    token = ApiToken(user=user, name=name, prefix=raw[:10], digest=tokens.digest(raw),
                     expires_at=timezone.now() + timedelta(days=days))
    token.full_clean()
    token.save()
    record_event(actor=user, action="accounts.token_create", target=token, before=None,
                 after={"name": name, "expires_at": token.expires_at.isoformat()}, unit=user.unit)
    return token, raw


@transaction.atomic
def token_revoke(*, user, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(actor=user, action="accounts.token_revoke", target=token, before={"revoked": False},
                     after={"revoked": True}, unit=user.unit)
    return token


def remember_password(user) -> None:
    """Keep the current hash in the history (the last ``HISTORY_KEPT`` are kept)."""
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = list(PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[HISTORY_KEPT:])
    if stale:
        PasswordHistory.objects.filter(pk__in=stale).delete()


@transaction.atomic
def password_change(*, user, old_password: str, new_password: str, request=None) -> None:
    """The person changes their own password: the old one is checked, the new one meets the rules
    (``AUTH_PASSWORD_VALIDATORS``: length, character classes, not among the last five)."""
    if not user.check_password(old_password or ""):
        raise ValidationError({"old_password": _("原密码不正确")})
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    remember_password(user)
    AccountState.objects.update_or_create(user=user, defaults={"must_change_password": False})
    if request is not None:
        update_session_auth_hash(request, user)  # stay signed in here; other sessions end
    record_event(actor=user, action="accounts.password_change", target=user, before=None, after={"changed": True},
                 unit=user.unit)


@transaction.atomic
def password_reset(*, user, person, new_password: str) -> None:
    """An office (for people of its subtree) or an admin sets a new initial password; the person must change it
    at the next sign-in."""
    from fazhi.orgs import policies as org_policies

    allowed = user.is_superuser or (
        org_policies.has_role(user, "office") and person.unit_id
        and org_policies.managed_units(user).filter(pk=person.unit_id).exists())
    if not allowed or person.pk == user.pk:
        raise PermissionDenied
    password_validation.validate_password(new_password, person)
    person.set_password(new_password)
    person.save(update_fields=["password"])
    remember_password(person)
    AccountState.objects.update_or_create(user=person, defaults={"must_change_password": True})
    record_event(actor=user, action="accounts.password_reset", target=person, before=None,
                 after={"must_change_password": True}, unit=person.unit)


@transaction.atomic
def password_set_by_admin(*, user, person, created: bool = False) -> None:
    """The Django admin set ``person``'s password (a new account, or the admin's "change password" form): the
    password is someone else's choice, so the person must change it at the next sign-in. Called by
    ``fazhi.accounts.admin`` inside the admin's own transaction, after the password is saved."""
    if not (user.is_staff and user.is_active) or person.pk == user.pk:
        return  # an admin changing their own password through the admin form chose it themselves
    remember_password(person)
    AccountState.objects.update_or_create(user=person, defaults={"must_change_password": True})
    record_event(actor=user, action="accounts.password_reset", target=person, before=None,
                 after={"must_change_password": True, "created": created}, unit=person.unit)


def password_set_at(user):
    """When the current password was set: the newest history row, else when the account was made."""
    last = PasswordHistory.objects.filter(user=user).values_list("created_at", flat=True).first()
    return last or user.date_joined


def password_expired(user) -> bool:
    """Older than ``FAZHI_PASSWORD_MAX_AGE_DAYS`` (0: passwords never expire)."""
    days = getattr(settings, "FAZHI_PASSWORD_MAX_AGE_DAYS", 90)
    if not days:
        return False
    return timezone.now() - password_set_at(user) > timedelta(days=days)


#: Why a person must change their password before anything else (shown on the change page).
REASONS = ("initial", "expired")


def must_change_password(user) -> str | None:
    """``"initial"`` (set by someone else: a new account or a reset), ``"expired"``, or None."""
    state = AccountState.objects.filter(user=user).values_list("must_change_password", flat=True).first()
    if state:
        return "initial"
    return "expired" if password_expired(user) else None


# ---------------------------------------------------------------- second factor (TOTP, django-otp)

#: Roles that must use a second factor when the deployment sets FAZHI_REQUIRE_2FA=true (platform admins too).
SECOND_FACTOR_ROLES = (Role.OFFICE, Role.APPROVER)


def second_factor_required(user) -> bool:
    if not getattr(settings, "FAZHI_REQUIRE_2FA", False):
        return False
    return bool(user.is_superuser or user.is_staff or user.role in SECOND_FACTOR_ROLES)


def otp_device(user):
    """The person's confirmed authenticator (one at most), or None."""
    from django.apps import apps

    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return None
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def otp_new_key() -> str:
    from django_otp.plugins.otp_totp.models import default_key

    return default_key()


def otp_code_step(key_hex: str, code: str) -> int | None:
    """The time step ``code`` (6 digits) matches for the key now (one step of clock difference allowed), or None."""
    from binascii import unhexlify

    from django_otp.oath import TOTP

    code = (code or "").strip().replace(" ", "")
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    try:
        totp = TOTP(unhexlify(key_hex.encode()), step=30, t0=0, digits=6, drift=0)
    except (ValueError, TypeError):
        return None
    if not totp.verify(int(code), tolerance=1):
        return None
    return totp.t()


@transaction.atomic
def otp_enroll(*, user, key: str, code: str, name: str = ""):
    """Confirm an authenticator app: the person proves they hold ``key`` with a current code. Replaces an earlier
    one. The key never enters the audit row."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied
    step = otp_code_step(key, code)
    if step is None:
        raise ValidationError({"code": _("验证码不正确或已过期，请输入认证器上当前显示的 6 位数字。")})
    replaced = TOTPDevice.objects.filter(user=user).delete()[0]
    # last_t: the code just given is used up — it cannot also open the next sign-in
    device = TOTPDevice.objects.create(user=user, name=(name or _("认证器"))[:64], key=key, confirmed=True,
                                       last_t=step)
    record_event(actor=user, action="accounts.otp_enroll", target=user, before={"enrolled": bool(replaced)},
                 after={"enrolled": True}, unit=user.unit)
    return device


@transaction.atomic
def otp_remove(*, user, person=None) -> None:
    """Remove the authenticator: the person their own (they verified it this session), or an admin someone's
    (a lost phone); where the deployment requires a second factor, a new one is enrolled at the next sign-in."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    person = person or user
    if person.pk != user.pk and not user.is_superuser:
        raise PermissionDenied
    removed = TOTPDevice.objects.filter(user=person).delete()[0]
    if removed:
        record_event(actor=user, action="accounts.otp_remove", target=person, before={"enrolled": True},
                     after={"enrolled": False}, unit=person.unit)
