"""Password rules (等保 身份鉴别): at least 10 characters, three of the four character classes, and none of the
person's last five passwords. Django's length, similarity, common-password and all-digits validators run too
(``AUTH_PASSWORD_VALIDATORS``)."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Minimum length of a password (also given to Django's MinimumLengthValidator in the settings).
MIN_LENGTH = 10


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its message in Chinese (Django 5.2 changed the message, and its zh-Hans catalogue has not
    caught up, so a Chinese page showed it in English)."""

    def __init__(self, min_length: int = MIN_LENGTH):
        super().__init__(min_length)

    def get_error_message(self):
        return _("密码太短，至少需要 %(n)d 个字符。") % {"n": self.min_length}

    def get_help_text(self):
        return _("至少 %(n)d 个字符。") % {"n": self.min_length}


def character_classes(password: str) -> int:
    """How many of lower-case letters, upper-case letters, digits and other characters the password uses."""
    classes = [False, False, False, False]
    for char in password:
        if char.isascii() and char.islower():
            classes[0] = True
        elif char.isascii() and char.isupper():
            classes[1] = True
        elif char.isdigit():
            classes[2] = True
        else:
            classes[3] = True
    return sum(classes)


class CharacterClassesValidator:
    """Three of the four classes: lower-case letters, upper-case letters, digits, other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字和其他符号中的至少 %(n)d 类。") % {"n": self.min_classes},
                code="password_too_simple")

    def get_help_text(self):
        return _("至少包含大写字母、小写字母、数字和其他符号中的 %(n)d 类。") % {"n": self.min_classes}


class PasswordHistoryValidator:
    """Not the current password nor one of the last ``keep`` (``PasswordHistory`` holds their hashes)."""

    def __init__(self, keep: int = 5):
        self.keep = keep

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        from .models import PasswordHistory

        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[: self.keep])
        if user.password:
            hashes.append(user.password)
        if any(check_password(password, encoded) for encoded in hashes if encoded):
            raise ValidationError(_("新密码不能与最近 %(n)d 次使用过的密码相同。") % {"n": self.keep},
                                  code="password_reused")

    def get_help_text(self):
        return _("不能与最近 %(n)d 次使用过的密码相同。") % {"n": self.keep}
