"""How much office time lies between two instants, and when a time budget runs out.

Office hours default to 08:30–16:30 with lunch 12:00–13:00, Monday to Friday, in
Asia/Bangkok, less public holidays. Instants are stored in UTC (naive) or given aware.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from core.i18n.thaidate import BANGKOK, to_local

SATURDAY, SUNDAY = 5, 6


@dataclass(frozen=True)
class OfficeHours:
    start: time = time(8, 30)
    end: time = time(16, 30)
    lunch_start: time = time(12, 0)
    lunch_end: time = time(13, 0)
    weekend: frozenset[int] = frozenset({SATURDAY, SUNDAY})

    def periods(self) -> tuple[tuple[time, time], ...]:
        """The working periods of a working day, in local time."""
        return (self.start, self.lunch_start), (self.lunch_end, self.end)


@dataclass(frozen=True)
class WorkingCalendar:
    hours: OfficeHours = field(default_factory=OfficeHours)
    holidays: frozenset[date] = frozenset()

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.hours.weekend and day not in self.holidays

    def working_time(self, start: datetime, end: datetime) -> timedelta:
        """Office time between two instants (zero when ``end`` is not after ``start``)."""
        start_local, end_local = to_local(start), to_local(end)
        total = timedelta()
        for period_start, period_end in self._periods_from(start_local.date()):
            if period_start >= end_local:
                break
            overlap = min(period_end, end_local) - max(period_start, start_local)
            total += max(overlap, timedelta())
        return total

    def add_working_time(self, start: datetime, amount: timedelta) -> datetime:
        """The instant (naive UTC) when ``amount`` of office time after ``start`` has passed."""
        start_local = to_local(start)
        remaining = amount
        for period_start, period_end in self._periods_from(start_local.date()):
            begin = max(period_start, start_local)
            if begin >= period_end:
                continue
            if remaining <= period_end - begin:
                return (begin + remaining).astimezone(UTC).replace(tzinfo=None)
            remaining -= period_end - begin
        raise AssertionError("unreachable: periods never end")

    def _periods_from(self, first_day: date) -> Iterator[tuple[datetime, datetime]]:
        """Working periods as aware local datetimes, day after day from ``first_day``."""
        day = first_day
        while True:
            if self.is_working_day(day):
                for begin, end in self.hours.periods():
                    yield (datetime.combine(day, begin, BANGKOK), datetime.combine(day, end, BANGKOK))
            day += timedelta(days=1)


def working_calendar(holidays: Iterable[date], hours: OfficeHours | None = None) -> WorkingCalendar:
    return WorkingCalendar(hours=hours or OfficeHours(), holidays=frozenset(holidays))
