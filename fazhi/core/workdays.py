"""Working-day calendar (pure Python, no Django): the official Chinese calendar plus office overrides.

Rule: the assessed unit verifies feedback "within 5 working days" — seed 001 考核方案 §五 "考核對象要在5個工作日內
進行核實"; working days follow the official calendar (public holidays, and weekend days made working days, 调休)
in Asia/Shanghai time (DOMAIN.md §5.5).

Sources, in order:

1. ``overrides`` (``Mapping[date, bool]``, office-editable): ``True`` = working day, ``False`` = holiday.
2. The ``chinese_calendar`` package (State Council notices; 1.11.0 covers 2004–2026).
3. For a year the package does not cover: if the office declared the year complete (``known_years``), Monday–Friday
   are working days unless overridden; otherwise :class:`CalendarUnknown` — never a guess, because a wrong deadline
   in a year whose holidays are not yet published would be silently wrong.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar

__all__ = [
    "SHANGHAI",
    "CalendarUnknown",
    "add_working_days",
    "deadline_at",
    "is_working_day",
    "working_days_between",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: A span this long with no working day means the overrides are wrong (every day a holiday).
_MAX_SCAN_DAYS = 366

Overrides = Mapping[date, bool]


class CalendarUnknown(LookupError):
    """No official calendar for ``year``: neither the library nor the office's overrides cover it.

    The office must enter that year's holidays and make-up working days (and mark the year complete)
    before deadlines in it can be computed.
    """

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"{year}年的节假日安排尚未录入，无法计算工作日：请在工作日历中录入该年的放假和调休安排 / "
            f"no official working-day calendar for {year}: enter its holidays and make-up working days"
        )


def _as_date(day: date) -> date:
    """A date; an aware datetime is taken in Asia/Shanghai; a naive datetime is refused."""
    if isinstance(day, datetime):
        if day.tzinfo is None or day.utcoffset() is None:
            raise ValueError("naive datetime: pass a date or an aware datetime")
        return day.astimezone(SHANGHAI).date()
    return day


def is_working_day(
    day: date, overrides: Overrides | None = None, known_years: Collection[int] | None = None
) -> bool:
    """Whether ``day`` is a working day (overrides first, then the official calendar); see the module docstring.

    Raises :class:`CalendarUnknown` for a day in a year nobody has data for.
    """
    day = _as_date(day)
    if overrides:
        override = overrides.get(day)
        if override is not None:
            return bool(override)
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if known_years and day.year in known_years:
            return day.weekday() < 5
        raise CalendarUnknown(day.year) from None


def add_working_days(
    start: date, n: int, overrides: Overrides | None = None, known_years: Collection[int] | None = None
) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted; ``n == 0`` returns ``start``).

    "Within 5 working days" of feedback sent on ``start`` ends on ``add_working_days(start, 5)``.
    """
    if n < 0:
        raise ValueError(f"n must not be negative, got {n}")
    day = _as_date(start)
    idle = 0
    while n:
        day += timedelta(days=1)
        if is_working_day(day, overrides, known_years):
            n -= 1
            idle = 0
        else:
            idle += 1
            if idle > _MAX_SCAN_DAYS:
                raise ValueError(
                    f"no working day for more than {_MAX_SCAN_DAYS} days after {day - timedelta(idle)}"
                )
    return day


def working_days_between(
    start: date, end: date, overrides: Overrides | None = None, known_years: Collection[int] | None = None
) -> int:
    """The number of working days in ``(start, end]``; negative (the count in ``(end, start]``) when end < start.

    The inverse of :func:`add_working_days`: ``working_days_between(s, add_working_days(s, n)) == n``.
    """
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -working_days_between(end, start, overrides, known_years)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, overrides, known_years):
            count += 1
    return count


def deadline_at(
    start_dt: datetime,
    n_working_days: int,
    overrides: Overrides | None = None,
    known_years: Collection[int] | None = None,
) -> datetime:
    """The end (23:59:59 Asia/Shanghai, aware) of the ``n_working_days``-th working day after ``start_dt``'s date.

    ``start_dt`` must be aware; its date is taken in Asia/Shanghai (a notice sent at 17:00 UTC is already the
    next day in China).
    """
    if not isinstance(start_dt, datetime):
        raise TypeError("start_dt must be a datetime")
    last = add_working_days(_as_date(start_dt), n_working_days, overrides, known_years)
    return datetime.combine(last, time(23, 59, 59), tzinfo=SHANGHAI)
