"""Tickets of the ICT service centre: numbers and codes, the status flow measured as a service,
reopening, merging, assignment, the requester's view and the public tracking page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, text

from core.db import db, utcnow
from core.notifications.models import Notification
from core.plugins.offices import set_plugin_enabled
from core.standards.models import RecordStatus, ServiceRecord
from plugins.helpdesk import services
from plugins.helpdesk.models import RequestType, Ticket, TicketStatus
from plugins.helpdesk.services import TicketError, TicketRequest
from tests.conftest import login, make_office, make_user, post

S = TicketStatus


@pytest.fixture
def office(app):
    units = make_office("สพป.ทดสอบ เขต 1", "A")
    people = {
        "tech": make_user("tech@a.example", units["unit"], "computer_officer", name="ช่างดี มีฝีมือ"),
        "head": make_user("head@a.example", units["group"], "group_director", name="หัวหน้า ใจดี"),
        "teacher": make_user("teacher@a.example", units["school"], "teacher", name="ครูใจ ดีงาม"),
        "clerk": make_user("clerk@a.example", units["unit"], "clerk", name="ธุรการ ขยัน"),
    }
    set_plugin_enabled(units["office"].id, "helpdesk", True)
    db.session.commit()
    return {**units, **people}


def _open(
    office, title="เครื่องพิมพ์ห้องธุรการกระดาษติด", kind=RequestType.REPAIR, requester_name: str | None = None
) -> tuple[Ticket, str]:
    ticket, code = services.open_ticket(
        office["office"].id,
        TicketRequest(kind, title, "กระดาษติดทุกครั้งที่พิมพ์", requester_name=requester_name),
        office["teacher"],
        office["teacher"],
    )
    db.session.commit()
    return ticket, code


def _record(ticket: Ticket) -> ServiceRecord:
    return db.session.get(ServiceRecord, ticket.service_record_id)


def _updates(person) -> list[str]:
    return [
        n.kind
        for n in db.session.query(Notification).filter_by(recipient_id=person.id).order_by(Notification.id)
    ]


def test_tickets_are_numbered_per_fiscal_year_and_get_a_secret_code(office):
    first, code = _open(office)
    second, _code = _open(office, "ขอติดตั้งโปรแกรม")
    year = first.number.split("-")[0]
    assert (first.number, second.number) == (f"{year}-00001", f"{year}-00002")
    assert len(code) == 8 and code not in first.access_code_hash
    record = _record(first)
    assert (record.service_key, record.reference, record.subject_id) == (
        "helpdesk.repair",
        first.number,
        str(first.id),
    )


def test_the_status_flow_drives_the_service_clock(office):
    ticket, _code = _open(office)
    tech = office["tech"]
    for status in (
        S.ACCEPTED,
        S.IN_PROGRESS,
        S.WAITING_PARTS,
        S.IN_PROGRESS,
        S.DONE,
        S.HANDED_OVER,
        S.CLOSED,
    ):
        services.change_status(ticket, status, tech, note="บันทึก")
        db.session.commit()
    record = _record(ticket)
    assert [m.mark for m in record.marks] == ["received", "started", "paused", "resumed", "finished"]
    assert record.status == RecordStatus.FINISHED and {r.standard_key for r in record.results} == {
        "first_response",
        "resolution",
    }
    assert _updates(office["teacher"]).count("update") == 7 and "survey" in _updates(office["teacher"])
    assert ticket.closed_at is not None


def test_a_step_out_of_order_changes_nothing(office):
    ticket, _code = _open(office)
    with pytest.raises(TicketError):
        services.change_status(ticket, S.DONE, office["tech"])
    db.session.rollback()
    assert db.session.get(Ticket, ticket.id).status == S.NEW and len(_record(ticket).marks) == 1


def test_a_ticket_closed_unworked_is_not_a_service(office):
    ticket, _code = _open(office)
    services.change_status(ticket, S.CLOSED, office["tech"], note="แจ้งซ้ำ")
    assert _record(ticket).status == RecordStatus.CANCELLED


def test_reopening_within_the_window_measures_a_new_service(office):
    ticket, _code = _open(office)
    for status in (S.IN_PROGRESS, S.DONE):
        services.change_status(ticket, status, office["tech"])
    first_record = ticket.service_record_id
    with pytest.raises(TicketError):
        services.reopen(ticket, office["teacher"], "ยังเสียอยู่", now=utcnow() + timedelta(days=8))
    services.reopen(ticket, office["teacher"], "ยังเสียอยู่")
    assert ticket.status == S.NEW and ticket.service_record_id != first_record
    assert _record(ticket).status == RecordStatus.OPEN


def test_a_duplicate_is_merged_and_not_counted(office):
    ticket, _code = _open(office)
    duplicate, _code = _open(office, "เครื่องพิมพ์กระดาษติด (แจ้งซ้ำ)")
    services.merge(duplicate, ticket, office["tech"])
    assert duplicate.status == S.CLOSED and duplicate.merged_into_id == ticket.id
    assert _record(duplicate).status == RecordStatus.CANCELLED
    with pytest.raises(TicketError):
        services.merge(ticket, duplicate, office["tech"])  # into a merged ticket


def test_tickets_go_only_to_technicians_of_the_office(office):
    ticket, _code = _open(office)
    with pytest.raises(TicketError):
        services.assign(ticket, office["clerk"], office["head"])
    services.assign(ticket, office["tech"], office["head"])
    assert ticket.assignee_id == office["tech"].id and _updates(office["tech"]) == ["assigned"]


def test_a_teacher_files_from_a_phone_and_follows_it_without_signing_in(office, client, web):
    login(client, "teacher@a.example")
    page = post(
        client,
        "/helpdesk/new",
        {"request_type": "repair", "title": "คอมพิวเตอร์ห้องสมุดเปิดไม่ติด", "requester_phone": "0800000000"},
        token_page="/helpdesk/new",
    )
    text = page.get_data(as_text=True)
    ticket = db.session.query(Ticket).one()
    assert ticket.number in text and "รหัสติดตาม" in text
    # Filed, not yet received: the page does not speak of the status the ticket has not reached.
    assert "แจ้งเรื่องแล้ว" in text and "รับเรื่องแล้ว" not in text
    code = text.split('class="ticket-code">')[1].split("<")[0]
    services.add_entry(ticket, office["tech"], "ตรวจพบว่าสายไฟหลวม", internal=True)
    services.change_status(ticket, S.ACCEPTED, office["tech"], note="รับเรื่องแล้ว จะเข้าไปดูบ่ายนี้")
    db.session.commit()

    public = web.test_client()
    wrong = post(
        public, "/helpdesk/track", {"number": ticket.number, "code": "WRONG123"}, token_page="/helpdesk/track"
    )
    assert "คอมพิวเตอร์ห้องสมุด" not in wrong.get_data(as_text=True)
    shown = post(
        public,
        "/helpdesk/track",
        {"number": ticket.number, "code": code.lower()},
        token_page="/helpdesk/track",
    )
    page = shown.get_data(as_text=True)
    assert "รับเรื่องแล้ว จะเข้าไปดูบ่ายนี้" in page and "สายไฟหลวม" not in page  # staff notes stay inside
    own = client.get(f"/helpdesk/{ticket.number}").get_data(as_text=True)
    assert "รับเรื่องแล้ว จะเข้าไปดูบ่ายนี้" in own and "สายไฟหลวม" not in own


def test_technicians_work_the_queue_and_others_cannot(office, client, web):
    ticket, _code = _open(office)
    login(client, "tech@a.example")
    queue = client.get("/helpdesk/").get_data(as_text=True)
    assert ticket.number in queue
    post(
        client,
        f"/helpdesk/{ticket.number}/status",
        {"status": "accepted"},
        token_page=f"/helpdesk/{ticket.number}",
    )
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).status == S.ACCEPTED
    queue = client.get("/helpdesk/").get_data(as_text=True)
    assert "รับเรื่องแล้ว" in queue and "<th>วันที่รับเรื่อง</th>" in queue  # the status, the date column
    clerk = web.test_client()
    login(clerk, "clerk@a.example")
    assert clerk.get(f"/helpdesk/{ticket.number}").status_code == 404  # not theirs, not their work
    stranger_office = make_office("สพม.ทดสอบ เขต 2", "B")
    make_user("tech@b.example", stranger_office["unit"], "computer_officer")
    db.session.commit()
    stranger = web.test_client()
    login(stranger, "tech@b.example")
    assert stranger.get(f"/helpdesk/{ticket.number}").status_code == 404
    teacher = web.test_client()
    login(teacher, "teacher@a.example")
    refused = post(teacher, f"/helpdesk/{ticket.number}/status", {"status": "done"}, token_page="/helpdesk/")
    assert refused.status_code == 403


def test_guessing_tracking_codes_is_slowed_down(office, web):
    ticket, code = _open(office)
    public = web.test_client()
    for _ in range(10):
        wrong = post(
            public,
            "/helpdesk/track",
            {"number": ticket.number, "code": "AAAAAAAA"},
            token_page="/helpdesk/track",
        )
        assert wrong.status_code == 200
    blocked = post(
        public, "/helpdesk/track", {"number": ticket.number, "code": code}, token_page="/helpdesk/track"
    )
    assert blocked.status_code == 429 and ticket.title not in blocked.get_data(as_text=True)


def test_a_repair_names_its_asset_and_joins_its_history(office, client):
    from plugins.helpdesk.assets.models import Asset, AssetType
    from plugins.helpdesk.assets.services import repair_history

    asset = Asset(
        office_id=office["office"].id,
        asset_number="7440-001-0001/2566",
        asset_type=AssetType.PRINTER,
        brand="ตัวอย่าง",
        location_id=office["school"].id,
    )
    db.session.add(asset)
    db.session.commit()
    login(client, "teacher@a.example")
    form = {"request_type": "repair", "title": "เครื่องพิมพ์ไม่ดึงกระดาษ"}
    unknown = post(client, "/helpdesk/new", {**form, "asset_number": "9999"}, token_page="/helpdesk/new")
    assert unknown.status_code == 200 and "9999" in unknown.get_data(as_text=True)
    assert db.session.query(Ticket).count() == 0
    post(client, "/helpdesk/new", {**form, "asset_number": "7440-001-0001/2566"}, token_page="/helpdesk/new")
    ticket = db.session.query(Ticket).one()
    assert ticket.asset_id == asset.id and ticket.number.endswith("-00001")  # the refused one used no number
    assert [entry.number for entry in repair_history(asset)] == [ticket.number]


def test_warnings_come_once_before_and_once_after_a_standard_is_missed(office):
    from datetime import datetime

    from plugins.helpdesk.sla import warn_due_tickets

    monday_9 = datetime(2026, 6, 8, 2)  # 09:00 in Bangkok; the first response is due at 14:00
    ticket, _code = services.open_ticket(
        office["office"].id,
        TicketRequest(RequestType.REPAIR, "จอภาพดับ"),
        office["teacher"],
        None,
        at=monday_9,
    )
    db.session.commit()
    assert warn_due_tickets(now=monday_9 + timedelta(hours=1)) == 0
    assert warn_due_tickets(now=monday_9 + timedelta(hours=4, minutes=30)) == 1  # 13:30
    assert warn_due_tickets(now=monday_9 + timedelta(hours=4, minutes=40)) == 0  # said once
    assert warn_due_tickets(now=monday_9 + timedelta(hours=6)) == 1  # 15:00: missed
    assert _updates(office["head"]) == ["due_soon", "overdue"]  # nobody has it: the dispatcher hears
    services.change_status(ticket, S.IN_PROGRESS, office["tech"], at=monday_9 + timedelta(hours=6))
    services.change_status(ticket, S.WAITING_PARTS, office["tech"], at=monday_9 + timedelta(hours=6))
    db.session.commit()
    assert warn_due_tickets(now=monday_9 + timedelta(days=30)) == 0  # the clock stands while waiting


def test_another_plugin_asks_for_a_service_and_nothing_breaks_without_the_helpdesk(office):
    from core.plugins.contributions import ServiceRequest
    from core.plugins.requests import ask_for_service

    request = ServiceRequest(
        office_id=office["office"].id,
        title="จานรับสัญญาณดาวเทียมไม่มีสัญญาณ",
        kind="repair",
        requester_name=office["school"].name,
        requester_unit_id=office["school"].id,
        origin="dltv",
    )
    number = ask_for_service(request)
    ticket = db.session.query(Ticket).filter_by(number=number).one()
    assert ticket.requester_unit_id == office["school"].id and ticket.request_type == "repair"
    record = db.session.get(ServiceRecord, ticket.service_record_id)
    assert record.requester_unit_id == office["school"].id  # the report counts it for the school
    set_plugin_enabled(office["office"].id, "helpdesk", False)
    db.session.commit()
    assert ask_for_service(request) is None
    assert db.session.query(Ticket).count() == 1


def test_the_repair_form_prints_with_the_work_recorded(office, client):
    from tests.plugins.helpdesk.printed import pdf_text

    ticket, _code = _open(office)
    services.assign(ticket, office["tech"], office["head"])
    services.change_status(ticket, S.IN_PROGRESS, office["tech"], note="เปลี่ยนลูกยางดึงกระดาษ")
    db.session.commit()
    login(client, "teacher@a.example")
    text = pdf_text(client.get(f"/helpdesk/{ticket.number}.pdf").data)
    for expected in (
        "แบบฟอร์มแจ้งซ่อม",
        ticket.number,
        "ครูใจ ดีงาม",
        "ช่างดี มีฝีมือ",
        "เปลี่ยนลูกยางดึงกระดาษ",
        "ผู้อำนวยการกลุ่ม",
    ):
        assert expected in text, expected


def test_the_queue_finds_tickets_by_any_part_of_number_subject_or_requester(office, client):
    first, _code = _open(office, "เครื่องพิมพ์ห้องธุรการกระดาษติด")
    second, _code = _open(office, "ขอติดตั้งโปรแกรมป้องกันไวรัส", RequestType.SOFTWARE)
    login(client, "tech@a.example")

    def found(term: str) -> list[str]:
        page = client.get("/helpdesk/", query_string={"show": "all", "q": term}).get_data(as_text=True)
        return [t.number for t in (first, second) if f">{t.number}<" in page]

    assert found("กระดาษติด") == [first.number]  # Thai has no spaces: any fragment
    assert found("ไวรัส") == [second.number]
    assert found(second.number[-5:]) == [second.number]
    assert found("ครูใจ") == [first.number, second.number]
    assert found("ไวรัส ครูใจ") == [second.number]  # every word: each a MATCH of its own on SQLite
    assert found("ไม่มีเรื่องนี้") == []


def test_only_the_office_technicians_are_offered_for_assignment(office):
    elsewhere = make_office("สพม.ทดสอบ เขต 2", "B")
    make_user("tech@b.example", elsewhere["unit"], "computer_officer")
    make_user("gone@a.example", office["unit"], "computer_officer", active=False)
    db.session.commit()
    offered = {person.email for person in services.technicians(office["office"].id)}
    assert offered == {"tech@a.example", "head@a.example"}


def test_the_queue_does_not_query_once_per_row(office, client, web):
    """Each row names the requester's unit and the assignee: they are read for the whole page."""
    first, _code = _open(office)
    services.assign(first, office["tech"], office["head"])
    db.session.commit()
    shown = (first.title, first.requester_name, first.requester_unit.name, office["tech"].name)
    login(client, "tech@a.example")
    with web.app_context():
        engine = db.engine

    def statements() -> int:
        seen: list[str] = []

        def record(connection, cursor, statement, *args) -> None:
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            page = client.get("/helpdesk/", query_string={"show": "all"}).get_data(as_text=True)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        row = re.search(rf"<tr>\s*<td><a [^>]*>{first.number}</a>.*?</tr>", page, re.S)
        assert row is not None and all(value in row.group(0) for value in shown)
        assert "แจ้งซ่อมคอมพิวเตอร์" in row.group(0)  # the kind of request, in Thai
        return len(seen)

    alone = statements()
    for requester, assignee in ((office["clerk"], office["head"]), (office["head"], None)):
        ticket, _code = services.open_ticket(
            office["office"].id, TicketRequest(RequestType.PHONE, "สอบถามการใช้อีเมล"), requester, requester
        )
        if assignee:
            services.assign(ticket, assignee, office["head"])
    db.session.commit()
    assert statements() == alone


