"""Sign-in, sign-out and failed sign-in go into the audit chain (安全审计) and feed the throttle."""

from __future__ import annotations

from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from fazhi.audit.services import record_security_event

from . import throttle


def _address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


@receiver(user_login_failed)
def _failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    locked = bool(getattr(request, "axes_locked_out", False))
    if not locked:
        throttle.record_failure(username=username, address=_address(request))
    record_security_event(actor=username or "?", action="auth.login_failed",
                          detail={"locked": True} if locked else None)


def _over_http(request) -> bool:
    """A sign-in made without an HTTP request (``Client.force_login`` in tests, a shell) has no client address:
    nobody signed in through the platform, so there is no event to record."""
    return request is not None and bool(request.META.get("REMOTE_ADDR"))


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs) -> None:
    if _over_http(request):
        record_security_event(actor=user, action="auth.login", target=user, unit=user.unit)
    session = getattr(request, "session", None)
    if session is not None:
        _start_session(session, user)


def _start_session(session, user) -> None:
    """What this session still owes before the platform opens: the second factor, a new password."""
    from .middleware import MUST_CHANGE, OTP_PENDING, start
    from .services import must_change_password, otp_device, second_factor_required

    start(session)  # the idle and absolute session limits count from here
    if otp_device(user) is not None:
        session[OTP_PENDING] = "verify"
    elif second_factor_required(user):
        session[OTP_PENDING] = "enroll"
    else:
        session.pop(OTP_PENDING, None)
    reason = must_change_password(user)
    if reason:
        session[MUST_CHANGE] = reason
    else:
        session.pop(MUST_CHANGE, None)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None and _over_http(request):
        record_security_event(actor=user, action="auth.logout", target=user, unit=user.unit)
