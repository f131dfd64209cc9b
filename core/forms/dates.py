"""Date fields that speak the reader's calendar: Buddhist Era years in Thai, Gregorian in English.

``ThaiDateField`` holds a ``datetime.date``; it shows and reads ``15/01/2569`` in Thai and
``15/01/2026`` in English, and turns every mistake into a translated message (never a 500,
never a silently shifted year). ``KhetModelConverter`` gives it to every ``Date`` column of
the admin console's forms.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from flask_admin.contrib.sqla.form import AdminModelConverter
from flask_admin.model.form import converts
from markupsafe import Markup
from wtforms import Field
from wtforms.validators import StopValidation
from wtforms.widgets import TextInput

from core.i18n import DEFAULT_LOCALE, SUPPORTED_LOCALES, current_language
from core.i18n import gettext as _
from core.i18n.thaidate import (
    BE_OFFSET,
    DateInputError,
    arabic_digits,
    format_date_input,
    parse_date_input,
    to_local,
)


def input_locale() -> str:
    """The language of this request's date fields: ``th`` or ``en``."""
    language = current_language()
    return language if language in SUPPORTED_LOCALES else DEFAULT_LOCALE


def _typed_year(text: str, shift: int) -> tuple[str, str]:
    """The year as typed and the whole date with the year moved by ``shift``: the suggestion."""
    day, month, year = (int(number) for number in re.findall(r"\d+", arabic_digits(text)))
    return str(year), f"{day:02d}/{month:02d}/{year + shift}"


def input_error_message(reason: str, text: str, locale: str) -> str:
    """The translated message for a ``DateInputError`` raised while reading ``text``."""
    if reason == "gregorian_year":
        year, suggested = _typed_year(text, BE_OFFSET)
        return _(
            "%(year)s is a Gregorian (C.E.) year: enter the Buddhist Era year, for example %(suggested)s.",
            year=year,
            suggested=suggested,
        )
    if reason == "be_year":
        year, suggested = _typed_year(text, -BE_OFFSET)
        return _(
            "%(year)s looks like a Buddhist Era year: enter the Gregorian (C.E.) year, "
            "for example %(suggested)s.",
            year=year,
            suggested=suggested,
        )
    if reason == "impossible":
        return _("This date does not exist in the calendar.")
    today = to_local(datetime.now(UTC)).date()
    return _(
        "Enter the date as dd/mm/yyyy, for example %(example)s.", example=format_date_input(today, locale)
    )


class ThaiDateInput(TextInput):
    """A text box the date picker (``core/static/core/datepicker.js``) enhances."""

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        kwargs.setdefault("inputmode", "numeric")
        kwargs.setdefault("autocomplete", "off")
        kwargs.setdefault("placeholder", _("dd/mm/yyyy"))
        kwargs["data-khet-datepicker"] = True
        kwargs["data-locale"] = input_locale()
        return super().__call__(field, **kwargs)


class ThaiDateField(Field):
    """A date typed as ``dd/mm/yyyy``: a Buddhist Era year in Thai, a Gregorian year in English.

    Thai digits are accepted. Empty input gives ``None`` (use ``Optional`` or a required
    validator as usual); text that is not an acceptable date keeps its own message even
    under ``DataRequired``.
    """

    widget = ThaiDateInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]  # shown again as typed, next to its message
        return format_date_input(self.data, input_locale())

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        text = str(valuelist[0])
        if not text.strip():
            self.data = None
            return
        locale = input_locale()
        try:
            self.data = parse_date_input(text, locale)
        except DateInputError as error:
            self.data = None
            raise ValueError(input_error_message(error.reason, text, locale)) from None

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()  # "required" would otherwise replace the precise message


class KhetModelConverter(AdminModelConverter):
    """Flask-Admin's form converter, with ``ThaiDateField`` for every ``Date`` column.

    Flask-Admin's own date picker attaches to ``data-role="datepicker"``, which the field
    never renders, so only Khet's picker enhances it.
    """

    @converts("Date")
    def convert_date(self, field_args: dict[str, Any], **extra: Any) -> ThaiDateField:
        return ThaiDateField(**field_args)
