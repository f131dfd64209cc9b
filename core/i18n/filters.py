"""Jinja filters that write dates and numbers the way the reader's language does.

{{ letter.received_at|datetime }}      15 ม.ค. 69 14:30 น.  /  15 Jan 2026 14:30
{{ letter.dated|date("long") }}        15 มกราคม พ.ศ. 2569  /  15 January 2026
{{ ticket.updated_at|reltime }}        3 นาทีที่ผ่านมา        /  3 minutes ago
{{ letter.number|thai_digits }}        ๑๕๗๕
{{ order.signed_on|official_date }}    ๑๕ มกราคม พ.ศ. ๒๕๖๙ when the office writes Thai digits
{{ report.volume|number }}             1,234
"""

from __future__ import annotations

from datetime import date, datetime

from babel.numbers import format_decimal
from flask import Flask
from flask_login import current_user

from core.i18n import current_language
from core.i18n.thaidate import DateStyle, format_date, format_datetime, format_relative, thai_digits


def date_filter(value: date | None, style: str = DateStyle.MEDIUM, digits: bool = False) -> str:
    return "" if value is None else format_date(value, style, current_language(), digits=digits)


def datetime_filter(value: datetime | None, style: str = DateStyle.SHORT, digits: bool = False) -> str:
    return "" if value is None else format_datetime(value, style, current_language(), digits=digits)


def reltime_filter(value: datetime | None) -> str:
    return "" if value is None else format_relative(value, locale=current_language())


def number_filter(value: float | None) -> str:
    return "—" if value is None else format_decimal(value, locale=current_language())


def office_uses_thai_digits() -> bool:
    """The office setting "use Thai digits on official documents" of the signed-in person."""
    office = current_user.office if current_user.is_authenticated else None
    return bool(office and office.thai_digits)


def official_date_filter(value: date | None, style: str = DateStyle.LONG) -> str:
    """A date for an official document: always Thai, with Thai digits if the office wants them."""
    return "" if value is None else format_date(value, style, "th", digits=office_uses_thai_digits())


def init_filters(app: Flask) -> None:
    app.jinja_env.filters.update(
        date=date_filter,
        datetime=datetime_filter,
        reltime=reltime_filter,
        thai_digits=thai_digits,
        official_date=official_date_filter,
        number=number_filter,
    )
