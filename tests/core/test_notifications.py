"""Notifications: in the application, by e-mail through a real SMTP server, retried, never lost.

E-mail goes to an SMTP server started by the test on this machine (aiosmtpd), which can be
told to refuse messages for a while or to answer slowly.
"""

from __future__ import annotations

import asyncio
import socket
import sys
import time
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from itertools import pairwise

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from flask import Flask, request
from sqlalchemy import func, select

from core.db import db, utcnow
from core.jobs import backend_of, wait_idle
from core.notifications import DeliveryStatus, Notification, NotificationKind, mark_read_about, notify
from core.notifications.delivery import CLAIM_TIME, MAX_ATTEMPTS, RETRY_DELAYS, _claim, retry_due
from core.notifications.models import Delivery
from core.notifications.service import PAGE_SIZE
from core.plugins.offices import set_plugin_enabled
from core.state import khet
from tests.conftest import REDIS_URL, csrf_token, login, make_user, post
from tests.contracts.throwaway import install_plugin

DOCUMENT = {"title": "บันทึกขอใช้รถตู้"}
BASE_URL = "https://khet.example.go.th"


# --- a mail server on this machine -------------------------------------------------------


class Inbox:
    """An SMTP server's handler: keeps what it accepts; refuses or stalls when told to."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refusals = 0  # answer "451 try again later" to this many messages
        self.delay = 0.0
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        await asyncio.sleep(self.delay)
        if self.refusals:
            self.refusals -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox():
    handler = Inbox()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=_free_port(),
        authenticator=handler.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


@pytest.fixture
def mail_app(make_app, app, inbox) -> Flask:
    """An application that sends e-mail through the test's SMTP server, signing in to it."""
    return make_app(
        environ={
            "KHET_SMTP_URL": f"smtp://khet%40office:p%40ss@127.0.0.1:{inbox.port}",
            "KHET_MAIL_FROM": "Khet <khet@office.example>",
            "KHET_BASE_URL": BASE_URL,
        }
    )


@pytest.fixture
def people(two_offices):
    units = two_offices["A"]
    somchai = make_user("somchai@a.example", units["unit"], name="สมชาย ใจดี")
    jane = make_user("jane@a.example", units["group"], name="Jane Doe", locale="en")
    other = make_user("other@b.example", two_offices["B"]["unit"], name="คนอื่น")
    db.session.commit()
    return {"somchai": somchai, "jane": jane, "other": other}


def _notify(on: Flask, recipient_id: int, kind=NotificationKind.NEEDS_DECISION, **kwargs) -> int:
    """Notify in a request-like unit of work on ``on``, commit, and wait for the sending."""
    with on.app_context():
        notification = notify(
            recipient_id,
            kind,
            kwargs.pop("message", kind.default_message),
            kwargs.pop("params", DOCUMENT),
            url=kwargs.pop("url", "/saraban/documents/7"),
            subject=("saraban.document", 7),
            **kwargs,
        )
        db.session.commit()
        notification_id = notification.id
    assert wait_idle(on)
    return notification_id


def _deliveries(notification_id: int) -> dict[str, Delivery]:
    db.session.expire_all()
    rows = db.session.scalars(select(Delivery).where(Delivery.notification_id == notification_id))
    return {row.channel: row for row in rows}


# --- notify and e-mail ---------------------------------------------------------------------


def test_notify_writes_the_notification_and_a_pending_delivery_in_the_transaction(app, people):
    notification = notify(
        people["somchai"], NotificationKind.NEEDS_DECISION, NotificationKind.NEEDS_DECISION.default_message,
        DOCUMENT, url="/saraban/documents/7", subject=("saraban.document", 7),
    )  # fmt: skip
    assert notification.recipient_id == people["somchai"].id and notification.read_at is None
    assert notification.subject_key == "saraban.document" and notification.subject_id == "7"
    [delivery] = notification.deliveries
    assert (delivery.channel, delivery.status, delivery.attempts) == ("email", DeliveryStatus.PENDING, 0)
    db.session.commit()
    assert wait_idle(app)
    assert _deliveries(notification.id)["email"].status == DeliveryStatus.LOGGED


def test_e_mail_is_sent_through_smtp_in_the_recipients_language(mail_app, people, inbox):
    thai = _notify(mail_app, people["somchai"].id)
    english = _notify(mail_app, people["jane"].id, NotificationKind.APPROVED)
    to_somchai, to_jane = inbox.messages
    assert to_somchai["To"].addresses[0].addr_spec == "somchai@a.example"
    assert to_somchai["To"].addresses[0].display_name == "สมชาย ใจดี"
    assert to_somchai["From"] == "Khet <khet@office.example>"
    assert to_somchai["Subject"] == "รอพิจารณา: “บันทึกขอใช้รถตู้” รอการพิจารณาของท่าน"
    assert f"{BASE_URL}/saraban/documents/7" in to_somchai.get_content()
    assert to_somchai["Auto-Submitted"] == "auto-generated"
    assert to_jane["Subject"] == "Approved: “บันทึกขอใช้รถตู้” has been approved."
    assert inbox.logins == [("khet@office", "p@ss")] * 2
    for notification_id in (thai, english):
        delivery = _deliveries(notification_id)["email"]
        assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (
            DeliveryStatus.SENT,
            1,
            None,
        )


