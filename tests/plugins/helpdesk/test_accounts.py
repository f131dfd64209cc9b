"""Account requests carry what their kind needs; a request missing something goes back to its
requester with the clock stopped, is completed from the ticket's page, and resumes."""

from __future__ import annotations

import pytest

from core.db import db
from core.notifications.models import Notification
from core.standards.models import RecordStatus, ServiceRecord
from plugins.helpdesk import incomplete, services, steps
from plugins.helpdesk.models import AccountDetails, AccountKind, RequestType, Step, Ticket, TicketStatus
from plugins.helpdesk.services import TicketError, TicketRequest
from tests.conftest import login, post
from tests.plugins.helpdesk import test_tickets

office = test_tickets.office  # the helpdesk's test office and its people (a fixture)
S = TicketStatus
EMAIL = {
    "request_type": "account",
    "title": "ขออีเมลหน่วยงาน",
    "requester_position": "ครู",
    "account_kind": "email",
    "name_en": "Jaidee Deengam",
}


def _record(ticket) -> ServiceRecord:
    return db.session.get(ServiceRecord, ticket.service_record_id)


def _kinds(person) -> list[str]:
    return [n.kind for n in db.session.query(Notification).filter_by(recipient_id=person.id)]


def test_each_kind_of_account_asks_for_its_own_fields(office, client):
    login(client, "teacher@a.example")
    refused = post(client, "/helpdesk/new", EMAIL, token_page="/helpdesk/new")  # no address wanted
    assert "จำเป็นสำหรับบัญชีประเภทนี้" in refused.get_data(as_text=True)
    network = {**EMAIL, "account_kind": "network", "wanted": "jaidee.d"}
    assert post(client, "/helpdesk/new", network, token_page="/helpdesk/new").status_code == 200  # no devices
    assert db.session.query(Ticket).count() == 0
    post(client, "/helpdesk/new", {**EMAIL, "wanted": "jaidee.d"}, token_page="/helpdesk/new")
    ticket = db.session.query(Ticket).one()
    assert ticket.requester_position == "ครู"
    assert (ticket.account.kind, ticket.account.wanted, ticket.account.devices) == ("email", "jaidee.d", None)
    page = client.get(f"/helpdesk/{ticket.number}").get_data(as_text=True)
    assert "jaidee.d" in page and "Jaidee Deengam" in page


def test_an_incomplete_request_goes_back_and_resumes_when_completed(office, client, web):
    ticket, _code = services.open_ticket(
        office["office"].id,
        TicketRequest(
            RequestType.ACCOUNT,
            "ขอบัญชีระบบสารบรรณอิเล็กทรอนิกส์",
            requester_position="ครู",
            account=AccountDetails(AccountKind.SARABAN, "Jaidee Deengam", access="user"),
        ),
        office["teacher"],
        office["teacher"],
    )
    services.assign(ticket, office["tech"], office["head"])
    services.change_status(ticket, S.ACCEPTED, office["tech"])
    db.session.commit()
    tech = web.test_client()
    login(tech, "tech@a.example")
    page = f"/helpdesk/{ticket.number}"
    assert 'value="waiting_requester"' not in tech.get(page).get_data(as_text=True)  # its own action
    post(tech, f"{page}/ask", {"missing": "ขอสำเนาคำสั่งแต่งตั้งเป็นเจ้าหน้าที่สารบรรณ"}, token_page=page)
    db.session.expire_all()
    ticket = db.session.get(Ticket, ticket.id)
    assert ticket.status == S.WAITING_REQUESTER and _record(ticket).status == RecordStatus.PAUSED
    assert _kinds(office["teacher"]).count("update") == 2  # received, then asked

    login(client, "teacher@a.example")
    own = client.get(page).get_data(as_text=True)
    assert "ขอสำเนาคำสั่งแต่งตั้งเป็นเจ้าหน้าที่สารบรรณ" in own and "Jaidee Deengam" in own
    wrong = post(
        client, f"{page}/complete", {"account_kind": "saraban", "requester_position": "ครู"}, token_page=page
    )
    assert wrong.status_code == 302
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).status == S.WAITING_REQUESTER  # the English name went missing
    post(
        client,
        f"{page}/complete",
        {
            "account_kind": "saraban",
            "requester_position": "ครูชำนาญการ",
            "name_en": "Jaidee Deengam",
            "access": "clerk",
            "message": "แนบคำสั่งที่ 12/2569 ให้แล้ว",
        },
        token_page=page,
    )
    db.session.expire_all()
    ticket = db.session.get(Ticket, ticket.id)
    assert ticket.status == S.IN_PROGRESS and _record(ticket).status == RecordStatus.OPEN
    assert ticket.account.access == "clerk" and ticket.requester_position == "ครูชำนาญการ"
    assert ticket.entries[-1].step == Step.INFO_GIVEN and "update" in _kinds(office["tech"])
    steps.record_step(ticket, Step.ACCOUNT_CREATED, office["tech"], "ชื่อผู้ใช้ jaidee.d สิทธิ์ธุรการ")
    assert ticket.status == S.DONE


def test_only_the_requester_completes_and_only_a_requester_with_an_account_is_asked(office):
    ticket, _code = services.open_ticket(
        office["office"].id, TicketRequest(RequestType.SOFTWARE, "ขอติดตั้งโปรแกรม"), office["teacher"], None
    )
    with pytest.raises(TicketError):
        incomplete.ask_requester(ticket, office["tech"], "  ")  # say what is missing
    incomplete.ask_requester(ticket, office["tech"], "ชื่อโปรแกรมและรุ่นที่ต้องการ")
    with pytest.raises(TicketError):
        incomplete.complete(ticket, office["clerk"], "ไม่ใช่เรื่องของฉัน")
    with pytest.raises(TicketError):
        incomplete.complete(ticket, office["teacher"], "")  # the answer itself
    incomplete.complete(ticket, office["teacher"], "โปรแกรมอ่าน PDF รุ่นล่าสุด")
    assert ticket.status == S.IN_PROGRESS
    by_phone, _code = services.open_ticket(
        office["office"].id,
        TicketRequest(RequestType.REPAIR, "จอภาพดับ", requester_name="ผู้โทรแจ้ง"),
        None,
        office["tech"],
    )
    with pytest.raises(TicketError):
        incomplete.ask_requester(by_phone, office["tech"], "หมายเลขครุภัณฑ์")
