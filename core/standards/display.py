"""Standard times as people say them: 30 minutes, 4 working hours, 3 working days."""

from __future__ import annotations

from enum import StrEnum

from core.calendar.working_time import OfficeHours
from core.i18n import gettext as _
from core.i18n import lazy_gettext as _l
from core.i18n import ngettext
from core.standards.contributions import Clock


def _working_day_minutes() -> int:
    return sum(
        (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        for start, end in OfficeHours().periods()
    )


WORKING_DAY_MINUTES = _working_day_minutes()  # 7 hours: 08:30–16:30 less lunch


class Unit(StrEnum):
    MINUTES = "minutes"
    HOURS = "hours"
    DAYS = "days"


UNIT_LABELS = {
    Clock.WORKING: {
        Unit.MINUTES: _l("minutes"),
        Unit.HOURS: _l("working hours"),
        Unit.DAYS: _l("working days"),
    },
    Clock.CALENDAR: {Unit.MINUTES: _l("minutes"), Unit.HOURS: _l("hours"), Unit.DAYS: _l("days")},
}


def unit_minutes(unit: Unit, clock: Clock) -> int:
    if unit == Unit.DAYS:
        return WORKING_DAY_MINUTES if clock == Clock.WORKING else 24 * 60
    return 60 if unit == Unit.HOURS else 1


def split_limit(minutes: int, clock: Clock) -> tuple[int, Unit]:
    """The largest unit that states ``minutes`` exactly: 1260 working minutes are 3 days."""
    for unit in (Unit.DAYS, Unit.HOURS):
        size = unit_minutes(unit, clock)
        if minutes % size == 0:
            return minutes // size, unit
    return minutes, Unit.MINUTES


def format_limit(minutes: int, clock: Clock) -> str:
    amount, unit = split_limit(minutes, clock)
    working = clock == Clock.WORKING
    if unit == Unit.DAYS:
        return (
            ngettext("%(num)d working day", "%(num)d working days", amount)
            if working
            else ngettext("%(num)d day", "%(num)d days", amount)
        )
    if unit == Unit.HOURS:
        return (
            ngettext("%(num)d working hour", "%(num)d working hours", amount)
            if working
            else ngettext("%(num)d hour", "%(num)d hours", amount)
        )
    return ngettext("%(num)d minute", "%(num)d minutes", amount)


def format_minutes(minutes: float | None) -> str:
    """A measured time, to the minute: 2 h 5 min."""
    if minutes is None:
        return "—"
    hours, rest = divmod(round(minutes), 60)
    if not hours:
        return _("%(minutes)d min", minutes=rest)
    return _("%(hours)d h %(minutes)d min", hours=hours, minutes=rest)
