"""The working-day calendar (seed 001 考核方案 §五: "5個工作日內進行核實"; DOMAIN.md §5.5)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.core.workdays import (
    SHANGHAI,
    CalendarUnknown,
    add_working_days,
    deadline_at,
    is_working_day,
    working_days_between,
)


def test_spring_festival_2026_ends_on_a_make_up_saturday():
    # 2026 春节: 15–23 February off; Saturday 28 February is a make-up working day (library data).
    assert is_working_day(date(2026, 2, 28)) and date(2026, 2, 28).weekday() == 5
    assert not is_working_day(date(2026, 2, 23))  # a Monday, still holiday
    # 24, 25, 26, 27, 28 February
    assert add_working_days(date(2026, 2, 18), 5) == date(2026, 2, 28)


def test_national_day_week_2026():
    # 1–7 October off; Saturday 10 October worked. From 30 September: 8, 9, 10, 12, 13 October.
    assert not any(is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert is_working_day(date(2026, 10, 10))
    assert add_working_days(date(2026, 9, 30), 5) == date(2026, 10, 13)
    assert working_days_between(date(2026, 9, 30), date(2026, 10, 13)) == 5


def test_ordinary_week():
    assert add_working_days(date(2026, 3, 6), 5) == date(2026, 3, 13)  # Friday → next Friday
    assert add_working_days(date(2026, 3, 6), 0) == date(2026, 3, 6)
    assert working_days_between(date(2026, 3, 13), date(2026, 3, 6)) == -5
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 3, 6), -1)


def test_overrides_come_first():
    # The office closes 24 February (e.g. a local arrangement) and opens Sunday 1 March.
    overrides = {date(2026, 2, 24): False, date(2026, 3, 1): True}
    assert add_working_days(date(2026, 2, 18), 5, overrides) == date(2026, 3, 1)
    assert is_working_day(date(2026, 3, 1), overrides)


def test_2027_without_data_is_unknown_not_a_guess():
    with pytest.raises(CalendarUnknown) as info:
        add_working_days(date(2026, 12, 29), 5)  # 30, 31 Dec 2026 then 2027
    assert info.value.year == 2027
    assert "2027" in str(info.value)
    with pytest.raises(CalendarUnknown):
        is_working_day(
            date(2027, 3, 3), {date(2027, 1, 1): False}
        )  # overrides for other days do not cover it


def test_2027_with_overrides_and_a_complete_year():
    # Hypothetical 2027 New Year: 1 January (Friday) off, so the office enters it and declares 2027 complete.
    overrides = {date(2027, 1, 1): False}
    assert add_working_days(date(2026, 12, 29), 5, overrides, known_years={2027}) == date(2027, 1, 6)
    # a covered day works even without known_years
    assert is_working_day(date(2027, 1, 1), overrides) is False
    # weekends fall back to rest days in a complete year
    assert not is_working_day(date(2027, 1, 2), overrides, known_years={2027})


def test_deadline_at_end_of_day_in_shanghai():
    sent = datetime(2026, 2, 18, 10, 0, tzinfo=SHANGHAI)
    deadline = deadline_at(sent, 5)
    assert deadline == datetime(2026, 2, 28, 23, 59, 59, tzinfo=SHANGHAI)
    assert deadline.utcoffset() == timedelta(hours=8)


def test_deadline_takes_the_date_in_shanghai():
    # 2026-03-05 17:00 UTC is already Friday 6 March 01:00 in Shanghai → five working days later is 13 March.
    sent = datetime(2026, 3, 5, 17, 0, tzinfo=UTC)
    assert deadline_at(sent, 5).date() == date(2026, 3, 13)


def test_naive_datetime_refused():
    with pytest.raises(ValueError, match="naive"):
        deadline_at(datetime(2026, 3, 5, 9, 0), 5)


def test_all_holiday_overrides_stop():
    overrides = {date(2026, 1, 1) + timedelta(days=i): False for i in range(400)}
    with pytest.raises((ValueError, CalendarUnknown)):
        add_working_days(date(2025, 12, 31), 1, overrides)


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 11, 30)), st.integers(0, 20))
def test_between_is_the_inverse_of_add(start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    assert is_working_day(end) or n == 0
