"""The README's demo, walked through in a real Chromium.

Start ``khet demo``, sign in as the demo administrator on the Thai sign-in page, see the
dashboard, switch to English, open the admin console and its list of users, sign out.
A screenshot of every step goes to test-artifacts/browser/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from core.demo import DEMO_DOMAIN, PEOPLE
from tests.browser.walkthrough import Walkthrough

pytestmark = pytest.mark.browser

ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
ADMIN_NAME = "ผู้ดูแลระบบ (ตัวอย่าง)"
THAI = re.compile(r"[\u0E00-\u0E7F]")
SHOT_PREFIX = "demo_walkthrough"


class DemoWalkthrough(Walkthrough):
    """The shared walkthrough, with the checks of the demo's own pages."""

    def expect_account_widget(self) -> None:
        """The account widget is HTML (a list of facts), not its source shown as text."""
        widget = self.page.locator("[data-widget='core.account']")
        expect(widget).to_contain_text(ADMIN_EMAIL)
        text = widget.inner_text()
        self.check(
            widget.locator("dl.facts dt").count() > 0 and "<dl" not in text,
            f"the dashboard shows the account widget's HTML as text: {' '.join(text.split())[:80]!r}…",
        )

    def expect_thai(self, what: str, text: str) -> None:
        """Thai is the default language: the interface's own words must be Thai, not English."""
        self.check(bool(THAI.search(text)), f"{what} is not Thai in the Thai interface: {text.strip()!r}")


