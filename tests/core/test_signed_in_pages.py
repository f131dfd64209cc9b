"""What every signed-in page shows: links built once per process for fixed places, the account box."""

from __future__ import annotations

import flask

from core.db import db
from tests.conftest import csrf_token, login, make_user


def _links(page: str) -> set[str]:
    return {part.split('"', 1)[0] for part in page.split('href="')[1:]}


def test_links_follow_the_script_root(web, two_offices):
    person = make_user("somsri@a.example", two_offices["A"]["unit"], "clerk")
    db.session.commit()
    client = web.test_client()
    login(client, person.email)
    for root in ("", "/khet", ""):
        page = client.get("/", base_url=f"http://localhost{root}/").get_data(as_text=True)
        links = _links(page)
        assert f"{root}/static/core/khet.css" in links and f"{root}/notifications/" in links
        assert all(link.startswith(f"{root}/") for link in links), links


def test_links_with_values_are_built_each_time(web):
    with web.test_request_context("/"):
        url_for = web.jinja_env.globals["url_for"]
        assert url_for("notifications.index") == "/notifications/"
        assert url_for("static", filename="core/khet.css") == "/static/core/khet.css"
        assert url_for("main.dashboard", tab=1) == "/?tab=1"
        assert url_for("main.dashboard", tab=2) == "/?tab=2"
        assert url_for("main.dashboard", _external=True) == "http://localhost/"


def test_a_record_address_is_filled_in_as_flask_builds_it(make_app, monkeypatch):
    """The address around a record's number or code is built once; a value written otherwise
    (padded, quoted, refused) is built by Flask each time."""
    app = make_app()
    built: list[str] = []
    flask_url_for = app.url_for
    monkeypatch.setattr(
        app, "url_for", lambda endpoint, **values: built.append(endpoint) or flask_url_for(endpoint, **values)
    )
    app.add_url_rule("/padded/<int(fixed_digits=4):n>", "padded", lambda n: "")
    url_for = app.jinja_env.globals["url_for"]
    for root in ("", "/khet"):
        with app.test_request_context("/", base_url=f"http://localhost{root}/"):
            url_for("saraban.letter", letter_id=1), url_for("helpdesk.show", number="2568-00001")
            built.clear()
            for number in (1, 42, 1575, 1234567):
                assert url_for("saraban.letter", letter_id=number) == f"{root}/saraban/letters/{number}"
                assert (
                    url_for("helpdesk.show", number=f"2568-{number:05}")
                    == f"{root}/helpdesk/2568-{number:05}"
                )
            assert built == []
            for number in (1, 7, 1234567):
                assert url_for("padded", n=number) == flask.url_for("padded", n=number)
            assert url_for("padded", n=7) == f"{root}/padded/0007"
            assert url_for("saraban.letter", letter_id="12") == f"{root}/saraban/letters/12"
            assert url_for("helpdesk.show", number="ก ข/1") == flask.url_for("helpdesk.show", number="ก ข/1")
            assert "saraban.letter" in built and "helpdesk.show" in built


def test_the_dashboard_shows_my_account(web, two_offices):
    person = make_user(
        "somsri@a.example", two_offices["A"]["unit"], "clerk", position="เจ้าพนักงานธุรการ <ชำนาญงาน>"
    )
    root = make_user("root@install.example", None, "admin")
    db.session.commit()
    client = web.test_client()
    login(client, person.email)
    page = client.get("/").get_data(as_text=True)
    account = page.split('data-widget="core.account"', 1)[1].split("</section>", 1)[0]
    assert "เจ้าพนักงานธุรการ &lt;ชำนาญงาน&gt;" in account
    assert two_offices["A"]["unit"].name in account and "somsri@a.example" in account
    other = web.test_client()
    login(other, root.email)
    account = other.get("/").get_data(as_text=True).split('data-widget="core.account"', 1)[1]
    assert "ทั้งระบบ" in account.split("</section>", 1)[0]


def test_menu_and_widget_titles_follow_the_language(web, two_offices):
    person = make_user("somsri@a.example", two_offices["A"]["unit"], "clerk")
    db.session.commit()
    client = web.test_client()
    login(client, person.email)
    for locale, menu, widget in (
        ("th", "หน้าหลัก", "บัญชีของฉัน"),
        ("en", "Dashboard", "My account"),
        ("th", "หน้าหลัก", "บัญชีของฉัน"),
    ):
        client.post("/language", data={"locale": locale, "next": "/", "csrf_token": csrf_token(client, "/")})
        page = client.get("/").get_data(as_text=True)
        nav = page.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]
        assert f'aria-current="page">{menu}</a>' in nav
        assert f"<h2>{widget}</h2>" in page
