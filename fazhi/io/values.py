"""Free text and decimal numbers typed by a user into a service (reasons, notes, scores), checked once.

The companion of ``fazhi.io.params`` (ids and whole numbers of query strings and POST data): these raise
``ValidationError`` with a message saying what is wrong, so a service refuses before it writes anything.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fazhi.core.numbers import NumberError, read_decimal

#: Control characters never meaningful in typed text (tab and newlines are kept); PostgreSQL refuses NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: The longest reason, note or message a user may type (the batch score sheet has the same limit).
TEXT_MAX = 5000



def clean_text(value, *, field: str | None = None, max_length: int | None = TEXT_MAX, label: str = "") -> str:
    """Typed text, stripped. Refused (``ValidationError``, on ``field`` when given) if it contains a NUL or another
    control character other than tab and newlines, or is longer than ``max_length``."""
    text = value.strip() if isinstance(value, str) else ("" if value is None else str(value).strip())
    label = label or _("内容")
    problem = None
    if _CONTROL.search(text):
        problem = _("%(label)s含有不允许的控制字符") % {"label": label}
    elif max_length is not None and len(text) > max_length:
        problem = _("%(label)s不能超过 %(n)d 个字符（现为 %(len)d 个）") % {
            "label": label, "n": max_length, "len": len(text)}
    if problem:
        raise ValidationError({field: problem} if field else problem)
    return text


def parse_decimal(value, *, field: str | None = None, label: str = "") -> Decimal:
    """A finite, reasonably sized ``Decimal`` from a typed value, through the one number reader
    (``fazhi.core.numbers.read_decimal``: ``"9.5"``, ``" 9.50 "``, full-width ``"９．５"``; never via float).
    Refused (``ValidationError`` naming the value): letters, ``NaN``, ``Infinity``, a comma decimal ``"9,5"``,
    ``1e400``, ``1e-999999``. ``-0`` is 0."""
    try:
        return read_decimal(value)
    except NumberError as exc:
        shown = _CONTROL.sub("", str(value).strip())[:50] if value is not None else ""
        problem = number_problem(exc, label=label, shown=shown)
        raise ValidationError({field: problem} if field else problem) from None


def number_problem(exc: NumberError, *, label: str = "", shown: str = "") -> str:
    """What is wrong with a number, said to a person (``label`` names the field, ``shown`` the value typed)."""
    values = {"label": label, "v": shown}
    if exc.reason == "too_large":
        return _("%(label)s“%(v)s”超出允许的范围") % values
    if exc.reason == "too_many_places":
        return _("%(label)s“%(v)s”的小数位数过多") % values
    if exc.reason == "too_many_digits":
        return _("%(label)s“%(v)s”的位数过多") % values
    problem = _("%(label)s“%(v)s”不是数字") % values
    if exc.reason == "comma":
        problem += _("（小数点请用“.”）")
    return problem


class DecimalField(forms.DecimalField):
    """A form's decimal field read by the one number reader (full-width digits and point accepted)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return read_decimal(value)
        except NumberError as exc:
            raise ValidationError(number_problem(exc, shown=str(value).strip()[:50]), code="invalid") from None
