"""Date fields read and show Buddhist Era years in Thai and Gregorian years in English."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from werkzeug.datastructures import MultiDict
from wtforms import Form
from wtforms.validators import DataRequired, Optional

from core.admin.base import SecureModelView
from core.calendar.models import Holiday
from core.db import db
from core.forms import ThaiDateField
from core.i18n.thaidate import format_date_input, to_local
from tests.conftest import login, make_user, post

FORMAT_TH = "กรุณากรอกวันที่ในรูปแบบ วว/ดด/ปปปป (พ.ศ.) เช่น "
IMPOSSIBLE_TH = "ไม่มีวันที่นี้ในปฏิทิน"


class DayForm(Form):
    day = ThaiDateField("Day", validators=[Optional()])
    due = ThaiDateField("Due", validators=[DataRequired()])


Submit = Callable[[str, str], tuple[date | None, list[str]]]


@pytest.fixture
def site(make_app) -> Flask:
    return make_app()


@pytest.fixture
def submit(site) -> Submit:
    """Type ``text`` into the optional field of a form in ``locale``: its data and errors."""

    def typed(locale: str, text: str) -> tuple[date | None, list[str]]:
        with site.test_request_context(headers={"Accept-Language": locale}):
            form = DayForm(MultiDict({"day": text, "due": "01/01/2000"}))
            form.validate()
            return form.day.data, [str(error) for error in form.day.errors]

    return typed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/01/2569", date(2026, 1, 15)),
        ("๑๕/๐๑/๒๕๖๙", date(2026, 1, 15)),
        (" 5/1/2569 ", date(2026, 1, 5)),
        ("29/02/2567", date(2024, 2, 29)),
    ],
)
def test_thai_reads_buddhist_era_years(submit, text, expected):
    assert submit("th", text) == (expected, [])


def test_a_gregorian_year_in_thai_names_the_buddhist_era_year(submit):
    assert submit("th", "15/01/2026") == (None, ["ปี 2026 เป็นปี ค.ศ. กรุณากรอกปี พ.ศ. เช่น 15/01/2569"])


@pytest.mark.parametrize("text", ["31/02/2569", "29/02/2568", "00/01/2569", "15/13/2569"])
def test_an_impossible_date_is_refused(submit, text):
    assert submit("th", text) == (None, [IMPOSSIBLE_TH])


@pytest.mark.parametrize("text", ["2569-01-15", "15 ม.ค. 2569", "15/01/69", "tomorrow"])
def test_other_forms_get_the_format_message_with_today_as_example(submit, text):
    today = to_local(datetime.now(UTC)).date()
    assert submit("th", text) == (None, [FORMAT_TH + format_date_input(today, "th")])


def test_english_reads_gregorian_years(submit):
    assert submit("en", "15/01/2026") == (date(2026, 1, 15), [])
    assert submit("en", "29/02/2024") == (date(2024, 2, 29), [])
    assert submit("en", "15/01/2569") == (
        None,
        ["2569 looks like a Buddhist Era year: enter the Gregorian (C.E.) year, for example 15/01/2026."],
    )
    assert submit("en", "31/02/2026") == (None, ["This date does not exist in the calendar."])


@pytest.mark.parametrize("locale", ["th", "en"])
def test_empty_input_is_none_or_required(site, locale):
    with site.test_request_context(headers={"Accept-Language": locale}):
        form = DayForm(MultiDict({"day": "  ", "due": ""}))
        assert not form.validate()
        assert form.day.data is None and form.day.errors == []
        assert form.due.errors == ["This field is required."]


def test_a_wrong_date_keeps_its_own_message_under_data_required(site):
    with site.test_request_context(headers={"Accept-Language": "th"}):
        form = DayForm(MultiDict({"due": "31/02/2569"}))
        assert not form.validate()
        assert form.due.errors == [IMPOSSIBLE_TH]


@pytest.mark.parametrize(
    ("locale", "shown", "placeholder"),
    [("th", "15/01/2569", "วว/ดด/ปปปป"), ("en", "15/01/2026", "dd/mm/yyyy")],
)
def test_the_field_shows_the_date_in_the_readers_calendar(site, locale, shown, placeholder):
    with site.test_request_context(headers={"Accept-Language": locale}):
        html = DayForm(data={"day": date(2026, 1, 15)}).day()
    assert f'value="{shown}"' in html
    assert f'placeholder="{placeholder}"' in html
    assert f'data-locale="{locale}"' in html
    assert 'type="text"' in html and 'inputmode="numeric"' in html and 'autocomplete="off"' in html
    assert "data-khet-datepicker" in html and "data-role" not in html


def test_a_refused_date_is_shown_again_as_typed(site):
    with site.test_request_context(headers={"Accept-Language": "th"}):
        form = DayForm(MultiDict({"day": "15/01/2026"}))
        form.validate()
        assert 'value="15/01/2026"' in form.day()


# --- the admin console ---------------------------------------------------------------------


class _Throwaway(DeclarativeBase):
    """Models of this test only: never part of Khet's metadata or migrations."""