def test_a_search_lists_the_newest_matches_first_and_pages_on_to_older_ones(office, client, monkeypatch):
    monkeypatch.setattr(services, "PAGE_SIZE", 1)
    older, _code = _open(office, "เครื่องพิมพ์ห้องสมุดกระดาษติด")
    _open(office, "ขอติดตั้งโปรแกรมป้องกันไวรัส", RequestType.SOFTWARE)
    newer, _code = _open(office, "เครื่องพิมพ์ห้องธุรการกระดาษติด")
    login(client, "tech@a.example")

    def shown(**query: object) -> list[str]:
        page = client.get("/helpdesk/", query_string={"show": "all", "q": "กระดาษติด", **query})
        return [t.number for t in (older, newer) if f">{t.number}<" in page.get_data(as_text=True)]

    assert shown() == [newer.number]
    assert shown(before=newer.id) == [older.number]
    assert shown(before=older.id) == []


def _filed_by(office, name: str, title: str) -> Ticket:
    return _open(office, title, requester_name=name)[0]


def test_a_requester_s_name_finds_their_tickets_newest_first_by_any_path(office, monkeypatch):
    """On PostgreSQL a word in a few requester names is looked up through the names' vocabulary
    (``SearchIndex.newest``), in more names by walking the newest tickets: both find the same."""
    first = _filed_by(office, "นางสมหญิง แก้วศักดิ์", "เครื่องพิมพ์กระดาษติด")
    second = _filed_by(office, "นายสมชาย แก้วศักดิ์", "จอภาพไม่ติด")
    in_subject = _filed_by(office, "นายวิชัย ใจดี", "จอภาพของคุณแก้วศักดิ์กะพริบ")
    renamed = _filed_by(office, "นางมานี มีนา", "เมาส์เสีย")

    def found(search: str, before: int | None = None) -> list[int]:
        return [row.id for row in services.queue(office["office"].id, "all", search=search, before=before)]

    def every_answer() -> None:
        assert found("แก้วศักดิ์") == [renamed.id, in_subject.id, second.id, first.id]
        assert found("แก้วศักดิ์ จอภาพ") == [in_subject.id, second.id]  # every word, any column
        assert found("แก้วศักดิ์", before=second.id) == [first.id]
        assert found("สมชาย แก้วศักดิ์") == [second.id]
        assert found("ไม่มีใครชื่อนี้") == []

    renamed.requester_name = "นางมานี แก้วศักดิ์"  # a new name is in the vocabulary too
    db.session.commit()
    every_answer()
    monkeypatch.setattr("core.search.VOCABULARY_LOOKUP", 0)  # every word is common: walk
    every_answer()


def test_a_word_in_few_names_is_not_looked_for_by_walking_the_tickets(office, monkeypatch):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite's FTS5 index answers every word of three letters or more")
    _filed_by(office, "นายสมชาย แก้วศักดิ์", "จอภาพไม่ติด")
    _filed_by(office, "นายสมชาย แก้วศักดิ์", "เมาส์เสีย")
    kept = db.session.scalars(text("SELECT value FROM helpdesk_tickets_search_requester_name")).all()
    assert kept.count("นายสมชาย แก้วศักดิ์") == 1  # distinct names, kept by a trigger

    def walk(*args, **kwargs):
        raise AssertionError("walked the tickets")

    monkeypatch.setattr(services.TICKET_SEARCH.__class__, "narrowed", walk)
    assert len(services.queue(office["office"].id, "all", search="แก้วศักดิ์")) == 2
    monkeypatch.setattr("core.search.VOCABULARY_LOOKUP", 0)
    with pytest.raises(AssertionError, match="walked"):
        services.queue(office["office"].id, "all", search="แก้วศักดิ์")
