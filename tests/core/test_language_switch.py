"""Thai by default; a switch on every page; the choice kept on the person or in a cookie."""

from __future__ import annotations

import pytest
from flask import render_template_string
from flask_babel import force_locale

from core.auth.models import User
from core.db import db
from core.i18n import current_language, gettext, lazy_gettext, lazy_pgettext, pgettext
from tests.conftest import csrf_token, login, make_user

SWITCH = 'action="/language"'


def _lang(response) -> str:
    return response.get_data(as_text=True).split('<html lang="', 1)[1][:2]


def test_thai_is_the_default(client):
    page = client.get("/login")
    assert _lang(page) == "th" and "เข้าสู่ระบบ" in page.get_data(as_text=True)


def test_browser_language_is_the_fallback(client):
    assert _lang(client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"})) == "en"
    assert _lang(client.get("/login", headers={"Accept-Language": "fr"})) == "th"


def test_visitor_choice_is_kept_in_a_cookie(client):
    token = csrf_token(client)
    response = client.post("/language", data={"locale": "en", "next": "/login", "csrf_token": token})
    assert response.status_code == 302 and response.location == "/login"
    assert client.get_cookie("khet_lang").value == "en"
    page = client.get("/login", headers={"Accept-Language": "th"})
    assert _lang(page) == "en" and "Sign in" in page.get_data(as_text=True)


def test_person_choice_is_stored_and_follows_them(web, two_offices):
    person = make_user("somsri@a.example", two_offices["A"]["unit"], "clerk")
    db.session.commit()
    first = web.test_client()
    login(first, person.email)
    first.post("/language", data={"locale": "en", "next": "/", "csrf_token": csrf_token(first, "/")})
    db.session.expire_all()
    assert db.session.get(User, person.id).locale == "en"
    # Another browser, with a Thai cookie and Thai headers, still gets English once signed in.
    second = web.test_client()
    second.set_cookie("khet_lang", "th")
    login(second, person.email)
    assert _lang(second.get("/", headers={"Accept-Language": "th"})) == "en"


def test_unknown_language_is_ignored(client):
    token = csrf_token(client)
    client.post("/language", data={"locale": "xx", "next": "/login", "csrf_token": token})
    assert client.get_cookie("khet_lang") is None
    assert _lang(client.get("/login")) == "th"


def test_switch_never_redirects_elsewhere(client):
    token = csrf_token(client)
    response = client.post("/language", data={"locale": "en", "next": "//evil.example/", "csrf_token": token})
    assert response.location == "/"


@pytest.mark.parametrize("path", ["/login", "/", "/admin/", "/admin/core_users/", "/no-such-page"])
def test_the_switch_is_on_every_kind_of_page(web, path):
    make_user("root@install.example", None, "admin")
    db.session.commit()
    client = web.test_client()
    if path != "/login":
        login(client, "root@install.example")
    assert SWITCH in client.get(path).get_data(as_text=True)


def test_forced_language_gets_its_own_catalog(web):
    """A document or a message in another language than the page's, within the same request."""
    with web.test_request_context("/", headers={"Accept-Language": "en"}):
        page = render_template_string("{{ _('Search') }}")
        assert (gettext("Search"), page, str(lazy_gettext("Search"))) == ("Search",) * 3
        with force_locale("th"):
            assert gettext("Search") == render_template_string("{{ _('Search') }}") == "ค้นหา"
            assert str(lazy_gettext("Search")) == "ค้นหา" and current_language() == "th"
        assert gettext("Search") == "Search" and current_language() == "en"


def test_a_word_used_two_ways_reads_right_in_each(web):
    """ "Received" is a ticket's status and, elsewhere, the date it came in: Thai words them apart."""
    with web.test_request_context("/", headers={"Accept-Language": "th"}):
        status = (pgettext("ticket status", "Received"), str(lazy_pgettext("ticket status", "Received")))
        assert status == ("รับเรื่องแล้ว",) * 2 and gettext("Received") == "วันที่รับเรื่อง"
        assert render_template_string("{{ pgettext('ticket status', 'Received') }}") == "รับเรื่องแล้ว"
    with web.test_request_context("/", headers={"Accept-Language": "en"}):
        assert pgettext("ticket status", "Received") == gettext("Received") == "Received"
