"""Free text and decimal numbers typed by a user into a service (reasons, notes, scores), checked once.

The companion of ``fazhi.io.params`` (ids and whole numbers of query strings and POST data): these raise
``ValidationError`` with a message saying what is wrong, so a service refuses before it writes anything.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: Control characters never meaningful in typed text (tab and newlines are kept); PostgreSQL refuses NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

#: The longest reason, note or message a user may type (the batch score sheet has the same limit).
TEXT_MAX = 5000

#: Largest decimal exponent of a typed number (scores and points are at most a few hundred).
MAX_MAGNITUDE = 12


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
    """A finite, reasonably sized ``Decimal`` from a typed value (``"9.5"``, ``" 9.50 "``; never via float).
    Refused (``ValidationError``): letters, ``NaN``, ``Infinity``, a comma decimal ``"9,5"``, ``1e400``, ``1e-400``.
    ``-0`` is 0."""
    if (isinstance(value, Decimal) and value.is_finite() and value.adjusted() <= MAX_MAGNITUDE
            and value.as_tuple().exponent >= -MAX_MAGNITUDE):
        return value + 0
    text = ("" if value is None else str(value)).strip()
    problem = None
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or _CONTROL.search(text):
        problem = _("%(label)s“%(v)s”不是数字") % {"label": label, "v": _CONTROL.sub("", text)[:50]}
        if "," in text or "，" in text:
            problem += _("（小数点请用“.”）")
    elif number.adjusted() > MAX_MAGNITUDE:
        problem = _("%(label)s“%(v)s”超出允许的范围") % {"label": label, "v": text[:50]}
    elif number.as_tuple().exponent < -MAX_MAGNITUDE:
        problem = _("%(label)s“%(v)s”的小数位数过多") % {"label": label, "v": text[:50]}
    if problem:
        raise ValidationError({field: problem} if field else problem)
    return number + 0  # -0 → 0
