"""Reading numbers and text out of query strings and POST data that did not go through a form.

``request.GET.get("year")`` is whatever the client sent: letters, ``-1``, ``²`` (``str.isdigit()`` says yes,
``int()`` says no), forty digits (more than the database's 64-bit integers), a NUL byte (PostgreSQL refuses it
in text). These helpers turn such a value into ``None`` instead of an exception, so a view can answer with a
clear message rather than a 500.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.contrib import messages
from django.utils.translation import gettext as _

#: The range of a 64-bit signed integer column (ids; SQLite INTEGER and PostgreSQL bigint).
INT_MIN, ID_MAX = -(2**63), 2**63 - 1
_INTEGER = re.compile(r"-?[0-9]{1,19}", re.ASCII)


def parse_int(value, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """``value`` as an int when it is an ASCII integer (optional ``-``) within ``[minimum, maximum]`` and the
    64-bit range; ``None`` for anything else (None, a list, letters, ``²``, ``1e5``, forty digits...)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    if isinstance(value, str):
        value = value.strip()
        if not _INTEGER.fullmatch(value):
            return None
        value = int(value)
    if not INT_MIN <= value <= ID_MAX:
        return None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        return None
    return value


def parse_id(value) -> int | None:
    """A primary key (a positive 64-bit integer) from a POST or query value; ``None`` when it is not one."""
    return parse_int(value, minimum=1, maximum=ID_MAX)


def parse_ids(values: Iterable) -> list[int] | None:
    """Every value as an id (see :func:`parse_id`), or ``None`` when any one of them is not an id."""
    ids = [parse_id(v) for v in values]
    return None if any(i is None for i in ids) else ids


def int_filter(request, name: str, label, *, minimum: int = 1, maximum: int = ID_MAX) -> tuple[int | None, bool]:
    """A numeric filter of a list page (``?name=``): ``(value, ok)``.

    Absent or empty: ``(None, True)``. Not a number in range: ``(None, False)`` and an error message naming the
    filter and the value is flashed; the page then shows the unfiltered list and should answer 400.
    """
    raw = request.GET.get(name, "")
    if not raw.strip():
        return None, True
    number = parse_int(raw, minimum=minimum, maximum=maximum)
    if number is None:
        messages.error(request, _("筛选条件“%(label)s”的值“%(value)s”无效，已忽略。")
                       % {"label": label, "value": raw[:40]})
        return None, False
    return number, True


def has_nul(values: Iterable) -> bool:
    """Whether any of the strings holds a NUL character (never meaningful in text; PostgreSQL refuses it)."""
    return any("\x00" in v for v in values if isinstance(v, str))


def post_has_nul(post) -> bool:
    """Whether any value of a QueryDict (every value of every key) holds a NUL character."""
    return any(has_nul(post.getlist(key)) for key in post)