def test_nothing_is_written_or_sent_when_the_transaction_rolls_back(mail_app, people, inbox):
    with mail_app.app_context():
        notify(
            people["somchai"].id,
            NotificationKind.APPROVED,
            NotificationKind.APPROVED.default_message,
            DOCUMENT,
        )
        db.session.rollback()
        db.session.commit()
    assert wait_idle(mail_app)
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    assert inbox.messages == []


def _notify_view(web: Flask) -> None:
    """A page that notifies someone, as the approval pages will."""

    def view():
        kind = NotificationKind.APPROVED
        notify(int(request.args["to"]), kind, kind.default_message, DOCUMENT, url="/")
        db.session.commit()
        return "approved"

    web.add_url_rule("/test/approve", view_func=view)


def test_without_smtp_the_mail_is_logged_and_the_request_is_fine(web, people, caplog):
    _notify_view(web)
    response = web.test_client().get(f"/test/approve?to={people['somchai'].id}")
    assert response.status_code == 200 and response.text == "approved"
    assert wait_idle(web)
    notification = db.session.scalar(select(Notification))
    assert _deliveries(notification.id)["email"].status == DeliveryStatus.LOGGED
    assert "e-mail logged, not sent" in caplog.text
    assert "Subject: อนุมัติแล้ว: “บันทึกขอใช้รถตู้” ได้รับการอนุมัติแล้ว" in caplog.text


def test_a_slow_mail_server_never_holds_up_the_request(make_app, app, people, inbox):
    inbox.delay = 3
    web = make_app(
        environ={"KHET_SMTP_URL": f"smtp://127.0.0.1:{inbox.port}", "KHET_MAIL_FROM": "khet@office.example"}
    )
    _notify_view(web)
    started = time.monotonic()
    response = web.test_client().get(f"/test/approve?to={people['somchai'].id}")
    assert response.status_code == 200 and time.monotonic() - started < 2
    assert inbox.messages == []
    assert wait_idle(web) and len(inbox.messages) == 1


def test_a_refused_mail_is_retried_later_and_then_sent(mail_app, people, inbox):
    inbox.refusals = 1
    notification_id = _notify(mail_app, people["somchai"].id)
    delivery = _deliveries(notification_id)["email"]
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert "451" in delivery.last_error and inbox.messages == []
    waited = delivery.next_attempt_at - utcnow()
    assert timedelta(seconds=50) < waited <= RETRY_DELAYS[0]
    with mail_app.app_context():
        assert retry_due() == {}  # not due yet
        assert retry_due(now=delivery.next_attempt_at) == {DeliveryStatus.SENT: 1}
    delivery = _deliveries(notification_id)["email"]
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SENT, 2) and len(inbox.messages) == 1


def test_a_mail_refused_every_time_is_marked_failed_and_the_notification_stays(
    mail_app, people, inbox, caplog
):
    inbox.refusals = 100
    notification_id = _notify(mail_app, people["somchai"].id)
    planned = []
    for _ in range(MAX_ATTEMPTS - 1):
        planned.append(_deliveries(notification_id)["email"].next_attempt_at)
        with mail_app.app_context():
            retry_due(now=planned[-1])
    delivery = _deliveries(notification_id)["email"]
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == (DeliveryStatus.FAILED, 6, None)
    # Each wait is the next of the schedule: 1 and 5 minutes, half an hour, 2 hours, 8 hours.
    assert RETRY_DELAYS[0] <= planned[0] - delivery.notification.created_at < RETRY_DELAYS[0] * 1.2
    assert [later - earlier for earlier, later in pairwise(planned)] == list(RETRY_DELAYS[1:])
    assert "failed 6 times, giving up" in caplog.text
    assert db.session.get(Notification, notification_id).read_at is None


def test_a_claimed_delivery_is_sent_once_and_a_lost_claim_runs_out(app, people):
    notification = Notification(
        recipient_id=people["somchai"].id, kind="approved", message="Approved", params={}
    )
    notification.deliveries = [Delivery(channel="email", next_attempt_at=utcnow())]
    db.session.add(notification)
    db.session.commit()
    assert _claim(notification.deliveries[0].id, utcnow())  # a worker took it, then its process died
    db.session.commit()
    assert retry_due() == {}
    assert retry_due(now=utcnow() + CLAIM_TIME) == {DeliveryStatus.LOGGED: 1}
    assert retry_due(now=utcnow() + 2 * CLAIM_TIME) == {}  # done: never sent twice


