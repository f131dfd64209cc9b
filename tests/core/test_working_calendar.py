"""Office time between two instants: office hours, lunch, weekends and public holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from core.calendar.holidays import calendar_for, national_holidays, seed_national_holidays
from core.calendar.models import Holiday
from core.calendar.working_time import WorkingCalendar
from core.db import db
from tests.conftest import login, make_user, post

HOUR = timedelta(hours=1)
# Thursday 15 January 2026 is a working day; Friday 16 is made a holiday below.
CALENDAR = WorkingCalendar(holidays=frozenset({date(2026, 1, 16)}))


def bkk(day: int, hour: int, minute: int = 0, month: int = 1) -> datetime:
    """An instant given in Bangkok time, returned as stored: naive UTC."""
    return datetime(2026, month, day, hour, minute) - timedelta(hours=7)


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (bkk(15, 9), bkk(15, 11), 2 * HOUR),
        (bkk(15, 11, 30), bkk(15, 13, 30), HOUR),  # lunch does not count
        (bkk(15, 7), bkk(15, 9), 0.5 * HOUR),  # before opening does not count
        (bkk(15, 16), bkk(15, 20), 0.5 * HOUR),  # after closing neither
        (bkk(15, 8, 30), bkk(15, 16, 30), 7 * HOUR),  # a whole working day
        (bkk(15, 9), bkk(19, 10), 8 * HOUR),  # Thursday, a holiday Friday, a weekend, Monday
        (bkk(17, 9), bkk(18, 17), timedelta()),  # a weekend only
        (bkk(15, 10), bkk(15, 9), timedelta()),  # backwards
    ],
)
def test_working_time(start, end, expected):
    assert CALENDAR.working_time(start, end) == expected


def test_add_working_time_skips_lunch_weekend_and_holidays():
    assert CALENDAR.add_working_time(bkk(15, 11), 2 * HOUR) == bkk(15, 14)
    assert CALENDAR.add_working_time(bkk(15, 16), HOUR) == bkk(19, 9)  # Fri is a holiday
    assert CALENDAR.add_working_time(bkk(17, 12), 3 * 7 * HOUR) == bkk(21, 16, 30)
    start = bkk(15, 9, 15)
    assert CALENDAR.working_time(start, CALENDAR.add_working_time(start, 17 * HOUR)) == 17 * HOUR


def test_national_holidays_of_a_fiscal_year_with_substitution_days():
    days = dict(national_holidays(2570))
    assert min(days) == date(2026, 10, 13) and max(days) <= date(2027, 9, 30)
    assert days[date(2026, 12, 5)] == "วันชาติ และวันพ่อแห่งชาติ"  # a Saturday...
    assert days[date(2026, 12, 7)].startswith("วันหยุดชดเชย")  # ...gives Monday off
    assert date(2027, 4, 13) in days and date(2027, 4, 15) in days


def test_lunar_holidays_follow_the_thai_lunar_calendar():
    days = dict(national_holidays(2569))  # dates announced for 2026
    assert days[date(2026, 3, 3)] == "วันมาฆบูชา"
    assert days[date(2026, 5, 31)] == "วันวิสาขบูชา"  # a Sunday...
    assert days[date(2026, 6, 1)] == "วันหยุดชดเชยวันวิสาขบูชา"  # ...gives Monday off
    assert days[date(2026, 7, 29)] == "วันอาสาฬหบูชา"
    assert days[date(2026, 7, 30)] == "วันเข้าพรรษา"
    days = dict(national_holidays(2570))
    assert days[date(2027, 2, 21)] == "วันมาฆบูชา"  # a Sunday
    assert days[date(2027, 2, 22)] == "วันหยุดชดเชยวันมาฆบูชา"
    assert days[date(2027, 5, 20)] == "วันวิสาขบูชา"
    assert days[date(2027, 7, 18)] == "วันอาสาฬหบูชา"  # a Sunday, and Lent begins on Monday...
    assert days[date(2027, 7, 19)] == "วันเข้าพรรษา"
    assert days[date(2027, 7, 20)] == "วันหยุดชดเชยวันอาสาฬหบูชา"  # ...so Tuesday is off


def test_songkran_on_a_weekend_gives_substitution_days():
    days = dict(national_holidays(2569))  # 13 April 2026 is a Monday: no substitution needed
    assert not any(name.startswith("วันหยุดชดเชยวันสงกรานต์") for name in days.values())
    days = dict(national_holidays(2572))  # 13–15 April 2029: Friday to Sunday
    substitutes = sorted(day for day, name in days.items() if name == "วันหยุดชดเชยวันสงกรานต์")
    assert substitutes == [date(2029, 4, 16), date(2029, 4, 17)]


def test_seeding_is_idempotent_and_feeds_the_calendar(app):
    assert seed_national_holidays(2570) > 10
    assert seed_national_holidays(2570) == 0
    db.session.commit()
    calendar = calendar_for(None)
    assert not calendar.is_working_day(date(2026, 12, 7))
    assert calendar.is_working_day(date(2026, 12, 8))


def test_an_office_holiday_counts_only_for_that_office(app, two_offices):
    a, b = two_offices["A"]["office"], two_offices["B"]["office"]
    db.session.add(Holiday(office_id=a.id, day=date(2026, 11, 24), name="วันสถาปนาสำนักงาน"))
    db.session.commit()
    assert not calendar_for(a.id).is_working_day(date(2026, 11, 24))
    assert calendar_for(b.id).is_working_day(date(2026, 11, 24))


@pytest.fixture
def holidays_console(web, two_offices):
    make_user("root@install.example", None, "admin")
    make_user("admin@a.example", two_offices["A"]["unit"], "admin")
    seed_national_holidays(2570)
    db.session.commit()
    return web


def test_office_admin_adds_office_days_and_cannot_touch_national_ones(holidays_console, two_offices):
    client = holidays_console.test_client()
    login(client, "admin@a.example")
    page = client.get("/admin/core_holidays/").get_data(as_text=True)
    assert "วันรัฐธรรมนูญ" in page
    national = db.session.scalar(select(Holiday).where(Holiday.office_id.is_(None)))
    assert client.get(f"/admin/core_holidays/edit/?id={national.id}").status_code == 302
    post(
        client,
        "/admin/core_holidays/new/",
        {"day": "24/11/2569", "name": "วันสถาปนาสำนักงาน"},
        token_page="/admin/core_holidays/",
    )
    added = db.session.scalar(select(Holiday).where(Holiday.name == "วันสถาปนาสำนักงาน"))
    assert added.day == date(2026, 11, 24) and added.office_id == two_offices["A"]["office"].id


def test_installation_admin_adds_national_days(holidays_console):
    client = holidays_console.test_client()
    login(client, "root@install.example")
    post(
        client,
        "/admin/core_holidays/new/",
        {"day": "13/05/2570", "name": "วันพืชมงคล"},
        token_page="/admin/core_holidays/",
    )
    added = db.session.scalar(select(Holiday).where(Holiday.name == "วันพืชมงคล"))
    assert added.office_id is None and added.day == date(2027, 5, 13)
