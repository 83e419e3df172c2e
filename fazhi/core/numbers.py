"""One reader for every number a person types or a file carries (scores, points, caps): pure Python.

Accepted: ``9.5``, `` 9.50 ``, ``+3``, ``-0`` (→ 0), full-width digits, sign and decimal point (``９．５``, as a
Chinese input method types them), JSON numbers, ``Decimal`` and ``int``. Refused with a reason:
``NaN``, ``Infinity``, letters, a decimal comma ``9,5``, other scripts' digits, exponents that make the number
huge or tiny (``1e400``, ``1e-999999`` — which used to round to 0 and make a unit's applicable points vanish),
more than ``MAX_DIGITS`` digits or ``MAX_PLACES`` decimal places. Floats are read through ``str()``, never used
in arithmetic.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

#: Largest power of ten of a number (scores and points are at most a few hundred).
MAX_MAGNITUDE = 12
#: Most decimal places (the platform keeps 2; a few more are tolerated, then refused).
MAX_PLACES = 10
#: Most digits in all.
MAX_DIGITS = 24

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋　ｅＥ", "0123456789.-+ eE")
_SHAPE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")  # ASCII digits only


class NumberError(ValueError):
    """Why a value is not an acceptable number: ``reason`` is one of ``not_a_number``, ``not_finite``,
    ``comma``, ``too_large``, ``too_many_places``, ``too_many_digits``; ``zh`` and ``en`` say it to a person."""

    MESSAGES = {
        "not_a_number": ("不是数字", "is not a number"),
        "not_finite": ("须为有限数字", "must be a finite number"),
        "comma": ("不是数字（小数点请用“.”）", "is not a number (use “.” as the decimal point)"),
        "too_large": ("超出允许的范围", "is too large"),
        "too_many_places": ("的小数位数过多", "has too many decimal places"),
        "too_many_digits": ("的位数过多", "has too many digits"),
    }

    def __init__(self, reason: str, value) -> None:
        self.reason = reason
        self.value = value
        self.zh, self.en = self.MESSAGES[reason]
        super().__init__(f"{value!r} {self.en}")


def read_decimal(raw) -> Decimal:
    """``raw`` as a finite, reasonably sized ``Decimal`` (see the module docstring); raises ``NumberError``."""
    if isinstance(raw, bool) or raw is None:
        raise NumberError("not_a_number", raw)
    if isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(str(raw))
    elif isinstance(raw, str):
        text = raw.translate(_FULL_WIDTH).strip()
        if len(text) > MAX_DIGITS + 8:
            raise NumberError("too_many_digits", raw)
        if not _SHAPE.fullmatch(text):
            if text.lower().lstrip("+-") in {"nan", "snan", "inf", "infinity"}:
                raise NumberError("not_finite", raw)
            raise NumberError("comma" if re.fullmatch(r"[+-]?[0-9]+[,，][0-9]+", text) else "not_a_number", raw)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise NumberError("not_a_number", raw) from None
    else:
        raise NumberError("not_a_number", raw)
    if not number.is_finite():
        raise NumberError("not_finite", raw)
    if number.is_zero():
        return Decimal(0)
    if number.adjusted() > MAX_MAGNITUDE:
        raise NumberError("too_large", raw)
    _sign, digits, exponent = number.as_tuple()
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    # trailing zeros do not count ("9.500" has 1 place); no normalize(): it would underflow 1e-999999 to 0
    if exponent + trailing < -MAX_PLACES:
        raise NumberError("too_many_places", raw)
    if len(digits) - trailing > MAX_DIGITS:
        raise NumberError("too_many_digits", raw)
    return number + 0  # -0 → 0, and a fresh context-free value
