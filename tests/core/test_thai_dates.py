"""Buddhist Era dates, Thai digits and date input, as Thai offices write them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from core.i18n.thaidate import (
    DateInputError,
    arabic_digits,
    format_date,
    format_date_input,
    format_datetime,
    format_relative,
    parse_date_input,
    thai_digits,
    to_local,
)


@pytest.mark.parametrize(
    "style, thai, english",
    [
        ("short", "15 ม.ค. 69", "15 Jan 2026"),
        ("medium", "15 ม.ค. 2569", "15 Jan 2026"),
        ("long", "15 มกราคม พ.ศ. 2569", "15 January 2026"),
        ("full", "วันพฤหัสบดีที่ 15 มกราคม พ.ศ. 2569", "Thursday 15 January 2026"),
    ],
)
def test_date_styles(style, thai, english):
    assert format_date(date(2026, 1, 15), style, "th") == thai
    assert format_date(date(2026, 1, 15), style, "en") == english


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2025, 12, 31), "31 ธันวาคม พ.ศ. 2568"),  # the Buddhist year changes with the Gregorian one
        (date(2026, 1, 1), "1 มกราคม พ.ศ. 2569"),
        (date(2024, 2, 29), "29 กุมภาพันธ์ พ.ศ. 2567"),  # leap day
        (date(2000, 1, 5), "5 มกราคม พ.ศ. 2543"),
        (date(2099, 12, 31), "31 ธันวาคม พ.ศ. 2642"),
    ],
)
def test_buddhist_era_across_year_boundaries_and_leap_days(day, expected):
    assert format_date(day, "long", "th") == expected


def test_short_style_keeps_two_digits_of_the_year():
    assert format_date(date(2043, 3, 1), "short", "th") == "1 มี.ค. 86"
    assert format_date(date(2057, 3, 1), "short", "th") == "1 มี.ค. 00"


def test_datetime_is_shown_in_bangkok_time():
    stored = datetime(2026, 1, 15, 7, 30)  # UTC
    assert format_datetime(stored, "short", "th") == "15 ม.ค. 69 14:30 น."
    assert format_datetime(stored, "long", "en") == "15 January 2026 14:30"
    late = datetime(2025, 12, 31, 18, 0)  # 01:00 on New Year's Day in Bangkok
    assert format_date(late, "long", "th") == "1 มกราคม พ.ศ. 2569"
    assert to_local(late).hour == 1


def test_thai_digits():
    assert thai_digits("ศธ 04123/1575") == "ศธ ๐๔๑๒๓/๑๕๗๕"
    assert format_date(date(2026, 1, 15), "long", "th", digits=True) == "๑๕ มกราคม พ.ศ. ๒๕๖๙"
    assert format_datetime(datetime(2026, 1, 15, 7, 30), "short", "th", digits=True) == "๑๕ ม.ค. ๖๙ ๑๔:๓๐ น."
    assert arabic_digits("๑๕/๐๑/๒๕๖๙") == "15/01/2569"


def test_relative_time():
    now = datetime(2026, 1, 15, 7, 30)
    assert format_relative(datetime(2026, 1, 15, 7, 27), now, "th") == "3 นาทีที่ผ่านมา"
    assert format_relative(datetime(2026, 1, 15, 7, 27), now, "en") == "3 minutes ago"
    assert format_relative(datetime(2026, 1, 17, 7, 30), now, "en") == "in 2 days"


@pytest.mark.parametrize(
    "text, locale, expected",
    [
        ("15/01/2569", "th", date(2026, 1, 15)),
        ("๑๕/๐๑/๒๕๖๙", "th", date(2026, 1, 15)),
        ("1/2/2567", "th", date(2024, 2, 1)),
        ("29/02/2567", "th", date(2024, 2, 29)),
        ("15-01-2569", "th", date(2026, 1, 15)),
        ("15/01/2026", "en", date(2026, 1, 15)),
    ],
)
def test_date_input_is_read(text, locale, expected):
    assert parse_date_input(text, locale) == expected


@pytest.mark.parametrize(
    "text, locale, reason",
    [
        ("15/01/2026", "th", "gregorian_year"),  # a Gregorian year typed in the Thai form
        ("15/01/2569", "en", "be_year"),
        ("29/02/2568", "th", "impossible"),  # 2025 has no 29 February
        ("31/04/2569", "th", "impossible"),
        ("00/01/2569", "th", "impossible"),
        ("2569-01-15", "th", "format"),
        ("tomorrow", "th", "format"),
        ("", "th", "format"),
    ],
)
def test_bad_date_input_is_refused_with_a_reason(text, locale, reason):
    with pytest.raises(DateInputError) as refused:
        parse_date_input(text, locale)
    assert refused.value.reason == reason


def test_date_input_round_trips():
    day = date(2026, 1, 15)
    assert format_date_input(day, "th") == "15/01/2569"
    assert format_date_input(day, "en") == "15/01/2026"
    assert parse_date_input(format_date_input(day, "th"), "th") == day


def test_official_dates_follow_the_office_setting(web, two_offices):
    from flask import render_template_string
    from flask_login import login_user

    from core.auth.permissions import load_signed_in_user
    from core.db import db
    from tests.conftest import login, make_user, post

    office = two_offices["A"]["office"]
    admin_id = make_user("admin@a.example", two_offices["A"]["unit"], "admin").id
    db.session.commit()

    def rendered() -> str:
        with web.test_request_context("/"):
            login_user(load_signed_in_user(admin_id))
            return render_template_string("{{ day|official_date }}", day=date(2026, 1, 15))

    assert rendered() == "15 มกราคม พ.ศ. 2569"
    client = web.test_client()
    login(client, "admin@a.example")
    post(
        client,
        f"/admin/core_org_units/edit/?id={office.id}",
        {"name": office.name, "kind": "office", "code": office.code, "active": "y", "thai_digits": "y"},
        token_page="/admin/core_org_units/",
    )
    assert rendered() == "๑๕ มกราคม พ.ศ. ๒๕๖๙"
