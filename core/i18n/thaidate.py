"""Dates as Thai offices write them: Buddhist Era years, Thai month names, Thai digits.

Babel knows only the Gregorian calendar and never prints Thai digits, so this layer keeps
Babel for month and weekday names and writes the year itself. Times are stored in UTC
(naive) and shown in Asia/Bangkok.

    format_date(date(2026, 1, 15), "long", "th")   -> "15 มกราคม พ.ศ. 2569"
    format_date(date(2026, 1, 15), "short", "th")  -> "15 ม.ค. 69"
    format_datetime(datetime(2026, 1, 15, 7, 30), "short", "th") -> "15 ม.ค. 69 14:30 น."
    format_date(date(2026, 1, 15), "long", "en")   -> "15 January 2026"
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

from babel.dates import format_timedelta, get_day_names, get_month_names

BE_OFFSET = 543  # พ.ศ. = ค.ศ. + 543
BANGKOK = ZoneInfo("Asia/Bangkok")
_THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


class DateStyle(StrEnum):
    SHORT = "short"  # 15 ม.ค. 69       | 15 Jan 2026
    MEDIUM = "medium"  # 15 ม.ค. 2569   | 15 Jan 2026
    LONG = "long"  # 15 มกราคม พ.ศ. 2569 | 15 January 2026
    FULL = "full"  # วันพฤหัสบดีที่ 15 มกราคม พ.ศ. 2569 | Thursday 15 January 2026


def be_year(year: int) -> int:
    return year + BE_OFFSET


def thai_digits(text: object) -> str:
    """``"2569"`` → ``"๒๕๖๙"``; other characters are kept."""
    return str(text).translate(_THAI_DIGITS)


def arabic_digits(text: str) -> str:
    """``"๑๕/๐๑/๒๕๖๙"`` → ``"15/01/2569"``: Thai digits typed in a form still parse."""
    return text.translate(_ARABIC_DIGITS)


def today() -> date:
    """The day in Asia/Bangkok: offices work by Thai days, whatever zone the server's clock keeps."""
    return datetime.now(BANGKOK).date()


def to_local(value: datetime) -> datetime:
    """A stored time (naive UTC, or aware) in Asia/Bangkok."""
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value
    return aware.astimezone(BANGKOK)


def format_date(value: date, style: str = DateStyle.LONG, locale: str = "th", *, digits: bool = False) -> str:
    """A date in the office's way of writing it; ``digits`` turns on Thai digits."""
    if isinstance(value, datetime):
        value = to_local(value).date()
    text = (
        _format_thai(value, DateStyle(style)) if locale == "th" else _format_english(value, DateStyle(style))
    )
    return thai_digits(text) if digits else text


def format_datetime(
    value: datetime, style: str = DateStyle.SHORT, locale: str = "th", *, digits: bool = False
) -> str:
    """Date and time in Asia/Bangkok: ``15 ม.ค. 69 14:30 น.`` / ``15 Jan 2026 14:30``."""
    local = to_local(value)
    day = format_date(local.date(), style, locale)
    clock = f"{local:%H:%M}" + (" น." if locale == "th" else "")
    text = f"{day} {clock}"
    return thai_digits(text) if digits else text


def format_relative(value: datetime, now: datetime | None = None, locale: str = "th") -> str:
    """``3 นาทีที่ผ่านมา`` / ``3 minutes ago`` (both times UTC, naive or aware)."""
    now = now or datetime.now(UTC)
    delta: timedelta = to_local(value) - to_local(now)
    return format_timedelta(delta, add_direction=True, locale=locale, threshold=1.0)


@cache
def month_names(width: str, locale: str) -> dict[int, str]:
    """Babel's month names, read once: a page writes dozens of dates."""
    return dict(get_month_names(width, locale=locale))


@cache
def _day_names(locale: str) -> dict[int, str]:
    return dict(get_day_names("wide", locale=locale))


def _format_thai(value: date, style: DateStyle) -> str:
    months = month_names("abbreviated" if style in (DateStyle.SHORT, DateStyle.MEDIUM) else "wide", "th")
    month = months[value.month]
    year = be_year(value.year)
    if style is DateStyle.SHORT:
        return f"{value.day} {month} {year % 100:02d}"
    if style is DateStyle.MEDIUM:
        return f"{value.day} {month} {year}"
    text = f"{value.day} {month} พ.ศ. {year}"
    if style is DateStyle.FULL:
        weekday = _day_names("th")[value.weekday()]
        return f"{weekday}ที่ {text}"
    return text


def _format_english(value: date, style: DateStyle) -> str:
    wide = style in (DateStyle.LONG, DateStyle.FULL)
    month = month_names("wide" if wide else "abbreviated", "en")[value.month]
    text = f"{value.day} {month} {value.year}"
    if style is DateStyle.FULL:
        return f"{_day_names('en')[value.weekday()]} {text}"
    return text


class DateInputError(ValueError):
    """A typed date that cannot be accepted; ``reason`` selects the translated message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_DATE_INPUT = re.compile(r"^\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})\s*$")
# A year in the Thai form this far from the Buddhist Era is a Gregorian year typed by mistake.
_FIRST_BE_YEAR = 2400


def parse_date_input(text: str, locale: str = "th") -> date:
    """Read ``dd/mm/yyyy`` as typed: a Buddhist Era year in Thai, a Gregorian year in English.

    Raises ``DateInputError`` with reason ``format`` (not dd/mm/yyyy), ``gregorian_year``
    (a Thai form given a year such as 2026), ``be_year`` (an English form given 2569) or
    ``impossible`` (e.g. 31/02).
    """
    match = _DATE_INPUT.match(arabic_digits(text))
    if match is None:
        raise DateInputError("format")
    day, month, year = (int(part) for part in match.groups())
    if locale == "th":
        if year < _FIRST_BE_YEAR:
            raise DateInputError("gregorian_year")
        year -= BE_OFFSET
    elif year >= _FIRST_BE_YEAR:
        raise DateInputError("be_year")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateInputError("impossible") from None


def format_date_input(value: date | None, locale: str = "th") -> str:
    """The text a date field shows: ``15/01/2569`` in Thai, ``15/01/2026`` in English."""
    if value is None:
        return ""
    year = be_year(value.year) if locale == "th" else value.year
    return f"{value.day:02d}/{value.month:02d}/{year}"
