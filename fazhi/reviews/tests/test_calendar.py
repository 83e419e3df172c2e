import datetime as dt

import pytest

from fazhi.audit.models import AuditEvent
from fazhi.core.workdays import SHANGHAI
from fazhi.reviews import calendar, services
from fazhi.reviews.models import CalendarOverride


def test_five_working_days_after_spring_festival(units):
    # 2026 春节: 2/15–2/23 off, 2/14 (Sat) and 2/28 (Sat) are 调休 working days.
    assert calendar.add_working_days(units["P"], dt.date(2026, 2, 18), 5) == dt.date(2026, 2, 28)


def test_deadline_is_end_of_day_in_shanghai(units):
    sent = dt.datetime(2026, 2, 18, 20, 0, tzinfo=dt.UTC)  # already 2026-02-19 04:00 in Shanghai
    deadline, warning = calendar.verification_deadline(units["P"], sent)
    assert warning == ""
    assert deadline == dt.datetime(2026, 2, 28, 23, 59, 59, tzinfo=SHANGHAI)


def test_unknown_year_is_an_explicit_warning_then_overrides_fix_it(units, people):
    sent = dt.datetime(2027, 3, 1, 9, 0, tzinfo=SHANGHAI)
    deadline, warning = calendar.verification_deadline(units["P"], sent)
    assert deadline is None and "2027" in warning
    services.calendar_override_save(user=people["office"], date=dt.date(2027, 3, 3), is_working_day=False,
                                    note="测试假日")
    services.calendar_year_declare(user=people["office"], year=2027)
    deadline, warning = calendar.verification_deadline(units["C1"], sent)  # a city inherits the province's
    assert warning == "" and deadline.date() == dt.date(2027, 3, 9)  # 2,4,5,8,9 (3rd is a holiday)
    assert AuditEvent.objects.filter(action__startswith="calendar.").count() == 2


def test_lower_level_override_wins(units, people):
    services.calendar_override_save(user=people["office"], date=dt.date(2026, 3, 2), is_working_day=False)
    services.calendar_override_save(user=people["city_office"], date=dt.date(2026, 3, 2), is_working_day=True)
    overrides, _years = calendar.calendar_data(units["C1"])
    assert overrides[dt.date(2026, 3, 2)] is True
    assert calendar.calendar_data(units["C2"])[0][dt.date(2026, 3, 2)] is False


@pytest.mark.parametrize("who,status", [("office", 200), ("assessed", 403), ("assessing", 403), ("public", 403)])
def test_calendar_page_roles(people, client_for, who, status):
    assert client_for(people[who]).get("/reviews/calendar/").status_code == status


def test_calendar_page_add_and_delete(people, client_for, units):
    client = client_for(people["office"])
    client.post("/reviews/calendar/", {"op": "add", "date": "2027-10-09", "is_working_day": "1", "note": "调休"})
    item = CalendarOverride.objects.get()
    assert item.owner == units["P"] and item.is_working_day
    other = client_for(people["other_office"])
    assert other.post("/reviews/calendar/", {"op": "delete", "pk": item.pk}).status_code == 404
    client.post("/reviews/calendar/", {"op": "delete", "pk": item.pk})
    assert not CalendarOverride.objects.exists()
    response = client.post("/reviews/calendar/", {"op": "add", "date": "not-a-date"}, follow=True)
    assert "有效的日期" in response.content.decode()