def test_inactive_people_get_no_mail_but_keep_the_notification(app, people):
    people["somchai"].active = False
    db.session.commit()
    notification = notify(
        people["somchai"].id, NotificationKind.OVERDUE, NotificationKind.OVERDUE.default_message, DOCUMENT
    )
    assert notification.deliveries == [] and notification.id


@pytest.mark.parametrize(
    "change",
    [
        {"url": "https://evil.example/login"},
        {"url": "//evil.example"},
        {"params": {}},
        {"params": {"name": "x"}},
        {"params": {"title": object()}},
        {"kind": "celebrated"},
    ],
)
def test_notify_refuses_what_would_break_later(app, people, change):
    arguments = {
        "kind": NotificationKind.APPROVED,
        "message": NotificationKind.APPROVED.default_message,
        "params": DOCUMENT,
        **change,
    }
    with pytest.raises((ValueError, TypeError)):
        notify(people["somchai"], **arguments)


def test_notifications_about_a_decided_record_can_be_marked_read(app, people):
    subject = ("saraban.document", 7)
    kind = NotificationKind.NEEDS_DECISION
    for person in (people["somchai"], people["jane"]):
        notify(person, kind, kind.default_message, DOCUMENT, subject=subject)
    approved = notify(people["somchai"], NotificationKind.APPROVED, "Approved", subject=subject)
    assert mark_read_about(subject, kinds=[kind]) == 2
    db.session.commit()
    unread = db.session.scalars(select(Notification.id).where(Notification.read_at.is_(None))).all()
    assert unread == [approved.id]


# --- channels from plugins -----------------------------------------------------------------


def test_a_plugins_channel_delivers_to_people_it_reaches_while_on_for_their_office(
    tmp_path, monkeypatch, make_app, app, people, two_offices
):
    install_plugin(tmp_path, monkeypatch)
    web = make_app()
    sms = sys.modules[type(khet(web).pm.get_plugin("vehicles")).__module__]
    sms.PHONES[people["somchai"].id] = "0812345678"
    assert _deliveries(_notify(web, people["somchai"].id)).keys() == {"email"}  # off for the office

    with web.app_context():
        set_plugin_enabled(two_offices["A"]["office"].id, "vehicles", True)
        db.session.commit()
    texted = _deliveries(_notify(web, people["somchai"].id))
    assert texted.keys() == {"email", "vehicles.sms"} and texted["vehicles.sms"].status == DeliveryStatus.SENT
    assert sms.TEXTED == [("0812345678", "“บันทึกขอใช้รถตู้” รอการพิจารณาของท่าน")]
    assert _deliveries(_notify(web, people["jane"].id)).keys() == {"email"}  # no number: not reached


# --- the khet command ----------------------------------------------------------------------


def _due_delivery(person_id: int) -> int:
    """A delivery left pending, as after a restart, without queuing a job."""
    notification = Notification(recipient_id=person_id, kind="approved", message="Approved", params={})
    notification.deliveries = [Delivery(channel="email", next_attempt_at=utcnow() - timedelta(minutes=1))]
    db.session.add(notification)
    db.session.commit()
    return notification.id


def test_khet_notifications_retry_sends_what_is_due(run, people):
    notification_id = _due_delivery(people["somchai"].id)
    result = run("notifications", "retry")
    assert result.exit_code == 0 and result.output == "1 logged.\n"
    assert _deliveries(notification_id)["email"].status == DeliveryStatus.LOGGED
    assert run("notifications", "retry").output == "No delivery is due.\n"


def test_khet_worker_sends_from_redis(make_app, run, people):
    if not REDIS_URL:
        pytest.skip("KHET_TEST_REDIS_URL is not set: the Redis variant is skipped")
    queued = make_app(environ={"KHET_REDIS_URL": REDIS_URL})
    backend_of(queued).queue.empty()
    notification_id = _notify(queued, people["somchai"].id)
    assert _deliveries(notification_id)["email"].status == DeliveryStatus.PENDING  # waiting in Redis
    result = run("worker", "--burst", KHET_REDIS_URL=REDIS_URL)
    assert result.exit_code == 0, result.output
    assert _deliveries(notification_id)["email"].status == DeliveryStatus.LOGGED


# --- the pages -----------------------------------------------------------------------------


@pytest.fixture
def signed_in(web, people):
    client = web.test_client()
    login(client, people["somchai"].email)
    return client