class Outing(_Throwaway):
    __tablename__ = "test_outings"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date]
    until: Mapped[date | None]


@pytest.fixture
def outing_form(site) -> Iterator[type]:
    with site.app_context():
        yield SecureModelView(Outing, name="Outings", endpoint="test_outings").get_create_form()


def test_every_date_column_of_an_admin_form_is_a_thai_date_field(site, outing_form):
    with site.test_request_context(headers={"Accept-Language": "th"}):
        form = outing_form(MultiDict({"day": "15/01/2026", "until": ""}))
        assert isinstance(form.day, ThaiDateField) and isinstance(form.until, ThaiDateField)
        assert not form.validate()
        assert form.day.errors == ["ปี 2026 เป็นปี ค.ศ. กรุณากรอกปี พ.ศ. เช่น 15/01/2569"]
        assert form.until.errors == [] and form.until.data is None
        assert "data-khet-datepicker" in form.day() and "data-role" not in form.day()


def _holidays() -> list[tuple[date, str]]:
    db.session.expire_all()
    return [(row.day, row.name) for row in db.session.scalars(select(Holiday))]


def test_the_holiday_form_takes_thai_dates_and_explains_a_gregorian_year(web, app):
    make_user("root@x.example", None, "admin")
    db.session.commit()
    client = web.test_client()
    login(client, "root@x.example")
    page = client.get("/admin/core_holidays/new/").get_data(as_text=True)
    assert "data-khet-datepicker" in page and 'data-locale="th"' in page
    assert "core/datepicker.js" in page and "core/datepicker.css" in page

    refused = post(client, "/admin/core_holidays/new/", {"day": "15/01/2026", "name": "วันครู"})
    assert refused.status_code == 200
    assert "ปี 2026 เป็นปี ค.ศ. กรุณากรอกปี พ.ศ. เช่น 15/01/2569" in refused.get_data(as_text=True)
    assert _holidays() == []

    created = post(client, "/admin/core_holidays/new/", {"day": "16/01/2569", "name": "วันครู"})
    assert created.status_code == 302
    assert _holidays() == [(date(2026, 1, 16), "วันครู")]


def test_the_holiday_form_takes_gregorian_dates_in_english(web, app):
    make_user("root@x.example", None, "admin", locale="en")
    db.session.commit()
    client = web.test_client()
    login(client, "root@x.example")
    refused = post(client, "/admin/core_holidays/new/", {"day": "16/01/2569", "name": "Teachers' Day"})
    assert refused.status_code == 200
    assert "2569 looks like a Buddhist Era year" in refused.get_data(as_text=True)
    created = post(client, "/admin/core_holidays/new/", {"day": "16/01/2026", "name": "Teachers' Day"})
    assert created.status_code == 302
    assert _holidays() == [(date(2026, 1, 16), "Teachers' Day")]
