"""Sign-in: a login log, and a lock after repeated failures.

Five failed attempts for one user name within 15 minutes lock that name for 15 minutes (counted in the cache,
so a restart forgets them; the log in the database keeps every attempt). The lock answers with the same
message for every name, so it does not reveal which accounts exist.
"""

from __future__ import annotations

from django.contrib.auth import user_logged_in, user_login_failed
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from .models import LoginRecord

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


def _key(username: str) -> str:
    return f"fazhi:login-failures:{username.strip().lower()[:150]}"


def _client(request) -> tuple[str | None, str]:
    if request is None:
        return None, ""
    return request.META.get("REMOTE_ADDR") or None, request.META.get("HTTP_USER_AGENT", "")[:300]


def is_locked(username: str) -> bool:
    return cache.get(_key(username), 0) >= MAX_FAILURES


@receiver(user_login_failed)
def _record_failure(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    key = _key(username)
    cache.add(key, 0, LOCK_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, LOCK_SECONDS)
    ip, agent = _client(request)
    LoginRecord.objects.create(username=username, succeeded=False, ip_address=ip, user_agent=agent)


@receiver(user_logged_in)
def _record_success(sender, request, user, **kwargs) -> None:
    cache.delete(_key(user.get_username()))
    ip, agent = _client(request)
    LoginRecord.objects.create(username=user.get_username(), user=user, succeeded=True, ip_address=ip,
                               user_agent=agent)


class LockingAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing a locked user name before the password is even checked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确，请重新输入。"),
        "locked": _("登录失败次数过多，该账号已暂时锁定，请 15 分钟后再试。"),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        if username and is_locked(username):
            raise ValidationError(self.error_messages["locked"], code="locked")
        return super().clean()
