"""Account security on every signed-in request (身份鉴别, 会话管理), in this order:

1. **Session limits**: a session unused for ``FAZHI_SESSION_IDLE_MINUTES`` (default 30) or older than
   ``FAZHI_SESSION_MAX_HOURS`` (default 12) since sign-in is ended on the server — the person is signed out and
   asked to sign in again. The time of the last request is written back at most every ``SEEN_EVERY`` seconds
   (not on every request), so the idle limit holds to within two minutes.
2. **Second factor** (TOTP, django-otp): a person with an authenticator app gives its code after the password;
   with ``FAZHI_REQUIRE_2FA=true`` offices, approvers and admins must set one up first. Until then only the
   second-factor pages (and signing out) open.
3. **Forced password change**: a person who must change their password (an initial or reset password, or an
   expired one) is sent to the change page until it is done. The reason is put in the session at sign-in
   (``signals.py``), so an ordinary request costs no query; a reset signs the person out everywhere (the session's
   password hash no longer matches), so the next sign-in sees it.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.audit.services import record_security_event

#: session key: why the person must change their password ("initial" or "expired")
MUST_CHANGE = "accounts.must_change"
#: session key: the second factor still to do in this session ("verify" a code, or "enroll" an authenticator)
OTP_PENDING = "accounts.otp"
#: session keys: when the person signed in, and their last request (seconds since the epoch)
STARTED = "accounts.started"
SEEN = "accounts.seen"
SEEN_EVERY = 120
#: pages open while a change is pending: the change page itself, signing out, the language switch, static files
OPEN_PREFIXES = ("/static/", "/i18n/", "/logout/", "/login/", "/favicon")


def _open(path: str) -> bool:
    return path.startswith(OPEN_PREFIXES) or path == reverse("accounts:password_change")


def _open_for_otp(path: str) -> bool:
    return path.startswith(OPEN_PREFIXES) or path in (reverse("accounts:otp_verify"), reverse("accounts:otp_setup"))


def now() -> float:
    return timezone.now().timestamp()


def start(session) -> None:
    """A new sign-in: the session's clocks start now (called from the sign-in signal)."""
    session[STARTED] = session[SEEN] = now()


def expired(session) -> str | None:
    """``"idle"`` or ``"absolute"`` if the session is past a limit, else None."""
    moment = now()
    started = session.get(STARTED)
    seen = session.get(SEEN, started)
    if started is not None and moment - started > settings.FAZHI_SESSION_MAX_HOURS * 3600:
        return "absolute"
    if seen is not None and moment - seen > settings.FAZHI_SESSION_IDLE_MINUTES * 60:
        return "idle"
    return None


def _to(request, url: str):
    if request.headers.get("HX-Request"):  # htmx: load the page, do not swap it into a fragment
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class AccountSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        session = request.session
        why = expired(session)
        if why:
            record_security_event(actor=user, action="auth.session_expired", target=user, detail={"limit": why},
                                  unit=user.unit)
            logout(request)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "会话已过期，请重新登录 / the session has expired"}, status=401)
            messages.warning(request, _("您已较长时间未操作，为保护账号安全已自动退出，请重新登录。") if why == "idle"
                             else _("本次登录已超过最长时限，为保护账号安全已自动退出，请重新登录。"))
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return _to(request, reverse(settings.LOGIN_URL) + (f"?{query}" if query else ""))
        moment = now()
        if STARTED not in session:  # signed in before these limits existed: count from now
            start(session)
        elif moment - session.get(SEEN, 0) > SEEN_EVERY:
            session[SEEN] = moment
        pending = session.get(OTP_PENDING)
        if pending and not _open_for_otp(request.path):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "请先完成双因素认证 / complete the second factor first"}, status=403)
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            target = reverse("accounts:otp_verify" if pending == "verify" else "accounts:otp_setup")
            return _to(request, target + (f"?{query}" if query else ""))
        if session.get(MUST_CHANGE) and not _open(request.path):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "请先修改密码后再使用 / change your password first"}, status=403)
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return _to(request, reverse("accounts:password_change") + (f"?{query}" if query else ""))
        return self.get_response(request)
