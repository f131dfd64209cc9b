"""Validation messages of the form library itself are in Thai too."""

from __future__ import annotations

from core.db import db
from tests.conftest import csrf_token, login, make_user, post


def test_staff_site_form_messages_are_thai(client):
    token = csrf_token(client)
    page = client.post("/login", data={"email": "", "password": "", "csrf_token": token})
    assert "กรุณากรอกช่องนี้" in page.get_data(as_text=True)


def test_admin_console_form_messages_are_thai(web, two_offices):
    make_user("root@install.example", None, "admin")
    db.session.commit()
    client = web.test_client()
    login(client, "root@install.example")
    page = post(client, "/admin/core_users/new/", {"name": "", "email": ""}, token_page="/admin/core_users/")
    assert "กรุณากรอกช่องนี้" in page.get_data(as_text=True)
