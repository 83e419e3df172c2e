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


def password_expired(user) -> bool:
    days = getattr(settings, "FAZHI_PASSWORD_MAX_AGE_DAYS", 90)
    if not days:
        return False
    last = PasswordHistory.objects.filter(user=user).values_list("created_at", flat=True).first()
    return last is not None and timezone.now() - last > timedelta(days=days)


def must_change_password(user) -> bool:
    state = AccountState.objects.filter(user=user).values_list("must_change_password", flat=True).first()
    return bool(state) or password_expired(user)
