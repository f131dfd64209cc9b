"""An approval chain, walked through in a real Chromium by the people of the demo office.

A throwaway "trips" plugin is installed into the ``khet demo`` server's environment: its page
lets a computer officer of the DLICT group ask to travel, which goes to the group director
(endorsement) and then to the office director (approval). Each person signs in in turn,
finds the request waiting, signs their decision with their password, and the requester is
told of the outcome. A screenshot of every step goes to test-artifacts/browser/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from core.demo import DEMO_DOMAIN, PEOPLE
from tests.browser.walkthrough import Walkthrough

pytestmark = pytest.mark.browser

SHOT_PREFIX = "approval_walkthrough"
PERSON = {person.login: person for person in PEOPLE}
REQUESTER, GROUP_DIRECTOR, OFFICE_DIRECTOR = PERSON["tech"], PERSON["dlict"], PERSON["director"]
TRIP_TITLE = "ขออนุมัติเดินทางไปราชการ ณ จังหวัดเชียงใหม่"
COMMENT = "เห็นควรให้เดินทางตามที่เสนอ"
STEP_1, STEP_2 = "ความเห็นผู้อำนวยการกลุ่ม", "ผู้อำนวยการสำนักงาน"

TRIPS_PLUGIN = '''
from itertools import count

from flask import Blueprint, abort, redirect, render_template_string, request, url_for
from flask_login import current_user, login_required

from core.approvals.contributions import ApprovalSubject, ChainTemplate, StepTemplate
from core.approvals.engine import submit
from core.approvals.models import ApproverRule
from core.db import db
from core.plugins import KhetPlugin, hookimpl
from core.plugins.contributions import MenuItem

bp = Blueprint("trips", __name__, url_prefix="/trips")
TRIPS = {}  # trip id -> title: a throwaway plugin keeps its records in memory
NEXT_ID = count(1)

NEW_TRIP = """{% extends "core/base.html" %}
{% block title %}ขอไปราชการ{% endblock %}
{% block content %}
<h1>ขอไปราชการ</h1>
<form method="post" class="card trip-form">
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
  <label for="trip-title">เรื่อง</label>
  <input id="trip-title" name="title" required maxlength="300">
  <button type="submit" class="button">เสนอขออนุมัติ</button>
