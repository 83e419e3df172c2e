"""Sign-in log (登录日志): every attempt, in the database, for the office's security review.

Throttling and the sign-in form live in ``fazhi.accounts`` (django-axes, shared by every process).
"""

from __future__ import annotations

from django.contrib.auth import user_logged_in, user_login_failed
from django.dispatch import receiver

from .models import LoginRecord


def _client(request) -> tuple[str | None, str]:
    if request is None:
        return None, ""
    return request.META.get("REMOTE_ADDR") or None, request.META.get("HTTP_USER_AGENT", "")[:300]


@receiver(user_login_failed)
def _record_failure(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    ip, agent = _client(request)
    LoginRecord.objects.create(username=username, succeeded=False, ip_address=ip, user_agent=agent)


@receiver(user_logged_in)
def _record_success(sender, request, user, **kwargs) -> None:
    ip, agent = _client(request)
    LoginRecord.objects.create(username=user.get_username(), user=user, succeeded=True, ip_address=ip,
                               user_agent=agent)
