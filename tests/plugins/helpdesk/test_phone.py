"""Phone consultations: answered at once and closed on the spot, or a call-back promised at a
time, listed in the call-back queue soonest first and warned about before it is late."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from core.db import db, utcnow
from core.notifications.models import Notification
from core.standards.models import RecordStatus, ServiceRecord
from plugins.helpdesk import phone, services
from plugins.helpdesk.models import RequestType, Ticket, TicketStatus
from plugins.helpdesk.services import TicketError, TicketRequest
from plugins.helpdesk.sla import warn_due_tickets
from tests.conftest import login, post
from tests.plugins.helpdesk import test_tickets

office = test_tickets.office  # the helpdesk's test office and its people (a fixture)
S = TicketStatus


def _call(office, **answer) -> Ticket:
    call = phone.PhoneCall(
        caller_name="ครูสมใจ ใฝ่รู้",
        question="เข้าระบบสารบรรณอิเล็กทรอนิกส์ไม่ได้",
        caller_phone="081 000 0000",
        caller_unit_id=office["school"].id,
        **answer,
    )
    ticket, _code = phone.record_call(office["office"].id, call, office["tech"])
    db.session.commit()
    return ticket


def _kinds(person) -> list[str]:
    return [
        n.kind
        for n in db.session.query(Notification).filter_by(recipient_id=person.id).order_by(Notification.id)
    ]


def test_a_call_answered_at_once_is_closed_on_the_spot_with_the_advice(office):
    ticket = _call(office, advice="ให้ล้างแคชของเบราว์เซอร์แล้วเข้าใหม่")
    assert ticket.status == S.CLOSED and ticket.assignee_id == office["tech"].id
    done = next(e for e in ticket.entries if e.status == S.DONE)
    assert done.step == "answered" and done.body == "ให้ล้างแคชของเบราว์เซอร์แล้วเข้าใหม่"
    record = db.session.get(ServiceRecord, ticket.service_record_id)
    assert record.status == RecordStatus.FINISHED  # a service given and measured


def test_a_call_needs_an_answer_or_a_call_back_time(office):
    with pytest.raises(TicketError):
        _call(office)
    with pytest.raises(TicketError):
        _call(office, advice="ตอบแล้ว", callback_at=utcnow() + timedelta(hours=1))
    with pytest.raises(TicketError):
        _call(office, callback_at=utcnow() - timedelta(minutes=5))  # a time already gone
    db.session.rollback()
    assert db.session.query(Ticket).count() == 0


def test_call_backs_are_queued_soonest_first_and_closed_when_made(office):
    later = _call(office, callback_at=utcnow() + timedelta(hours=3))
    sooner = _call(office, callback_at=utcnow() + timedelta(hours=1))
    assert later.status == S.ACCEPTED and later.callback_pending
    assert [t.number for t in phone.callbacks_due(office["office"].id)] == [sooner.number, later.number]
    phone.answer(sooner, office["tech"], "แนะนำให้รีเซ็ตรหัสผ่านที่หน้าเข้าสู่ระบบ")
    db.session.commit()
    assert sooner.status == S.CLOSED and sooner.called_back_at is not None
    assert next(e for e in sooner.entries if e.status == S.DONE).step == "called_back"
    assert [t.number for t in phone.callbacks_due(office["office"].id)] == [later.number]


def test_a_promised_call_back_is_warned_about_before_and_after_its_time(office):
    monday_9 = datetime(2026, 6, 8, 2)  # 09:00 in Bangkok
    ticket, _code = phone.record_call(
        office["office"].id,
        phone.PhoneCall("ครูสมใจ ใฝ่รู้", "ตั้งค่าอีเมลบนมือถือไม่ได้", callback_at=monday_9 + timedelta(hours=5)),
        office["tech"],
        at=monday_9,
    )
    db.session.commit()
    before = _kinds(office["tech"])
    assert warn_due_tickets(now=monday_9 + timedelta(hours=3)) == 1  # the hour's standard is missed
    assert warn_due_tickets(now=monday_9 + timedelta(hours=4, minutes=10)) == 1  # call-back due soon
    assert warn_due_tickets(now=monday_9 + timedelta(hours=4, minutes=20)) == 0  # said once
    assert warn_due_tickets(now=monday_9 + timedelta(hours=5, minutes=1)) == 1  # now it is late
    assert _kinds(office["tech"])[len(before) :] == ["overdue", "due_soon", "overdue"]
    phone.promise_callback(ticket, office["tech"], monday_9 + timedelta(days=1), "ต้องสอบถามผู้ดูแลระบบก่อน",
                           now=monday_9 + timedelta(hours=5, minutes=2))  # fmt: skip
    db.session.commit()
    assert warn_due_tickets(now=monday_9 + timedelta(hours=23, minutes=30)) == 1  # the moved one, again


def test_a_technician_takes_a_call_on_the_site_and_works_the_call_back_queue(office, client, web):
    login(client, "tech@a.example")
    tomorrow = (utcnow() + timedelta(days=1)).date()
    page = post(
        client,
        "/helpdesk/phone",
        {
            "caller_name": "ครูสมใจ ใฝ่รู้",
            "caller_phone": "081 000 0000",
            "caller_unit": office["school"].id,
            "question": "เครื่องพิมพ์ไม่พิมพ์ภาษาไทย",
            "outcome": "callback",
            "callback_on": tomorrow.strftime("%d/%m/") + str(tomorrow.year + 543),
            "callback_time": "10:30",
        },
        token_page="/helpdesk/phone",
    )
    assert page.status_code == 200
    ticket = db.session.query(Ticket).one()
    assert ticket.request_type == RequestType.PHONE and ticket.requester_unit_id == office["school"].id
    assert ticket.callback_at == datetime(
        tomorrow.year, tomorrow.month, tomorrow.day, 3, 30
    )  # 10:30 in Bangkok
    queue = client.get("/helpdesk/callbacks").get_data(as_text=True)
    assert ticket.number in queue and "081 000 0000" in queue and "overdue" not in queue
    post(client, f"/helpdesk/{ticket.number}/answer", {"advice": "ติดตั้งฟอนต์ภาษาไทยให้แล้ว"},
         token_page=f"/helpdesk/{ticket.number}")  # fmt: skip
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).status == S.CLOSED
    assert ticket.number not in client.get("/helpdesk/callbacks").get_data(as_text=True)
    teacher = web.test_client()
    login(teacher, "teacher@a.example")
    assert teacher.get("/helpdesk/callbacks").status_code == 403
    assert teacher.get("/helpdesk/phone").status_code == 403


def test_a_late_call_back_stands_out_and_a_missing_time_is_refused(office, client):
    ticket = _call(office, callback_at=utcnow() + timedelta(minutes=1))
    ticket.callback_at = utcnow() - timedelta(minutes=30)  # the promised time has gone by
    db.session.commit()
    login(client, "tech@a.example")
    queue = client.get("/helpdesk/callbacks").get_data(as_text=True)
    assert 'class="overdue"' in queue and ticket.number in queue
    page = post(
        client,
        "/helpdesk/phone",
        {"caller_name": "ผู้โทร", "question": "สอบถาม", "outcome": "callback", "caller_unit": 0},
        token_page="/helpdesk/phone",
    )
    assert "เลือกวันที่จะโทรกลับ" in page.get_data(as_text=True) and db.session.query(Ticket).count() == 1
    moved = post(
        client,
        f"/helpdesk/{ticket.number}/callback",
        {"callback_on": "01/01/2500", "callback_time": "09:00"},  # 1957: long gone
        token_page=f"/helpdesk/{ticket.number}",
    )
    assert moved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).callback_at < utcnow()  # unchanged


def test_only_a_phone_consultation_is_answered_by_phone(office):
    ticket, _code = services.open_ticket(
        office["office"].id,
        TicketRequest(RequestType.REPAIR, "จอภาพดับ"),
        office["teacher"],
        office["teacher"],
    )
    with pytest.raises(TicketError):
        phone.answer(ticket, office["tech"], "ลองเสียบสายใหม่")
