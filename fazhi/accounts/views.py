"""Pages of the accounts app: the sign-in lock answer, and the person's own account security (password, second
factor, API tokens)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role

from . import policies, services
from .forms import LOCKED, LoginForm
from .middleware import MUST_CHANGE, OTP_PENDING
from .services import TOKEN_MAX_DAYS

#: Lifetimes offered on the token page (days); the service accepts 1 to TOKEN_MAX_DAYS.
TOKEN_DAYS = (30, 90, 180, TOKEN_MAX_DAYS)
#: Who may hold API tokens: every role that works on the platform (the public have no API of their own).
TOKEN_ROLES = tuple(role for role in Role.values if role != Role.PUBLIC)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer for a locked account (``AXES_LOCKOUT_CALLABLE``): the sign-in page again, saying so —
    the same answer for every name, so it does not reveal which accounts exist."""
    form = LoginForm(request)
    form._errors = {"__all__": form.error_class([LOCKED])}
    return render(request, "registration/login.html", {"form": form, "next": request.POST.get("next", "")})


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for errors in exc.message_dict.values() for m in errors]
    return [str(m) for m in exc.messages]


@login_required
def account(request):
    """账号安全 — the person's own password, second factor and API tokens."""
    return render(request, "accounts/security.html", {"password_set_at": services.password_set_at(request.user),
                                                     "otp_device": services.otp_device(request.user),
                                                     "otp_required": services.second_factor_required(request.user),
                                                     "tokens_allowed": org_policies.has_role(request.user, *TOKEN_ROLES)})


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    """修改密码 — the person's own; required before anything else after a reset, at first sign-in, on expiry."""
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        old = request.POST.get("old_password", "")
        new = request.POST.get("new_password1", "")
        if not new:
            errors["new_password1"] = [_("请填写新密码")]
        elif new != request.POST.get("new_password2", ""):
            errors["new_password2"] = [_("两次输入的新密码不一致")]
        else:
            try:
                services.password_change(user=request.user, old_password=old, new_password=new, request=request)
            except ValidationError as exc:
                errors = ({k: [str(m) for m in v] for k, v in exc.message_dict.items()} if hasattr(exc, "error_dict")
                          else {"new_password1": [str(m) for m in exc.messages]})
            else:
                request.session.pop(MUST_CHANGE, None)
                messages.success(request, _("密码已修改。"))
                return redirect(_next(request) or "accounts:account")
        status = 400
    response = render(request, "accounts/password_change.html", {
        "errors": errors, "reason": request.session.get(MUST_CHANGE), "next": _next(request),
        "help_texts": password_validation.password_validators_help_texts(),
    }, status=status)
    add_never_cache_headers(response)
    return response


@org_policies.role_required(*TOKEN_ROLES)
@require_http_methods(["GET", "POST"])
def token_list(request):
    """个人访问令牌 — the person's own tokens: create one (its secret is shown on this answer only), list, revoke."""
    secret = None
    errors: list[str] = []
    form = {"name": "", "days": "90"}
    status = 200
    if request.method == "POST":
        form = {"name": request.POST.get("name", ""), "days": request.POST.get("days", "")}
        raw_days = form["days"].strip()
        try:
            days = int(raw_days) if raw_days.isascii() and raw_days.isdigit() else None
            if days is None:
                raise ValidationError({"days": _("有效期应为 1 到 %(max)d 天") % {"max": TOKEN_MAX_DAYS}})
            token, secret = services.token_create(user=request.user, name=form["name"], days=days)
        except ValidationError as exc:
            errors, status = _errors(exc), 400
        else:
            form = {"name": "", "days": "90"}
            messages.success(request, _("已创建令牌“%(name)s”。请立即复制保存，离开本页后将无法再次查看。")
                             % {"name": token.name})
    tokens = policies.tokens_for(request.user, "view")
    response = render(request, "accounts/tokens.html",
                      {"tokens": tokens, "secret": secret, "errors": errors, "form": form, "days": TOKEN_DAYS},
                      status=status)
    add_never_cache_headers(response)  # the secret must not stay in a cache
    return response


@org_policies.role_required(*TOKEN_ROLES)
@require_POST
def token_revoke(request, pk: int):
    token = policies.get_token_or_404(request.user, pk, "revoke")
    services.token_revoke(user=request.user, token=token)
    messages.success(request, _("已吊销令牌“%(name)s”，使用它的程序将无法再访问。") % {"name": token.name})
    return redirect("accounts:tokens")


# ---------------------------------------------------------------- second factor

#: session key: the key of an authenticator being set up (not yet confirmed, so not yet in the database)
OTP_KEY = "accounts.otp_key"


def _qr_svg(url: str) -> str:
    """The otpauth:// URL as an inline SVG QR code, drawn here (segno), never by an outside service."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=4, title=_("认证器二维码"))


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """双因素认证 — set up (or replace, or remove) the person's authenticator app (TOTP)."""
    from base64 import b32encode
    from binascii import unhexlify

    from django_otp import login as otp_login
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = services.otp_device(request.user)
    pending = request.session.get(OTP_PENDING)
    verified = device is not None and pending != "verify"
    errors: list[str] = []
    status = 200
    if request.method == "POST" and request.POST.get("action") == "remove":
        if not verified or services.second_factor_required(request.user):
            raise PermissionDenied  # required here: it can be replaced, not removed
        services.otp_remove(user=request.user)
        request.session.pop(OTP_PENDING, None)
        messages.success(request, _("已停用双因素认证。"))
        return redirect("accounts:otp_setup")
    if device is not None and pending == "verify":
        return redirect("accounts:otp_verify")
    key = request.session.get(OTP_KEY) or services.otp_new_key()
    request.session[OTP_KEY] = key
    if request.method == "POST":
        try:
            device = services.otp_enroll(user=request.user, key=key, code=request.POST.get("code", ""))
        except ValidationError as exc:
            errors, status = _errors(exc), 400
        else:
            otp_login(request, device)
            request.session.pop(OTP_KEY, None)
            request.session.pop(OTP_PENDING, None)
            messages.success(request, _("双因素认证已启用，以后登录时需输入认证器上的验证码。"))
            return redirect(_next(request) or "accounts:account")
    pretend = TOTPDevice(user=request.user, key=key)
    url = pretend.config_url
    response = render(request, "accounts/otp_setup.html", {
        "device": device if verified else None, "qr": _qr_svg(url), "url": url, "errors": errors,
        "secret": b32encode(unhexlify(key)).decode(), "required": services.second_factor_required(request.user),
        "pending": pending, "next": _next(request)}, status=status)
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of signing in: the code of the person's authenticator app."""
    from django_otp import login as otp_login

    from fazhi.audit.services import record_security_event

    device = services.otp_device(request.user)
    if device is None:
        return redirect("accounts:otp_setup")
    if request.session.get(OTP_PENDING) != "verify":
        return redirect(_next(request) or "home")
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token((request.POST.get("code") or "").strip()):
            otp_login(request, device)
            request.session.pop(OTP_PENDING, None)
            return redirect(_next(request) or "home")
        record_security_event(actor=request.user, action="auth.otp_failed", target=request.user,
                              unit=request.user.unit)
        errors = [_("验证码不正确或已过期，请输入认证器上当前显示的 6 位数字。") if allowed
                  else _("验证码错误次数过多，请稍后再试。")]
        status = 400
    response = render(request, "accounts/otp_verify.html", {"errors": errors, "next": _next(request)}, status=status)
    add_never_cache_headers(response)
    return response