</form>
{% endblock %}"""

TRIP = """{% extends "core/base.html" %}
{% block title %}{{ title }}{% endblock %}
{% block content %}
<h1>{{ title }}</h1>
{{ approval_timeline("trips.request", trip_id) }}
{% endblock %}"""


@bp.route("/", methods=["GET", "POST"])
@login_required
def new_trip():
    if request.method == "POST":
        trip_id = next(NEXT_ID)
        TRIPS[trip_id] = request.form["title"].strip()
        submit("trips.request", trip_id, TRIPS[trip_id], current_user)
        db.session.commit()
        return redirect(url_for("trips.show", trip_id=trip_id))
    return render_template_string(NEW_TRIP)


@bp.route("/<int:trip_id>")
@login_required
def show(trip_id):
    if trip_id not in TRIPS:
        abort(404)
    return render_template_string(TRIP, title=TRIPS[trip_id], trip_id=trip_id)


class TripsPlugin(KhetPlugin):
    name = "trips"
    title = "ขอไปราชการ"

    @hookimpl
    def register_blueprints(self):
        return (bp,)

    @hookimpl
    def register_menu_items(self):
        return (MenuItem("trips.new_trip", "ขอไปราชการ"),)

    @hookimpl
    def register_approval_chains(self):
        return (ChainTemplate("trips.request", "ขออนุมัติไปราชการ", (
            StepTemplate("STEP_1", ApproverRule.ROLE_IN_UNIT, "group_director", vocabulary="core.endorse"),
            StepTemplate("STEP_2", ApproverRule.ROLE_IN_OFFICE, "office_director", vocabulary="core.approve"),
        )),)

    @hookimpl
    def register_approval_subjects(self):
        return (ApprovalSubject("trips.request", "ขอไปราชการ", "trips.request",
                                url=lambda trip_id: f"/trips/{trip_id}"),)


plugin = TripsPlugin()
'''.replace("STEP_1", STEP_1).replace("STEP_2", STEP_2)

DEMO_PLUGINS = {"trips": TRIPS_PLUGIN}  # installed into the server by conftest's plugin_demo_server
# The walkthrough counts what waits for each person: the bundled plugins' demo requests (a loan,
# a letter proposed up the chain) would wait for the same people, so only trips runs.
DEMO_ALLOWED_PLUGINS = ("trips",)


def test_approval_walkthrough(plugin_demo_server, page: Page, artifacts_dir: Path) -> None:
    walk = Walkthrough(page, artifacts_dir, plugin_demo_server.base_url, SHOT_PREFIX)
    try:
        _walk(walk, plugin_demo_server, page)
    except Exception:
        walk.shot("failure")
        raise
    assert not walk.problems, "the walkthrough went through, but:\n" + walk.report()


def _sign_in(server, page: Page, login: str) -> None:
    email = f"{login}@{DEMO_DOMAIN}"
    assert email in server.logins, f"khet demo printed no password for {email}"
    page.goto(server.url("/login"))
    form = page.locator("main form:has(input[name=password])")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(server.password(email))
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(server.url("/"))
    expect(page.locator("header.topbar .usermenu summary")).to_have_text(PERSON[login].name)


def _sign_out(server, page: Page) -> None:
    topbar = page.locator("header.topbar")
    topbar.locator(".usermenu summary").click()
    topbar.locator(".usermenu-panel").get_by_role("button", name="ออกจากระบบ").click()
    expect(page).to_have_url(re.compile(re.escape(server.url("/login"))))
    expect(topbar.locator(".usermenu")).to_have_count(0)


def _expect_waiting(page: Page, count: int) -> Locator:
    """The top bar's "waiting for me" link, with its count (none shown at zero)."""
    link = page.locator("header.topbar a.waiting")
    expect(link).to_contain_text("รอพิจารณา")
    if count:
        expect(link.locator(".count")).to_have_text(str(count))
        expect(link.locator(".count")).to_have_attribute("aria-label", f"รอ {count} เรื่อง")
    else:
        expect(link.locator(".count")).to_have_count(0)
    return link


def _expect_unread(page: Page, count: int) -> Locator:
    """The notification bell, with its unread count (none shown at zero)."""
    bell = page.locator("header.topbar a.bell")
    if count:
        expect(bell.locator(".bell-count")).to_have_text(str(count))
        expect(bell).to_have_attribute("aria-label", f"การแจ้งเตือน: ยังไม่ได้อ่าน {count} รายการ")
    else:
        expect(bell.locator(".bell-count")).to_have_count(0)
        expect(bell).to_have_attribute("aria-label", "การแจ้งเตือน")
    return bell


def _step(timeline: Locator, name: str) -> Locator:
    return timeline.locator("ol.steps > li", has_text=name)


def _decide(page: Page, decision: str, password: str, comment: str = "") -> None:
    form = page.locator("section.actions form.decide")
    # By name: the labels' "for" names the form's default ids, not the ids these fields are given.
    expect(form).to_contain_text("รหัสผ่านของท่าน (ลายมือชื่ออิเล็กทรอนิกส์)")
    form.locator("textarea[name=comment]").fill(comment)
    form.locator("input[name=password]").fill(password)
    form.get_by_role("button", name=decision, exact=True).click()