def expect_lang(page: Page, lang: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", lang)


def test_demo_walkthrough(demo_server, page: Page, artifacts_dir) -> None:
    walk = DemoWalkthrough(page, artifacts_dir, demo_server.base_url, SHOT_PREFIX)
    try:
        _walk(walk, demo_server, page)
    except Exception:
        walk.shot("failure")
        raise
    assert not walk.problems, "the walkthrough went through, but:\n" + walk.report()


def _walk(walk: DemoWalkthrough, server, page: Page) -> None:
    assert ADMIN_EMAIL in server.logins, f"khet demo printed no password for {ADMIN_EMAIL}"
    topbar = page.locator("header.topbar")

    # 1. The sign-in page, in Thai (the default, and this browser's language).
    page.goto(server.url("/login"))
    expect_lang(page, "th")
    expect(topbar.locator(".lang-switch button[lang=th]")).to_have_attribute("aria-current", "true")
    login_form = page.locator("main form:has(input[name=password])")
    expect(login_form).to_be_visible()
    walk.expect_thai("the sign-in heading", page.locator("main h1").inner_text())
    walk.expect_thai("the sign-in button", login_form.locator("button[type=submit]").inner_text())
    walk.shot("login-th")

    # 2. Sign in as the demo administrator.
    login_form.locator("input[name=email]").fill(ADMIN_EMAIL)
    login_form.locator("input[name=password]").fill(server.password(ADMIN_EMAIL))
    login_form.locator("button[type=submit]").click()
    expect(page).to_have_url(server.url("/"))

    # 3. The dashboard greets the administrator, still in Thai.
    expect_lang(page, "th")
    expect(page.locator("main h1")).to_contain_text(ADMIN_NAME)
    expect(topbar.locator(".usermenu summary")).to_have_text(ADMIN_NAME)
    walk.expect_account_widget()
    walk.expect_thai("the dashboard's menu link", topbar.locator(".mainnav a").first.inner_text())
    walk.expect_thai(
        "the account widget's title", page.locator("[data-widget='core.account'] h2").inner_text()
    )
    walk.shot("dashboard-th")

    # The bell next to the user menu opens the person's notifications: none yet in a fresh demo.
    bell = topbar.locator("a.bell")
    walk.expect_thai("the notifications bell's label", bell.get_attribute("aria-label") or "")
    expect(bell.locator(".bell-count")).to_have_count(0)
    bell.click()
    expect(page).to_have_url(server.url("/notifications/"))
    expect(bell).to_have_attribute("aria-current", "page")
    walk.expect_thai("the notifications heading", page.locator("main h1").inner_text())
    walk.expect_thai("the empty notifications list", page.locator("ul.notifications").inner_text())
    walk.shot("notifications-th")
    page.goto(server.url("/"))

    # 4. Switch to English: the same page comes back in English.
    topbar.locator(".lang-switch button[lang=en]").click()
    expect_lang(page, "en")
    expect(page).to_have_url(re.compile(re.escape(server.url("/")) + r"\??$"))
    expect(topbar.locator(".lang-switch button[lang=en]")).to_have_attribute("aria-current", "true")
    expect(page.locator("main h1")).to_have_text(f"Hello, {ADMIN_NAME}")
    expect(topbar.locator(".mainnav")).to_contain_text("Dashboard")
    expect(page.locator("[data-widget='core.account'] h2")).to_have_text("My account")
    walk.expect_account_widget()
    expect(page.locator("footer")).to_contain_text("the office suite of educational service area offices")
    walk.shot("dashboard-en")

    # 5. The user menu offers the admin console.
    topbar.locator(".usermenu summary").click()
    menu = topbar.locator(".usermenu-panel")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("button", name="Sign out")).to_be_visible()
    walk.shot("usermenu-en")
    menu.get_by_role("link", name="Admin console").click()
    expect(page).to_have_url(server.url("/admin/"))
    expect_lang(page, "en")
    admin_nav = page.locator("nav.navbar")
    expect(admin_nav.locator(".navbar-brand")).to_have_text("Admin console")
    expect(admin_nav.get_by_role("link", name="People")).to_be_visible()
    walk.shot("admin-en")

    # 6. People > Users (a Bootstrap dropdown: the admin console's JavaScript must run).
    admin_nav.get_by_role("link", name="People").click()
    users_link = admin_nav.get_by_role("link", name="Users", exact=True)
    expect(users_link).to_be_visible()
    walk.shot("admin-people-menu-en")
    users_link.click()
    expect(page).to_have_url(re.compile(r"/admin/core_users/"))
    table = page.locator("table.model-list")
    expect(table).to_be_visible()
    expect(table).to_contain_text(ADMIN_EMAIL)
    for person in PEOPLE:
        expect(table).to_contain_text(f"{person.login}@{DEMO_DOMAIN}")
        expect(table).to_contain_text(person.name)
    expect(table.locator("tbody tr")).to_have_count(len(PEOPLE) + 1)
    walk.shot("admin-users-en")

    # 6b. The administrator's record has a History tab: created from the command line, signed in.
    table.locator("tr", has_text=ADMIN_EMAIL).locator("a[href*='/edit/']").click()
    page.locator(".nav-tabs").get_by_role("link", name="History").click()
    expect(page).to_have_url(re.compile(r"/admin/core_users/history/\?id=\d+"))
    history = page.locator("table.audit-events")
    expect(history).to_contain_text("Signed in")
    expect(history).to_contain_text("Record created")
    expect(history).to_contain_text("Command line (khet demo)")
    walk.shot("admin-user-history-en")

    # 6c. The audit trail, filtered to sign-ins.
    admin_nav.get_by_role("link", name="Audit trail").click()
    expect(page).to_have_url(re.compile(r"/admin/core_audit/"))
    page.locator("select[name=type]").select_option("core.auth.signed_in")
    page.get_by_role("button", name="Show").click()
    events = page.locator("table.audit-events tbody tr")
    expect(events).to_have_count(1)
    expect(events).to_contain_text(ADMIN_NAME)
    expect(events).to_contain_text("127.0.0.1")
    walk.shot("admin-audit-trail-en")

    # 7. Back to Khet and sign out from the user menu.
    admin_nav.get_by_role("link", name="Back to Khet").click()
    expect(page).to_have_url(server.url("/"))
    topbar.locator(".usermenu summary").click()
    topbar.locator(".usermenu-panel").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(re.escape(server.url("/login"))))
    expect(page.locator(".flash")).to_contain_text("You have signed out.")
    expect(topbar.locator(".usermenu")).to_have_count(0)
    expect_lang(page, "en")  # a visitor keeps the language chosen before signing out
    walk.shot("signed-out-en")

    # Signed out for real: the dashboard asks for the sign-in again.
    page.goto(server.url("/"))
    expect(page).to_have_url(re.compile(re.escape(server.url("/login")) + r"\?next="))
    expect(page.locator("main form input[name=password]")).to_be_visible()
