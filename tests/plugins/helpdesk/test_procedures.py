"""The manual's procedures on a ticket: a repair inspected, sent to its vendor or waiting for
parts approved through a chain, repaired and checked; software installed, tested, installed
again and followed up; each step on the timeline and the printed form."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core.approvals.chains import seed_chains
from core.approvals.engine import act
from core.approvals.models import ActionKind
from core.approvals.views import latest_request
from core.db import db
from core.i18n.thaidate import today
from core.standards.models import RecordStatus, ServiceRecord
from plugins.helpdesk import repair, services, steps
from plugins.helpdesk.assets.models import Asset, AssetStatus, AssetType
from plugins.helpdesk.models import PartsRequest, PartsStatus, RequestType, Step, Ticket, TicketStatus
from plugins.helpdesk.services import TicketError, TicketRequest
from tests.conftest import login, post
from tests.plugins.helpdesk import test_tickets
from tests.plugins.helpdesk.printed import pdf_text

office = test_tickets.office  # the helpdesk's test office and its people (a fixture)
S = TicketStatus


@pytest.fixture
def printer(office):
    asset = Asset(
        office_id=office["office"].id,
        asset_number="7440-001-0009/2567",
        asset_type=AssetType.PRINTER,
        brand="ตัวอย่าง",
        location_id=office["school"].id,
        vendor="หจก.ไอทีตัวอย่าง",
        vendor_contact="02 000 0000",
        warranty_end=today() + timedelta(days=200),
    )
    db.session.add(asset)
    seed_chains()
    db.session.commit()
    return asset


def _repair(office, asset=None, kind=RequestType.REPAIR) -> Ticket:
    ticket, _code = services.open_ticket(
        office["office"].id,
        TicketRequest(kind, "เครื่องพิมพ์ไม่ดึงกระดาษ", asset_number=asset.asset_number if asset else None),
        office["teacher"],
        office["teacher"],
    )
    db.session.commit()
    return ticket


def _decide(parts: PartsRequest, approver, kind=ActionKind.APPROVE, comment=None) -> None:
    request = latest_request(repair.SUBJECT, parts.id)
    act(request, kind, approver, expected_version=request.version, comment=comment, signed=True)
    db.session.commit()


def _record(ticket) -> ServiceRecord:
    return db.session.get(ServiceRecord, ticket.service_record_id)


def test_parts_go_up_the_chain_while_the_repair_waits_with_its_clock_stopped(office, printer):
    ticket = _repair(office, printer)
    with pytest.raises(TicketError):  # the cause comes first
        repair.request_parts(ticket, office["tech"], "ลูกยางดึงกระดาษ", Decimal("450"), "ลูกยางสึก")
    with pytest.raises(TicketError):
        steps.record_step(ticket, Step.INSPECTED, office["tech"])  # a cause, in words
    steps.record_step(ticket, Step.INSPECTED, office["tech"], "ลูกยางดึงกระดาษสึก")
    assert ticket.status == S.IN_PROGRESS and printer.status == AssetStatus.IN_REPAIR
    parts = repair.request_parts(ticket, office["tech"], "ลูกยางดึงกระดาษ 1 ชุด", Decimal("450.00"), "ลูกยางสึก")
    db.session.commit()
    assert ticket.status == S.WAITING_PARTS and _record(ticket).status == RecordStatus.PAUSED
    request = latest_request(repair.SUBJECT, parts.id)
    assert {c.user_id for c in request.steps[0].candidates} == {office["head"].id}  # the resolver's answer
    with pytest.raises(TicketError):  # nobody works around the decision
        services.change_status(ticket, S.IN_PROGRESS, office["tech"])
    db.session.rollback()
    _decide(parts, office["head"])
    assert parts.status == PartsStatus.APPROVED and ticket.status == S.IN_PROGRESS
    assert _record(ticket).status == RecordStatus.OPEN
    assert steps.next_steps(ticket) == [Step.REPAIRED]
    steps.record_step(ticket, Step.REPAIRED, office["tech"], "เปลี่ยนลูกยางแล้ว")
    with pytest.raises(TicketError):
        steps.record_step(ticket, Step.VERIFY_FAILED, office["tech"])  # say what still fails
    steps.record_step(ticket, Step.VERIFIED, office["tech"], "พิมพ์ทดสอบ 20 แผ่น ไม่ติด")
    db.session.commit()
    assert ticket.status == S.DONE and _record(ticket).status == RecordStatus.FINISHED
    assert printer.status == AssetStatus.IN_USE
    services.change_status(ticket, S.HANDED_OVER, office["tech"])  # ส่งมอบงาน
    marks = [m.mark for m in _record(ticket).marks]
    assert marks == ["received", "started", "paused", "resumed", "finished"]


def test_refused_parts_are_recorded_and_the_repair_goes_on(office, printer):
    ticket = _repair(office)
    steps.record_step(ticket, Step.INSPECTED, office["tech"], "เมนบอร์ดเสีย")
    parts = repair.request_parts(ticket, office["tech"], "เมนบอร์ด", Decimal("3500"), "ซ่อมไม่ได้")
    db.session.commit()
    with pytest.raises(TicketError):  # one request at a time
        repair.request_parts(ticket, office["tech"], "เมนบอร์ด", Decimal("3500"), "ซ่อมไม่ได้")
    db.session.rollback()
    _decide(parts, office["head"], ActionKind.REJECT, "เครื่องอายุเกิน 7 ปี ให้เสนอจัดหาใหม่")
    assert parts.status == PartsStatus.REFUSED and ticket.status == S.IN_PROGRESS
    refused = ticket.entries[-1]
    assert refused.step == Step.PARTS_REFUSED and refused.body == "เครื่องอายุเกิน 7 ปี ให้เสนอจัดหาใหม่"
    services.change_status(ticket, S.DONE, office["tech"], "ส่งคืนผู้แจ้ง ซ่อมไม่ได้")  # handed back unrepaired
    assert _record(ticket).status == RecordStatus.FINISHED


def test_a_device_under_warranty_goes_to_the_vendor_the_register_names(office, printer):
    ticket = _repair(office, printer)
    steps.record_step(ticket, Step.INSPECTED, office["tech"], "หัวพิมพ์เสีย")
    assert repair.vendor_of(ticket) == "หจก.ไอทีตัวอย่าง"
    repair.send_to_vendor(ticket, office["tech"], "ส่งทางไปรษณีย์")
    db.session.commit()
    assert ticket.status == S.AT_VENDOR and printer.status == AssetStatus.AT_VENDOR
    assert "หจก.ไอทีตัวอย่าง" in ticket.entries[-1].body and ticket.entries[-1].step == Step.SENT_TO_VENDOR
    assert _record(ticket).status == RecordStatus.PAUSED
    repair.back_from_vendor(ticket, office["tech"], "ร้านเปลี่ยนหัวพิมพ์ให้")
    assert steps.next_steps(ticket) == [Step.VERIFIED, Step.VERIFY_FAILED]
    steps.record_step(ticket, Step.VERIFIED, office["tech"])
    assert ticket.status == S.DONE and printer.status == AssetStatus.IN_USE


def test_out_of_warranty_the_vendor_is_not_an_option(office, printer):
    printer.warranty_end = today() - timedelta(days=1)
    db.session.commit()
    ticket = _repair(office, printer)
    steps.record_step(ticket, Step.INSPECTED, office["tech"], "หัวพิมพ์เสีย")
    assert repair.vendor_of(ticket) is None
    with pytest.raises(TicketError):
        repair.send_to_vendor(ticket, office["tech"])
    printer.leased = True  # เช่า: the lessor repairs it whatever the warranty
    assert repair.vendor_of(ticket) == "หจก.ไอทีตัวอย่าง"


def test_software_is_installed_again_after_a_failed_test_then_followed_up(office):
    ticket = _repair(office, kind=RequestType.SOFTWARE)
    assert steps.next_steps(ticket) == [Step.PREPARED, Step.INSTALLED]
    with pytest.raises(TicketError):
        steps.record_step(ticket, Step.TEST_PASSED, office["tech"])  # nothing installed yet
    steps.record_step(ticket, Step.INSTALLED, office["tech"], "ติดตั้งโปรแกรมอ่าน PDF")
    with pytest.raises(TicketError):
        steps.record_step(ticket, Step.TEST_FAILED, office["tech"])  # say what failed
    steps.record_step(ticket, Step.TEST_FAILED, office["tech"], "เปิดไฟล์ภาษาไทยไม่ได้")
    assert steps.next_steps(ticket) == [Step.REINSTALLED]
    steps.record_step(ticket, Step.REINSTALLED, office["tech"], "ติดตั้งฟอนต์เพิ่ม")
    steps.record_step(ticket, Step.TEST_PASSED, office["tech"])
    assert ticket.status == S.DONE and steps.next_steps(ticket) == [Step.FOLLOWED_UP]
    steps.record_step(ticket, Step.FOLLOWED_UP, office["tech"], "ผู้ใช้งานได้ตามปกติ")
    db.session.commit()
    assert ticket.status == S.CLOSED
    recorded = [e.step for e in ticket.entries if e.step]
    assert recorded == ["installed", "test_failed", "reinstalled", "test_passed", "followed_up"]


def test_a_technician_works_a_repair_on_the_site_and_the_form_prints_it(office, printer, client, web):
    ticket = _repair(office, printer)
    login(client, "tech@a.example")
    page = f"/helpdesk/{ticket.number}"
    assert "ตรวจสอบ" in client.get(page).get_data(as_text=True)
    post(client, f"{page}/step", {"step": "inspected", "note": "ลูกยางดึงกระดาษสึก"}, token_page=page)
    bad = post(
        client, f"{page}/parts", {"items": "ลูกยาง", "estimated_cost": "-5", "reason": "สึก"}, token_page=page
    )
    assert bad.status_code == 302 and db.session.query(PartsRequest).count() == 0
    post(
        client,
        f"{page}/parts",
        {"items": "ลูกยางดึงกระดาษ", "estimated_cost": "450.50", "reason": "ลูกยางสึก"},
        token_page=page,
    )
    parts = db.session.query(PartsRequest).one()
    assert parts.estimated_cost == Decimal("450.50")
    assert "ลูกยางดึงกระดาษ" in client.get(f"/helpdesk/parts/{parts.id}").get_data(as_text=True)
    head = web.test_client()
    login(head, "head@a.example")
    assert "450.50" in head.get(f"/helpdesk/parts/{parts.id}").get_data(as_text=True)
    clerk = web.test_client()
    login(clerk, "clerk@a.example")
    assert clerk.get(f"/helpdesk/parts/{parts.id}").status_code == 404
    refused = post(clerk, f"{page}/step", {"step": "repaired"}, token_page="/helpdesk/")
    assert refused.status_code == 403
    db.session.expire_all()  # the site moved the ticket on meanwhile
    _decide(db.session.get(PartsRequest, parts.id), office["head"])
    post(client, f"{page}/step", {"step": "repaired", "note": "เปลี่ยนลูกยางแล้ว"}, token_page=page)
    post(client, f"{page}/step", {"step": "installed"}, token_page=page)  # not a repair's step
    db.session.expire_all()
    assert [e.step for e in db.session.get(Ticket, ticket.id).entries if e.step][-1] == "repaired"
    text = pdf_text(client.get(f"{page}.pdf").data)
    for expected in ("ลูกยางดึงกระดาษสึก", "จัดซื้ออะไหล่", "อนุมัติ", "450.50", "เปลี่ยนลูกยางแล้ว"):
        assert expected in text, expected
