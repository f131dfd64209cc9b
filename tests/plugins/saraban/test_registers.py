"""Registers and their numbers: one series per office, register and calendar year; numbers issued
under concurrency with no gap and no duplicate; never reused; document numbers with the prefix."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from flask import current_app

from core.audit.models import AuditEvent
from core.db import db
from core.i18n.thaidate import be_year
from plugins.saraban import services
from plugins.saraban.models import Letter, LetterKind, LetterStatus, LetterSubtype, Register
from plugins.saraban.services import LetterEntry, LetterError
from tests.conftest import make_office, make_user
from tests.plugins.saraban.conftest import PREFIX, register

CONCURRENT = 100


def test_each_register_counts_on_its_own_with_its_document_numbers(office):
    first, second = register(office), register(office)
    sent = register(office, Register.SEND, "ส่งรายงานผลการดำเนินงาน", addressee="ผู้อำนวยการโรงเรียน")
    circular = register(office, Register.CIRCULAR, "แจ้งกำหนดการอบรม", addressee="ผู้อำนวยการโรงเรียนทุกโรง")
    second_sent = register(office, Register.SEND, "ขอความอนุเคราะห์วิทยากร")
    order = register(office, Register.ORDER, "แต่งตั้งคณะกรรมการ")
    announcement = register(office, Register.ANNOUNCEMENT, "รับสมัครลูกจ้างชั่วคราว")
    year = be_year(first.year)
    assert [first.number, second.number] == [1, 2]
    # Circulars have their own "ว" series: they never move the send counter (AMSS++ did).
    assert (sent.document_number, second_sent.document_number) == (f"{PREFIX}/1", f"{PREFIX}/2")
    assert circular.document_number == f"{PREFIX}/ว 1"
    assert order.document_number == f"1/{year}" and announcement.document_number == f"1/{year}"
    assert (order.kind, order.subtype) == (LetterKind.DIRECTIVE, LetterSubtype.ORDER)
    assert (announcement.kind, announcement.subtype) == (LetterKind.PUBLICITY, LetterSubtype.ANNOUNCEMENT)
    assert (
        sent.sender == office["office"].name and sent.dated is not None
    )  # an outgoing letter is ours, today


def test_a_received_letter_keeps_the_number_printed_on_it(office):
    letter = register(office, document_number="  ศธ 04002/ว 1234 ")
    assert letter.document_number == "ศธ 04002/ว 1234" and letter.number == 1


def test_series_run_per_office_and_start_again_on_1_january_in_bangkok(office):
    other = make_office("สพม.ทดสอบ เขต 2", "B")
    other_clerk = make_user("clerk@b.example", other["unit"], "clerk")
    db.session.commit()
    entry = LetterEntry(Register.RECEIVE, "หนังสือทดสอบ", sender="จังหวัด")
    late = services.register_letter(
        office["office"].id, entry, office["clerk"], at=datetime(2026, 12, 31, 16, 59)
    )
    new_year = services.register_letter(
        office["office"].id, entry, office["clerk"], at=datetime(2026, 12, 31, 17, 0)
    )
    elsewhere = services.register_letter(
        other["office"].id, entry, other_clerk, at=datetime(2026, 12, 31, 16, 0)
    )
    # 17:00 UTC on 31 December is midnight in Bangkok: a new register, from 1.
    assert (late.year, late.number) == (2026, 1)
    assert (new_year.year, new_year.number) == (2027, 1)
    assert (elsewhere.year, elsewhere.number) == (2026, 1)


def test_an_office_moving_from_a_paper_book_continues_its_numbers(office):
    office_id = office["office"].id
    year = services.this_year()
    services.set_start(office_id, Register.RECEIVE, year, 1575)
    db.session.commit()
    assert register(office).number == 1575
    assert register(office).number == 1576
    assert register(office, Register.SEND, "หนังสือส่ง", addressee="ผู้รับ").number == 1  # only the receive book
    with pytest.raises(LetterError):  # once numbers are out, the series never restarts or jumps
        services.set_start(office_id, Register.RECEIVE, year, 2000)
    with pytest.raises(LetterError):
        services.set_start(office_id, Register.SEND, year + 1, 0)


def test_a_mistaken_entry_is_cancelled_and_its_number_never_comes_back(office):
    mistaken = register(office, subject="ลงทะเบียนผิดเรื่อง")
    services.cancel_letter(mistaken, office["clerk"], "ลงทะเบียนซ้ำกับเลขรับ 2")
    db.session.commit()
    following = register(office)
    assert mistaken.status == LetterStatus.CANCELLED and mistaken.cancel_reason == "ลงทะเบียนซ้ำกับเลขรับ 2"
    assert following.number == 2
    assert db.session.get(Letter, mistaken.id) is not None  # kept, marked cancelled
    with pytest.raises(LetterError):
        services.cancel_letter(mistaken, office["clerk"], "อีกครั้ง")
    with pytest.raises(LetterError):
        services.cancel_letter(following, office["clerk"], "   ")


def test_a_refused_entry_takes_no_number(office):
    for entry in (
        LetterEntry(Register.RECEIVE, "   ", sender="ที่ใดที่หนึ่ง"),
        LetterEntry(Register.RECEIVE, "ไม่มีผู้ส่ง"),
        LetterEntry(Register.RECEIVE, "คำสั่ง", sender="กระทรวง", kind=LetterKind.DIRECTIVE),  # sub-type?
        LetterEntry(
            Register.RECEIVE, "ข่าว", sender="กระทรวง", kind=LetterKind.EXTERNAL, subtype=LetterSubtype.NEWS
        ),
        LetterEntry(Register.RECEIVE, "หน่วยอื่น", sender="กระทรวง", unit_id=office["school"].id),
        LetterEntry(Register.RECEIVE, "ด่วน?", sender="กระทรวง", urgent_by=datetime(2026, 1, 1)),
        LetterEntry(Register.RECEIVE, "คนนอก", sender="กระทรวง", named_ids=(office["teacher"].id + 1000,)),
    ):
        with pytest.raises(LetterError):
            services.register_letter(office["office"].id, entry, office["clerk"])
        db.session.rollback()
    assert register(office).number == 1


def test_sending_needs_a_prefix_and_a_unit_may_write_under_its_own(office):
    services.set_prefix(office["office"].id, office["group"].id, "ศธ 04123.05")
    db.session.commit()
    from_unit = register(office, Register.SEND, "จากงานในกลุ่ม", addressee="โรงเรียน", unit_id=office["unit"].id)
    assert from_unit.document_number == "ศธ 04123.05/1"  # the work unit writes under its group's prefix
    with pytest.raises(LetterError):
        services.set_prefix(office["office"].id, office["group"].id, "ศธ 04123/05")
    bare = make_office("สพม.ทดสอบ เขต 2", "B")
    clerk = make_user("clerk@b.example", bare["unit"], "clerk")
    db.session.commit()
    with pytest.raises(LetterError):
        services.register_letter(
            bare["office"].id, LetterEntry(Register.CIRCULAR, "เวียน", addressee="ทุกโรง"), clerk
        )


def test_registering_and_cancelling_are_in_the_audit_trail_without_the_content(office):
    letter = register(office, subject="เรื่องที่ไม่ควรอยู่ในบันทึกการตรวจสอบ")
    services.cancel_letter(letter, office["clerk"], "ผิดพลาด")
    db.session.commit()
    events = (
        db.session.query(AuditEvent).filter_by(subject_key="saraban.letter", subject_id=str(letter.id)).all()
    )
    assert [e.type for e in events] == [
        "saraban.letter.created",
        "saraban.letter_access.created",  # the clerk may read what they registered
        "saraban.letter.updated",
    ]
    assert "ไม่ควรอยู่" not in str([e.data for e in events])  # a secret subject would be secret here too
    assert events[2].data["changes"]["status"] == ["registered", "cancelled"]


def test_concurrent_registrations_get_consecutive_numbers(office, database_url):
    """A hundred clerks press "register" at once, each on their own connection."""
    office_id, clerk_id = office["office"].id, office["clerk"].id
    db.session.commit()
    application = current_app._get_current_object()
    barrier = threading.Barrier(CONCURRENT)
    issued: list[int] = []
    failures: list[str] = []

    def clerk_registers(n: int) -> None:
        with application.app_context():
            barrier.wait()
            try:
                clerk = db.session.get(type(office["clerk"]), clerk_id)
                entry = LetterEntry(Register.RECEIVE, f"หนังสือฉบับที่ {n}", sender="กระทรวงศึกษาธิการ")
                issued.append(services.register_letter(office_id, entry, clerk).number)
                db.session.commit()
            except Exception as error:  # reported by the assertion below
                failures.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=clerk_registers, args=(n,)) for n in range(CONCURRENT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(issued) == list(range(1, CONCURRENT + 1))
    stored = db.session.query(Letter.number).filter_by(office_id=office_id).order_by(Letter.number).all()
    assert [number for (number,) in stored] == list(range(1, CONCURRENT + 1))
