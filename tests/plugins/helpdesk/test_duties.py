"""Duty assignments: the office administrator lists who handles which requests; a new ticket
goes to the unit on duty and its least busy technician; the queue shows one unit; the assignment
list offers the technicians on duty first."""

from __future__ import annotations

import pytest

from core.db import db
from core.notifications.models import Notification
from plugins.helpdesk import services
from plugins.helpdesk.models import DutyAssignment, RequestType, Ticket
from plugins.helpdesk.services import TicketRequest
from tests.conftest import login, make_office, make_user, post
from tests.plugins.helpdesk import test_tickets

office = test_tickets.office  # the helpdesk's test office and its people (a fixture)
DUTIES = "/admin/helpdesk_duties/"


@pytest.fixture
def duties(office):
    """Repairs go to the ICT work unit (two technicians); accounts to the group, with nobody named."""
    second = make_user("tech2@a.example", office["unit"], "computer_officer", name="ช่างสอง รองรับ")
    for person in (office["tech"], second):
        db.session.add(
            DutyAssignment(
                office_id=office["office"].id,
                request_type=RequestType.REPAIR,
                unit_id=office["unit"].id,
                technician=person,
                order_reference="คำสั่งที่ 288/2561",
            )
        )
    db.session.add(
        DutyAssignment(
            office_id=office["office"].id, request_type=RequestType.ACCOUNT, unit_id=office["group"].id
        )
    )
    db.session.commit()
    return {"second": second}


def _open(office, kind=RequestType.REPAIR, title="คอมพิวเตอร์เปิดไม่ติด") -> Ticket:
    ticket, _code = services.open_ticket(
        office["office"].id, TicketRequest(kind, title), office["teacher"], office["teacher"]
    )
    db.session.commit()
    return ticket


def test_a_new_ticket_goes_to_the_unit_on_duty_and_its_least_busy_technician(office, duties):
    first = _open(office)
    assert (first.unit_id, first.assignee_id) == (office["unit"].id, office["tech"].id)  # a tie: first listed
    second = _open(office)
    assert second.assignee_id == duties["second"].id  # tech has one open ticket now
    services.change_status(first, services.S.CLOSED, office["tech"])
    db.session.commit()
    assert _open(office).assignee_id == office["tech"].id  # its only ticket is closed
    told = db.session.query(Notification).filter_by(recipient_id=duties["second"].id, kind="assigned").count()
    assert told == 1
    account = _open(office, RequestType.ACCOUNT, "ขออีเมล")
    assert (account.unit_id, account.assignee_id) == (office["group"].id, None)  # the unit's queue
    assert _open(office, RequestType.SOFTWARE, "ขอติดตั้งโปรแกรม").unit_id is None  # nobody on duty


def test_a_technician_who_left_is_not_given_tickets(office, duties):
    duties["second"].active = False
    db.session.commit()
    assert [_open(office).assignee_id for _ in range(2)] == [office["tech"].id] * 2


def test_the_queue_shows_one_unit_and_the_assignment_list_puts_duty_first(office, duties, client):
    repair = _open(office)
    account = _open(office, RequestType.ACCOUNT, "ขอบัญชีระบบสารบรรณ")
    login(client, "head@a.example")
    everything = client.get("/helpdesk/").get_data(as_text=True)
    assert repair.number in everything and account.number in everything
    assert office["unit"].name in everything  # offered as a queue
    one_unit = client.get("/helpdesk/", query_string={"unit": office["group"].id}).get_data(as_text=True)
    assert account.number in one_unit and repair.number not in one_unit
    page = client.get(f"/helpdesk/{repair.number}").get_data(as_text=True)
    assignee_select = page[page.index('name="assignee"') :]
    on_duty = assignee_select.index("ได้รับมอบหมายหน้าที่")
    assert on_duty < assignee_select.index("ช่างสอง รองรับ") < assignee_select.index("หัวหน้า ใจดี")
    post(
        client,
        f"/helpdesk/{repair.number}/assign",
        {"assignee": duties["second"].id},
        token_page=f"/helpdesk/{repair.number}",
    )
    db.session.expire_all()
    assert db.session.get(Ticket, repair.id).assignee_id == duties["second"].id


def test_the_office_administrator_keeps_the_duties_of_their_office_only(office, web):
    admin = make_user("admin@a.example", office["office"], "admin", name="ผู้ดูแล ระบบ")
    other = make_office("สพม.ทดสอบ เขต 2", "B")
    outsider = make_user("tech@b.example", other["unit"], "computer_officer")
    db.session.add(
        DutyAssignment(office_id=other["office"].id, request_type="repair", unit_id=other["unit"].id)
    )
    db.session.commit()
    client = web.test_client()
    login(client, admin.email)
    assert other["unit"].name not in client.get(DUTIES).get_data(as_text=True)
    form = {"request_type": "software", "unit": office["unit"].id, "technician": office["tech"].id}
    post(client, f"{DUTIES}new/", form, token_page=f"{DUTIES}new/")
    duty = db.session.query(DutyAssignment).filter_by(request_type="software").one()
    assert (duty.office_id, duty.technician_id) == (office["office"].id, office["tech"].id)
    again = post(client, f"{DUTIES}new/", form, token_page=f"{DUTIES}new/")
    assert "มีการมอบหมายหน้าที่นี้อยู่แล้ว" in again.get_data(as_text=True)
    stranger = post(client, f"{DUTIES}new/", {**form, "technician": outsider.id}, token_page=f"{DUTIES}new/")
    assert stranger.status_code == 200
    assert db.session.query(DutyAssignment).filter_by(request_type="software").count() == 1
    teacher = web.test_client()
    login(teacher, "teacher@a.example")
    assert teacher.get(DUTIES).status_code == 403
