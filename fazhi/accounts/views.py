"""Pages of the accounts app: the sign-in lock answer, and the person's own account security (API tokens)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.orgs import policies as org_policies
from fazhi.orgs.models import Role

from . import policies, services
from .forms import LOCKED, LoginForm
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
    return render(request, "accounts/account.html",
                  {"tokens_allowed": org_policies.has_role(request.user, *TOKEN_ROLES)})


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
