"""The service request form (แบบฟอร์มขอใช้บริการ): requester, position, unit, purpose, date
and time go to the DLICT group director for an opinion before anyone works on them, and the
printed form shows the opinion, who gave it and when, and the performer's record."""

from __future__ import annotations

from datetime import datetime

import pytest

from core.approvals.chains import seed_chains
from core.approvals.engine import act
from core.approvals.models import ActionKind
from core.approvals.views import latest_request
from core.auth.models import Role, RolePermission
from core.db import db
from core.notifications.models import Notification
from core.standards.models import RecordStatus, ServiceRecord
from plugins.helpdesk import opinion, services
from plugins.helpdesk.models import Step, Ticket, TicketStatus
from plugins.helpdesk.services import TicketError
from tests.conftest import login, make_user, post
from tests.plugins.helpdesk import test_tickets
from tests.plugins.helpdesk.printed import pdf_text

S = TicketStatus
FORM = {
    "request_type": "general",
    "title": "ขอใช้ห้องประชุมพร้อมระบบประชุมทางไกล",
    "description": "ประชุมครูกลุ่มสาระคณิตศาสตร์ 30 คน",
    "requester_position": "ครูชำนาญการ",
    "service_on": "15/01/2570",
    "service_time": "13:30",
}


office = test_tickets.office  # the helpdesk's test office and its people (a fixture)


@pytest.fixture(autouse=True)
def chains(office):
    seed_chains()
    db.session.commit()


def _file(client) -> Ticket:
    login(client, "teacher@a.example")
    post(client, "/helpdesk/new", FORM, token_page="/helpdesk/new")
    return db.session.query(Ticket).one()


def _decide(ticket, person, kind=ActionKind.APPROVE, comment=None) -> None:
    request = latest_request(opinion.SUBJECT, ticket.id)
    act(request, kind, person, expected_version=request.version, comment=comment, signed=True)
    db.session.commit()


def test_the_director_permits_before_the_work_and_the_form_prints_the_opinion(office, client, web):
    ticket = _file(client)
    assert (ticket.requester_position, ticket.service_at) == ("ครูชำนาญการ", datetime(2027, 1, 15, 6, 30))
    request = latest_request(opinion.SUBJECT, ticket.id)
    assert {c.user_id for c in request.steps[0].candidates} == {office["head"].id}
    with pytest.raises(TicketError):  # nobody works before the opinion
        services.change_status(ticket, S.ACCEPTED, office["tech"])
    db.session.rollback()
    assert "รอความเห็น" in client.get(f"/helpdesk/{ticket.number}").get_data(as_text=True)

    db.session.expire_all()
    _decide(ticket, office["head"], comment="อนุญาต ให้ประสานงานอาคารสถานที่")
    ticket = db.session.get(Ticket, ticket.id)
    assert ticket.status == S.NEW and ticket.entries[-1].step == Step.PERMITTED
    told = db.session.query(Notification).filter_by(recipient_id=office["teacher"].id).all()
    assert any("group director permits" in n.message for n in told)
    services.assign(ticket, office["tech"], office["head"])
    services.change_status(ticket, S.IN_PROGRESS, office["tech"], "จัดเตรียมห้องและทดสอบระบบภาพและเสียง")
    services.change_status(ticket, S.DONE, office["tech"], "ให้บริการเรียบร้อย")
    db.session.commit()

    text = "".join(pdf_text(client.get(f"/helpdesk/{ticket.number}.pdf").data).split())  # lines wrap
    for expected in (
        "แบบฟอร์มขอใช้บริการ",
        "ครูชำนาญการ",
        "15 มกราคม พ.ศ. 2570",  # the date wanted
        "☑ อนุญาต",
        "ให้ประสานงานอาคารสถานที่",
        "หัวหน้า ใจดี",
        "จัดเตรียมห้องและทดสอบระบบภาพและเสียง",
        "ช่างดี มีฝีมือ",
    ):
        assert "".join(expected.split()) in text, expected


def test_a_request_not_permitted_is_closed_and_not_counted(office, client):
    ticket = _file(client)
    db.session.expire_all()
    _decide(ticket, office["head"], ActionKind.REJECT, "ห้องประชุมไม่ว่างในวันดังกล่าว")
    ticket = db.session.get(Ticket, ticket.id)
    assert ticket.status == S.CLOSED and ticket.entries[-1].step == Step.NOT_PERMITTED
    assert db.session.get(ServiceRecord, ticket.service_record_id).status == RecordStatus.CANCELLED
    page = client.get(f"/helpdesk/{ticket.number}").get_data(as_text=True)
    assert "ห้องประชุมไม่ว่างในวันดังกล่าว" in page and "ไม่อนุญาต" in page


def test_the_form_asks_for_the_date_and_time_wanted(office, client):
    login(client, "teacher@a.example")
    page = post(client, "/helpdesk/new", {**FORM, "service_on": ""}, token_page="/helpdesk/new")
    assert "ระบุวันที่ต้องการรับบริการ" in page.get_data(as_text=True)
    assert db.session.query(Ticket).count() == 0


def test_whoever_gives_the_opinion_reads_the_request_and_no_one_else(office, client, web):
    deputy_role = db.session.query(Role).filter_by(name="deputy_director").one()
    db.session.add(RolePermission(role=deputy_role, permission=opinion.REVIEW))
    make_user("deputy@a.example", office["office"], "deputy_director", name="รองผอ. ทดสอบ")
    db.session.commit()
    ticket = _file(client)
    deputy = web.test_client()
    login(deputy, "deputy@a.example")
    assert deputy.get(f"/helpdesk/{ticket.number}").status_code == 200  # not a technician, but decides
    clerk = web.test_client()
    login(clerk, "clerk@a.example")
    assert clerk.get(f"/helpdesk/{ticket.number}").status_code == 404