def _page(client, path: str = "/notifications/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.text


def test_the_top_bar_counts_unread_and_the_page_lists_newest_first_in_both_languages(app, signed_in, people):
    assert "data-unread" not in _page(signed_in, "/")
    _notify(app, people["somchai"].id)
    _notify(app, people["somchai"].id, NotificationKind.RETURNED, url="/saraban/documents/8")
    _notify(app, people["other"].id, NotificationKind.REJECTED)
    assert 'data-unread="2"' in _page(signed_in, "/")

    thai = _page(signed_in)
    listed = thai[thai.index("<main") :]  # the top bar has its own "รอพิจารณา" link
    assert listed.index("ส่งกลับแก้ไข") < listed.index("รอพิจารณา")  # newest first
    assert "“บันทึกขอใช้รถตู้” รอการพิจารณาของท่าน" in thai and "ไม่อนุมัติ" not in thai
    assert "การแจ้งเตือน: ยังไม่ได้อ่าน 2 รายการ" in thai

    post(signed_in, "/language", {"locale": "en", "next": "/"})
    english = _page(signed_in)
    assert english.index("Returned for revision") < english.index("Needs your decision")
    assert "“บันทึกขอใช้รถตู้” is waiting for your decision." in english
    assert "Notifications: 2 unread" in english


def test_the_list_pages_by_keyset(app, signed_in, people):
    db.session.add_all(
        Notification(recipient_id=people["somchai"].id, kind="approved", message=f"Approved {n}", params={})
        for n in range(PAGE_SIZE + 3)
    )
    db.session.commit()
    first = _page(signed_in)
    assert first.count("data-notification=") == PAGE_SIZE and f"Approved {PAGE_SIZE + 2}<" in first
    older = first.split('href="/notifications/?before=')[1].split('"')[0]
    second = _page(signed_in, f"/notifications/?before={older}")
    assert second.count("data-notification=") == 3 and "Approved 0<" in second
    assert 'href="/notifications/?before=' not in second
    assert _page(signed_in, "/notifications/?before=nonsense").count("data-notification=") == PAGE_SIZE


def test_the_count_stops_at_99(app, signed_in, people):
    db.session.add_all(
        Notification(recipient_id=people["somchai"].id, kind="approved", message="Approved", params={})
        for _ in range(100)
    )
    db.session.commit()
    assert 'data-unread="99+"' in _page(signed_in, "/")


def test_marking_read_needs_the_form_token(app, signed_in, people):
    mine = _notify(app, people["somchai"].id)
    assert signed_in.post(f"/notifications/{mine}/read").status_code == 400
    assert db.session.get(Notification, mine).read_at is None
    response = post(signed_in, f"/notifications/{mine}/read", {"next": "/notifications/"})
    assert response.status_code == 302 and response.location == "/notifications/"
    db.session.expire_all()
    assert db.session.get(Notification, mine).read_at is not None
    assert "data-unread" not in _page(signed_in, "/")


def test_opening_marks_read_and_goes_to_the_record(app, signed_in, people):
    mine = _notify(app, people["somchai"].id, url="/saraban/documents/7")
    response = post(signed_in, f"/notifications/{mine}/open")
    assert response.status_code == 302 and response.location == "/saraban/documents/7"
    db.session.expire_all()
    assert db.session.get(Notification, mine).read_at is not None


def test_mark_all_read_touches_only_ones_own(app, signed_in, people):
    mine = [_notify(app, people["somchai"].id) for _ in range(2)]
    theirs = _notify(app, people["other"].id)
    response = post(signed_in, "/notifications/read-all")
    assert response.status_code == 302
    db.session.expire_all()
    assert all(db.session.get(Notification, n).read_at for n in mine)
    assert db.session.get(Notification, theirs).read_at is None


def test_nobody_reads_or_marks_another_persons_notification(app, signed_in, people):
    theirs = _notify(app, people["other"].id, NotificationKind.REJECTED)
    token = csrf_token(signed_in, "/notifications/")
    for action in ("read", "open"):
        response = signed_in.post(f"/notifications/{theirs}/{action}", data={"csrf_token": token})
        assert response.status_code == 404
    assert signed_in.post("/notifications/999999/read", data={"csrf_token": token}).status_code == 404
    assert "data-notification" not in _page(signed_in)
    db.session.expire_all()
    assert db.session.get(Notification, theirs).read_at is None


def test_signing_in_is_required(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/login" in response.location


def test_nobody_is_told_about_the_past(app, people):
    from core.notifications import quietly

    with quietly():
        assert (
            notify(
                people["somchai"], NotificationKind.UPDATE, NotificationKind.UPDATE.default_message, DOCUMENT
            )
            is None
        )
    notify(people["somchai"], NotificationKind.UPDATE, NotificationKind.UPDATE.default_message, DOCUMENT)
    assert db.session.query(Notification).count() == 1