def _walk(walk: Walkthrough, server, page: Page) -> None:
    topbar = page.locator("header.topbar")
    main = page.locator("main")
    timeline = main.locator("section.timeline")
    journal = timeline.locator("ol.journal > li")
    status = main.locator("dl.facts dt:text-is('สถานะ') + dd")

    # 1. The requester, a computer officer of the DLICT group, asks to travel from the trips page.
    _sign_in(server, page, REQUESTER.login)
    _expect_waiting(page, 0)
    _expect_unread(page, 0)
    topbar.locator(".mainnav").get_by_role("link", name="ขอไปราชการ").click()
    expect(page).to_have_url(server.url("/trips/"))
    page.get_by_label("เรื่อง").fill(TRIP_TITLE)
    walk.shot("requester-new-trip")
    page.get_by_role("button", name="เสนอขออนุมัติ").click()
    expect(page).to_have_url(re.compile(re.escape(server.url("/trips/")) + r"\d+$"))
    trip_url = page.url
    expect(main.locator("h1")).to_have_text(TRIP_TITLE)
    expect(timeline.locator("h2")).to_have_text("การพิจารณา: อยู่ระหว่างพิจารณา")
    expect(_step(timeline, STEP_1)).to_contain_text("รอการพิจารณา")
    expect(_step(timeline, STEP_1)).to_contain_text(f"อยู่ที่: {GROUP_DIRECTOR.name}")
    expect(_step(timeline, STEP_2)).to_contain_text("ยังไม่ถึงขั้นตอนนี้")
    expect(journal).to_have_count(1)
    expect(journal).to_contain_text(f"เสนอเรื่อง — {REQUESTER.name}")
    _expect_waiting(page, 0)  # a request waits for its deciders, not for its requester
    walk.shot("requester-trip-submitted")
    _sign_out(server, page)

    # 2. The group director finds it waiting in the top bar and the inbox.
    _sign_in(server, page, GROUP_DIRECTOR.login)
    _expect_unread(page, 1)
    _expect_waiting(page, 1).click()
    expect(page).to_have_url(server.url("/approvals/"))
    expect(main.locator("h1")).to_have_text("รอพิจารณา")
    row = main.locator("table.inbox tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(STEP_1)
    expect(row).to_contain_text(REQUESTER.name)
    walk.shot("group-director-inbox")
    row.get_by_role("link", name=TRIP_TITLE).click()
    expect(page).to_have_url(re.compile(re.escape(server.url("/approvals/")) + r"\d+$"))
    request_url = page.url
    expect(main.locator("h1")).to_have_text(TRIP_TITLE)
    expect(main.locator("dl.facts")).to_contain_text(f"{REQUESTER.name}, {REQUESTER.position}")
    expect(status).to_have_text("อยู่ระหว่างพิจารณา")
    decide = main.locator("section.actions form.decide")
    for title in ("เห็นชอบ", "เห็นควรอนุมัติ", "ไม่เห็นชอบ"):
        expect(decide.get_by_role("button", name=title, exact=True)).to_be_visible()
    walk.shot("group-director-request")

    # A mistyped password signs nothing; the form comes back with the comment still typed.
    _decide(page, "เห็นชอบ", "not-my-password", COMMENT)
    expect(page).to_have_url(request_url + "/act")
    expect(main.locator("form.decide .field-error")).to_contain_text("รหัสผ่านไม่ถูกต้อง")
    expect(main.locator("form.decide textarea[name=comment]")).to_have_value(COMMENT)
    expect(main.locator(".flash-success")).to_have_count(0)
    expect(status).to_have_text("อยู่ระหว่างพิจารณา")
    expect(journal).to_have_count(1)
    expect(_step(timeline, STEP_1)).to_contain_text("รอการพิจารณา")
    _expect_waiting(page, 1)
    walk.shot("group-director-wrong-password")

    # The right one signs the endorsement, with a comment.
    _decide(page, "เห็นชอบ", server.password(f"{GROUP_DIRECTOR.login}@{DEMO_DOMAIN}"), COMMENT)
    expect(main.locator(".flash-success")).to_have_text("ลงนามและบันทึกการพิจารณาแล้ว")
    expect(main.locator(".flash-error")).to_have_count(0)
    expect(status).to_have_text("อยู่ระหว่างพิจารณา")
    expect(main.locator("section.actions form.decide")).to_have_count(0)
    expect(journal).to_have_count(2)
    endorsed = journal.nth(1)
    expect(endorsed).to_contain_text("«เห็นชอบ»")
    expect(endorsed).to_contain_text(f"({STEP_1}) — {GROUP_DIRECTOR.name}")
    expect(endorsed.locator("blockquote")).to_have_text(COMMENT)
    expect(endorsed.locator(".signature")).to_contain_text(
        f"ลงนาม: {GROUP_DIRECTOR.name}, {GROUP_DIRECTOR.position}"
    )
    expect(_step(timeline, STEP_2)).to_contain_text("รอการพิจารณา")
    expect(_step(timeline, STEP_2)).to_contain_text(f"อยู่ที่: {OFFICE_DIRECTOR.name}")
    _expect_waiting(page, 0)
    _expect_unread(page, 0)  # the "needs your decision" notice is read once decided
    walk.shot("group-director-endorsed")
    _sign_out(server, page)

    # 3. The office director is told by the bell, opens the notice and approves.
    _sign_in(server, page, OFFICE_DIRECTOR.login)
    _expect_waiting(page, 1)
    _expect_unread(page, 1).click()
    expect(page).to_have_url(server.url("/notifications/"))
    notice = main.locator("ul.notifications li.notification.is-unread")
    expect(notice).to_have_count(1)
    expect(notice.locator(".badge")).to_have_text("รอพิจารณา")
    expect(notice.locator(".notification-text")).to_have_text(f"“{TRIP_TITLE}” รอการพิจารณาของท่าน")
    walk.shot("office-director-notifications")
    notice.locator(".notification-text").click()
    expect(page).to_have_url(request_url)
    expect(status).to_have_text("อยู่ระหว่างพิจารณา")
    expect(main.locator("section.actions form.decide").get_by_role("button")).to_have_text(["อนุมัติ", "ไม่อนุมัติ"])
    walk.shot("office-director-request")
    _decide(page, "อนุมัติ", server.password(f"{OFFICE_DIRECTOR.login}@{DEMO_DOMAIN}"))
    expect(main.locator(".flash-success")).to_have_text("ลงนามและบันทึกการพิจารณาแล้ว")
    expect(status).to_have_text("อนุมัติแล้ว")
    expect(timeline.locator("h2")).to_have_text("การพิจารณา: อนุมัติแล้ว")
    expect(journal).to_have_count(3)
    expect(journal.nth(2)).to_contain_text("«อนุมัติ»")
    expect(journal.nth(2).locator(".signature")).to_contain_text(
        f"ลงนาม: {OFFICE_DIRECTOR.name}, {OFFICE_DIRECTOR.position}"
    )
    expect(main.locator("section.actions")).to_have_count(0)
    _expect_waiting(page, 0)
    _expect_unread(page, 0)
    walk.shot("office-director-approved")
    _sign_out(server, page)

    # 4. The requester is told it was approved, and the trip's page says so.
    _sign_in(server, page, REQUESTER.login)
    _expect_unread(page, 1).click()
    expect(page).to_have_url(server.url("/notifications/"))
    notice = main.locator("ul.notifications li.notification")
    expect(notice).to_have_count(1)
    expect(notice).to_have_class(re.compile(r"\bis-unread\b"))
    expect(notice.locator(".badge")).to_have_text("อนุมัติแล้ว")
    expect(notice.locator(".unread-mark")).to_have_text("ยังไม่ได้อ่าน")
    expect(notice.locator(".notification-text")).to_have_text(f"“{TRIP_TITLE}” ได้รับการอนุมัติแล้ว")
    walk.shot("requester-notified")
    notice.locator(".notification-text").click()
    expect(page).to_have_url(request_url)
    expect(status).to_have_text("อนุมัติแล้ว")
    _expect_unread(page, 0)
    main.get_by_role("link", name="เปิดเรื่อง").click()
    expect(page).to_have_url(trip_url)
    expect(timeline.locator("h2")).to_have_text("การพิจารณา: อนุมัติแล้ว")
    expect(_step(timeline, STEP_1)).to_contain_text("ผ่านการพิจารณาแล้ว")
    expect(_step(timeline, STEP_2)).to_contain_text("ผ่านการพิจารณาแล้ว")
    expect(journal).to_have_count(3)
    walk.shot("requester-trip-approved")
