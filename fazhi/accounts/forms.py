"""The sign-in form: Django's, with the throttles of ``throttle.py`` checked before the password."""

from __future__ import annotations

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fazhi.orgs.models import LoginRecord

from . import throttle

LOCKED = _("登录失败次数过多，该账号已暂时锁定，请 15 分钟后再试。")


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确，请重新输入。"),
        "locked": LOCKED,
        "address_blocked": _("来自您所在网络的登录失败次数过多，请 15 分钟后再试。"),
        "paused": _("该账号近期登录失败较多，请 10 秒后再试。"),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = self.request.META.get("REMOTE_ADDR", "") if self.request else ""
        if throttle.address_blocked(address):
            raise ValidationError(self.error_messages["address_blocked"], code="address_blocked")
        if username:
            known = bool(address) and LoginRecord.objects.filter(
                username=username, succeeded=True, ip_address=address).exists()
            if throttle.account_paused(username=username, address=address, known_address=known):
                raise ValidationError(self.error_messages["paused"], code="paused")
        try:
            return super().clean()
        except ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                raise ValidationError(self.error_messages["locked"], code="locked") from None
            raise
