"""National public holidays of a fiscal year, with their substitution days.

Fixed-date holidays are listed here. The Buddhist holidays follow the Thai lunar calendar
(มาฆบูชา, วิสาขบูชา, อาสาฬหบูชา, เข้าพรรษา); their dates come from the maintained
``holidays`` package, whose Thai lunisolar calendar is checked against the government's
announcements. The Royal Ploughing Ceremony and special days are announced each year by the
cabinet; an administrator adds them in the admin console (*Set-up › Holidays*).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from holidays.countries import Thailand
from sqlalchemy import select

from core.calendar.models import Holiday
from core.calendar.working_time import SATURDAY, SUNDAY, WorkingCalendar, working_calendar
from core.db import db
from core.i18n.fiscal import fiscal_year_range

FIXED_HOLIDAYS: tuple[tuple[int, int, str], ...] = (
    (1, 1, "วันขึ้นปีใหม่"),
    (4, 6, "วันจักรี"),
    (4, 13, "วันสงกรานต์"),
    (4, 14, "วันสงกรานต์"),
    (4, 15, "วันสงกรานต์"),
    (5, 4, "วันฉัตรมงคล"),
    (6, 3, "วันเฉลิมพระชนมพรรษาสมเด็จพระนางเจ้าฯ พระบรมราชินี"),
    (7, 28, "วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว"),
    (8, 12, "วันแม่แห่งชาติ"),
    (10, 13, "วันนวมินทรมหาราช"),
    (10, 23, "วันปิยมหาราช"),
    (12, 5, "วันชาติ และวันพ่อแห่งชาติ"),
    (12, 10, "วันรัฐธรรมนูญ"),
    (12, 31, "วันสิ้นปี"),
)
# The package's English names, which are stable identifiers, mapped to the official Thai names.
LUNAR_HOLIDAYS: dict[str, str] = {
    "Makha Bucha": "วันมาฆบูชา",
    "Visakha Bucha": "วันวิสาขบูชา",
    "Asarnha Bucha": "วันอาสาฬหบูชา",
    "Buddhist Lent Day": "วันเข้าพรรษา",
}
SUBSTITUTE_PREFIX = "วันหยุดชดเชย"


def national_holidays(year_be: int) -> list[tuple[date, str]]:
    """The national holidays of a fiscal year with their substitution days, by date.

    A holiday on a Saturday or Sunday gives the next weekday that is not itself a holiday.
    """
    start, end = fiscal_year_range(year_be)
    days = dict(_fixed_days(start, end))
    days.update(_lunar_days(start, end))
    for day, name in sorted(days.items()):
        if day.weekday() in (SATURDAY, SUNDAY):
            substitute = _next_free_weekday(day, days)
            if substitute <= end:
                days[substitute] = SUBSTITUTE_PREFIX + name
    return sorted(days.items())


def _fixed_days(start: date, end: date) -> Iterator[tuple[date, str]]:
    for year in (start.year, end.year):
        for month, day, name in FIXED_HOLIDAYS:
            holiday = date(year, month, day)
            if start <= holiday <= end:
                yield holiday, name


def _lunar_days(start: date, end: date) -> Iterator[tuple[date, str]]:
    calendar = Thailand(years=(start.year, end.year), categories=("public",), language="en_US")
    for day, names in calendar.items():
        for name in names.split("; "):
            if name in LUNAR_HOLIDAYS and start <= day <= end:
                yield day, LUNAR_HOLIDAYS[name]


def _next_free_weekday(day: date, taken: dict[date, str]) -> date:
    candidate = day + timedelta(days=1)
    while candidate.weekday() in (SATURDAY, SUNDAY) or candidate in taken:
        candidate += timedelta(days=1)
    return candidate


def seed_national_holidays(year_be: int) -> int:
    """Add the fiscal year's national holidays that are missing; return how many."""
    start, end = fiscal_year_range(year_be)
    known = set(
        db.session.scalars(
            select(Holiday.day).where(Holiday.office_id.is_(None), Holiday.day.between(start, end))
        )
    )
    added = [Holiday(day=day, name=name) for day, name in national_holidays(year_be) if day not in known]
    db.session.add_all(added)
    return len(added)


def calendar_for(office_id: int | None) -> WorkingCalendar:
    """The working calendar of an office: national holidays plus the office's own days."""
    scope = Holiday.office_id.is_(None)
    if office_id is not None:
        scope = scope | (Holiday.office_id == office_id)
    return working_calendar(db.session.scalars(select(Holiday.day).where(scope)))
