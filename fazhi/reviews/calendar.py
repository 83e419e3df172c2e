"""The working-day calendar of a jurisdiction: ``fazhi.core.workdays`` fed with the office overrides.

Overrides and declared years of the jurisdiction *and of every level above it* apply (a province's entry
for 2027 holds for its cities unless a city enters its own for the same day).
"""

from __future__ import annotations

import datetime as dt

from fazhi.core import workdays
from fazhi.orgs.models import Unit

from .models import VERIFY_WORKING_DAYS, CalendarOverride, CalendarYear


def _chain(owner: Unit) -> list[Unit]:
    return [*owner.ancestors(), owner]


def calendar_data(owner: Unit) -> tuple[dict[dt.date, bool], set[int]]:
    """(overrides, known_years) for ``owner``; a lower level's entry wins over a higher one's."""
    chain = _chain(owner)
    depth = {u.pk: i for i, u in enumerate(chain)}
    overrides: dict[dt.date, tuple[int, bool]] = {}
    for owner_id, day, working in CalendarOverride.objects.filter(owner__in=chain).values_list(
        "owner_id", "date", "is_working_day"
    ):
        if day not in overrides or depth[owner_id] > overrides[day][0]:
            overrides[day] = (depth[owner_id], working)
    years = set(CalendarYear.objects.filter(owner__in=chain).values_list("year", flat=True))
    return {day: working for day, (_d, working) in overrides.items()}, years


def verification_deadline(owner: Unit, sent_at: dt.datetime) -> tuple[dt.datetime | None, str]:
    """(deadline, warning): the end of the 5th working day after ``sent_at`` (Asia/Shanghai), or ``None`` with an
    explicit warning when the calendar of a year on the way is unknown — never a guess."""
    overrides, years = calendar_data(owner)
    try:
        return workdays.deadline_at(sent_at, VERIFY_WORKING_DAYS, overrides, years), ""
    except workdays.CalendarUnknown as exc:
        return None, str(exc)


def add_working_days(owner: Unit, start: dt.date, n: int) -> dt.date:
    overrides, years = calendar_data(owner)
    return workdays.add_working_days(start, n, overrides, years)
