"""Every page of the staff site and the admin console, in Thai and in English."""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from core.calendar.holidays import seed_national_holidays
from core.db import db
from core.plugins.offices import set_plugin_enabled
from tests.conftest import login, make_user

LINK = re.compile(r'href="([^"]+)"')
SKIP = ("/static/", "/logout", "/admin/static/", "/admin/core_users/export/")
MAX_PAGES = 400


def _links(base: str, html: str) -> list[str]:
    found = []
    for href in LINK.findall(html):
        url = urldefrag(urljoin(base, href.replace("&amp;", "&")))[0]
        parts = urlsplit(url)
        if (
            parts.netloc in ("", "localhost")
            and parts.path.startswith("/")
            and not parts.path.startswith(SKIP)
        ):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client, start: list[str]) -> dict[str, tuple[int, str]]:
    """Visit every same-site page reachable from ``start``: path → (status, body)."""
    seen: dict[str, tuple[int, str]] = {}
    queue = deque(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        seen[path] = (response.status_code, body)
        if response.status_code in (301, 302) and response.location.startswith("/"):
            queue.append(response.location)
        queue.extend(_links(path, body))
    return seen


@pytest.fixture
def populated(web, two_offices):
    root = make_user("root@install.example", None, "admin")
    for name, unit in two_offices["A"].items():
        make_user(f"{name}@a.example", unit, "clerk", position="เจ้าหน้าที่ธุรการ")
    seed_national_holidays(2570)
    for plugin in ("saraban", "helpdesk", "conference", "website", "dltv"):
        set_plugin_enabled(two_offices["A"]["office"].id, plugin, True)
    db.session.commit()
    return root


@pytest.mark.parametrize("locale, lang_mark", [("th", 'lang="th"'), ("en", 'lang="en"')])
def test_every_page_renders_in_both_languages(web, populated, locale, lang_mark):
    client = web.test_client()
    client.set_cookie("khet_lang", locale)
    login(client, populated.email)
    pages = crawl(client, ["/", "/admin/", "/account/password", "/healthz"])
    errors = {path: status for path, (status, _) in pages.items() if status >= 500}
    assert not errors, errors
    html_pages = {path: body for path, (status, body) in pages.items() if status == 200 and body}
    assert len(html_pages) > 30, sorted(html_pages)
    wrong_lang = [path for path, body in html_pages.items() if lang_mark not in body[:200]]
    assert not wrong_lang, wrong_lang
    # every kind of admin page was reached: lists, details, edit and create forms
    for part in (
        "/admin/core_users/details/",
        "/admin/core_users/edit/",
        "/admin/core_org_units/new/",
        "/admin/core_holidays/",
        "/admin/core_role_assignments/",
    ):
        assert any(part in path for path in html_pages), part
