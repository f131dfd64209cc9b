"""The console shows stored UTC times in the office's time zone."""

from __future__ import annotations

from datetime import datetime

from core.db import db
from tests.conftest import login, make_user


def test_last_sign_in_is_shown_in_bangkok_time(web, two_offices):
    make_user("root@install.example", None, "admin")
    make_user("early@a.example", two_offices["A"]["unit"], last_login_at=datetime(2026, 1, 15, 23, 30))
    db.session.commit()
    client = web.test_client()
    login(client, "root@install.example")
    page = client.get("/admin/core_users/?search=early").get_data(as_text=True)
    assert "06:30" in page and "23:30" not in page  # UTC+7, the next day
