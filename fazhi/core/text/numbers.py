"""Numbers as Chinese documents write them (数字解析): ``34777``, ``1.06万``, ``2.07亿``, ``四十四``, ``百分之九十``.

Values are :class:`~decimal.Decimal`, never float (a rate such as 17.86 must stay 17.86).
Rule (TEXT-NOTES.md): cut out number and unit first, then convert — cn2an converts ``2.07亿`` but
not ``1.06万名``. Chinese numerals are converted here (small, no dependency, covers 零–万亿).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_BIG = {"万": 10_000, "亿": 100_000_000}
MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1000), "百": Decimal(100)}

CN_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿]+")


def parse_cn_int(text: str) -> int | None:
    """Parse a Chinese numeral (``三十八`` → 38, ``一百零五`` → 105, ``十`` → 10); None if invalid."""
    if not text or any(c not in CN_DIGITS and c not in CN_UNITS and c not in CN_BIG for c in text):
        return None
    if all(c in CN_DIGITS for c in text) and len(text) > 1:
        # digit-by-digit form (二〇二〇 → 2020)
        return int("".join(str(CN_DIGITS[c]) for c in text))
    total = section = number = 0
    for c in text:
        if c in CN_DIGITS:
            number = CN_DIGITS[c]
        elif c in CN_UNITS:
            section += (number or 1) * CN_UNITS[c]
            number = 0
        else:
            section += number
            total += (section or 1) * CN_BIG[c]
            section = number = 0
    return total + section + number


def parse_number(text: str) -> Decimal | None:
    """Parse ``34777``, ``1,234``, ``17.86``, ``1.06万`` (→10600), ``2.07亿``, ``四十四`` into a Decimal."""
    text = text.strip().replace(",", "").replace("，", "")
    if not text:
        return None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([万亿千百]*)", text)
    if m:
        try:
            value = Decimal(m.group(1))
        except InvalidOperation:
            return None
        for unit in m.group(2):
            value *= MULTIPLIERS[unit]
        return normalize(value)
    n = _cn2an_int(text)
    if n is None:
        n = parse_cn_int(text)
    return Decimal(n) if n is not None else None


def _cn2an_int(text: str) -> int | None:
    """A Chinese numeral through cn2an (``三十二`` → 32, ``一万二千`` → 12000); None when it is not one.

    Only whole numbers are taken from cn2an (it answers floats for decimals, and values here are Decimal)."""
    try:
        import cn2an

        value = cn2an.cn2an(text, "strict")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return value if isinstance(value, int) else None


def normalize(value: Decimal) -> Decimal:
    """Drop a trailing exponent so 1.06万 prints as 10600, not 1.06E+4; keep 17.86 as is."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
