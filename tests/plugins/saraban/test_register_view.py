"""The register page: the regulation's nine columns, filters, keyset pages without a count, the
register printed (PDF, official layout) and exported (XLSX), both audited; offices kept apart."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select, text

from core.audit.models import AuditEvent
from core.db import db
from plugins.saraban import services
from plugins.saraban.models import Letter, Register, Secrecy, Urgency
from plugins.saraban.services import LetterEntry, RegisterFilter
from tests.conftest import login, make_office, make_user
from tests.plugins.saraban.conftest import register

DATE_ERROR = "ไม่มีวันที่นี้ในปฏิทิน"
HEADERS = ("วันที่ลงทะเบียน", "เลขทะเบียนรับ", "ที่", "ลงวันที่", "จาก", "ถึง", "เรื่อง", "การปฏิบัติ", "หมายเหตุ")


def _rows(page: str) -> list[str]:
    """The subjects of the register's rows, top to bottom."""
    return [part.split("</span>")[0] for part in page.split('<span class="subject">')[1:]]


def test_the_register_shows_the_nine_columns_in_thai(office, client):
    register(office, document_number="ศธ 04002/ว 99", addressee="ผู้อำนวยการ สพป.", action="มอบกลุ่มนโยบาย")
    register(office, Register.SEND, "ส่งรายงาน", addressee="สพฐ.")
    login(client, "clerk@a.example")
    page = client.get("/saraban/").get_data(as_text=True)
    header = page.split("<thead>")[1].split("</thead>")[0]
    positions = [header.index(f">{title}<") for title in HEADERS]
    assert positions == sorted(positions)  # all nine, in the regulation's order
    assert "ศธ 04002/ว 99" in page and "มอบกลุ่มนโยบาย" in page
    sent = client.get("/saraban/?register=send").get_data(as_text=True)
    assert ">เลขทะเบียนส่ง<" in sent and ">เลขทะเบียนรับ<" not in sent


def test_urgency_shows_in_red_and_filters_narrow_the_register(office, client):
    register(office, subject="เรื่องปกติ")
    register(office, subject="เรื่องด่วนที่สุด", urgency=Urgency.MOST_URGENT, unit_id=office["group"].id)
    register(office, subject="เรื่องลับ", secrecy=Secrecy.CONFIDENTIAL)
    login(client, "clerk@a.example")

    def shown(**query: str) -> list[str]:
        return _rows(client.get("/saraban/", query_string=query).get_data(as_text=True))

    page = client.get("/saraban/").get_data(as_text=True)
    assert '<span class="urgency">ด่วนที่สุด</span>' in page  # saraban.css prints .urgency in red
    assert shown() == ["เรื่องลับ", "เรื่องด่วนที่สุด", "เรื่องปกติ"]  # newest first
    assert shown(urgency="most_urgent") == ["เรื่องด่วนที่สุด"]
    assert shown(secrecy="confidential") == ["เรื่องลับ"]
    assert shown(unit=str(office["group"].id)) == ["เรื่องด่วนที่สุด"]
    assert shown(register="send") == []
    assert shown(year=str(services.this_year() - 1)) == []
    bad = client.get("/saraban/", query_string={"since": "31/02/2569"})
    assert bad.status_code == 200 and DATE_ERROR in bad.get_data(as_text=True)


def test_a_date_range_selects_the_letters_registered_within_it(office, client):
    office_id = office["office"].id
    for day, subject in ((2, "วันที่สอง"), (3, "วันที่สาม"), (5, "วันที่ห้า")):
        entry = LetterEntry(Register.RECEIVE, subject, sender="กระทรวง")
        # 09:00 in Bangkok on that day of March 2026.
        services.register_letter(office_id, entry, office["clerk"], at=datetime(2026, 3, day, 2))
    db.session.commit()
    login(client, "clerk@a.example")

    def shown(since: str = "", until: str = "") -> list[str]:
        query = {"year": "2026", "since": since, "until": until}
        return _rows(client.get("/saraban/", query_string=query).get_data(as_text=True))

    assert shown("03/03/2569", "04/03/2569") == ["วันที่สาม"]
    assert shown("03/03/2569") == ["วันที่ห้า", "วันที่สาม"]
    assert shown(until="02/03/2569") == ["วันที่สอง"]
    assert shown("06/03/2569") == []


def test_pages_follow_on_by_number_without_counting(office, client, web, monkeypatch):
    monkeypatch.setattr(services, "PAGE_SIZE", 2)
    for n in range(5):
        register(office, subject=f"หนังสือลำดับ {n + 1}")
    login(client, "clerk@a.example")
    with web.app_context():
        engine = db.engine
    statements: list[tuple[str, object]] = []

    def seen(connection, cursor, statement, parameters, *args) -> None:
        statements.append((statement.lower(), parameters))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        first = client.get("/saraban/").get_data(as_text=True)
        second = client.get("/saraban/", query_string={"before": "4"}).get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert _rows(first) == ["หนังสือลำดับ 5", "หนังสือลำดับ 4"] and "before=4" in first
    assert _rows(second) == ["หนังสือลำดับ 3", "หนังสือลำดับ 2"]
    letters = [(s, p) for s, p in statements if "from saraban_letters" in s]
    assert letters and not [s for s, _p in letters if "count(" in s]
    # SQLite's dialect always writes an OFFSET after a LIMIT: it must stay 0.
    assert all(p[-1] == 0 for s, p in letters if "offset" in s)


@pytest.mark.parametrize(
    ("condition", "index"),
    [
        ("", "_saraban_letters_"),  # the unique constraint's (SQLite names it sqlite_autoindex_…)
        ("AND urgency = 'most_urgent'", "ix_saraban_letters_urgency"),
        ("AND secrecy = 'secret'", "ix_saraban_letters_secrecy"),
        ("AND unit_id = 3", "ix_saraban_letters_unit"),
    ],
)
def test_each_filter_reads_an_index_in_number_order(app, condition, index):
    """A million letters stay fast when a page is one walk down an index, with no sort."""
    query = (
        "SELECT id FROM saraban_letters WHERE office_id = 1 AND register = 'receive' AND year = 2026 "
        f"{condition} ORDER BY number DESC LIMIT 50"
    )
    with db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            plan = " ".join(str(row[-1]) for row in connection.execute(text(f"EXPLAIN QUERY PLAN {query}")))
            assert index in plan and "TEMP B-TREE" not in plan
        else:
            connection.execute(text("SET LOCAL enable_seqscan = off"))  # an empty table: ask as if large
            plan = " ".join(row[0] for row in connection.execute(text(f"EXPLAIN {query}")))
            assert index in plan and "Sort" not in plan


def test_other_offices_see_nothing_of_the_register(office, client, web):
    register(office, subject="เฉพาะเขต 1")
    other = make_office("สพม.ทดสอบ เขต 2", "B")
    make_user("clerk@b.example", other["unit"], "clerk")
    from core.plugins.offices import set_plugin_enabled

    set_plugin_enabled(other["office"].id, "saraban", True)
    db.session.commit()
    letter = db.session.scalar(select(Letter))
    stranger = web.test_client()
    login(stranger, "clerk@b.example")
    assert "เฉพาะเขต 1" not in stranger.get("/saraban/").get_data(as_text=True)
    assert stranger.get(f"/saraban/letters/{letter.id}").status_code == 404
    assert "เฉพาะเขต 1".encode() not in stranger.get("/saraban/register.xlsx").data
    teacher = web.test_client()
    login(teacher, "teacher@a.example")
    assert teacher.get("/saraban/").status_code == 403


def test_the_register_prints_in_the_official_layout_and_the_print_is_audited(office, client):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian's poppler-utils; CI installs it)")
    register(office, subject="ขอเชิญประชุมด่วน", urgency=Urgency.VERY_URGENT, document_number="ศธ 04002/ว 7")
    cancelled = register(office, subject="ลงผิด")
    services.cancel_letter(cancelled, office["clerk"], "ลงทะเบียนซ้ำ")
    db.session.commit()
    login(client, "clerk@a.example")
    response = client.get("/saraban/register.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    printed = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=response.data, capture_output=True, check=True
    ).stdout.decode()
    squeezed = "".join(printed.split())  # narrow columns wrap their words
    assert "ทะเบียนหนังสือรับ" in printed and f"พ.ศ. {services.this_year() + 543}" in printed
    for expected in (*HEADERS, "ขอเชิญประชุมด่วน", "ด่วนมาก", "ศธ04002/ว7", "ยกเลิก:ลงทะเบียนซ้ำ"):
        assert expected in squeezed, expected
    info = subprocess.run(
        ["pdfinfo", "-"], input=response.data, capture_output=True, check=True
    ).stdout.decode()
    width, height = (float(v) for v in info.split("Page size:")[1].split("pts")[0].split("x"))
    assert width > height  # A4 landscape
    exported = db.session.scalars(
        select(AuditEvent).where(AuditEvent.type == "saraban.register.exported")
    ).all()
    assert [e.data["format"] for e in exported] == ["pdf"] and exported[0].actor_id == office["clerk"].id


def test_the_register_exports_to_excel_with_its_columns(office, client):
    register(office, subject="ส่งแบบรายงาน", document_number="ศธ 04002/123")
    login(client, "clerk@a.example")
    response = client.get("/saraban/register.xlsx", query_string={"urgency": ""})
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:9] == HEADERS
    assert rows[1][1:3] == (1, "ศธ 04002/123") and rows[1][6] == "ส่งแบบรายงาน"
    assert (
        db.session.scalar(select(AuditEvent.data).where(AuditEvent.type == "saraban.register.exported"))[
            "format"
        ]
        == "xlsx"
    )


def test_an_export_too_large_is_refused_with_a_message(office, client, monkeypatch):
    from plugins.saraban import exports

    monkeypatch.setitem(exports.LIMITS, "pdf", 1)
    register(office)
    register(office)
    login(client, "clerk@a.example")
    response = client.get("/saraban/register.pdf", follow_redirects=True)
    assert response.mimetype == "text/html" and "ช่วงเวลาที่สั้นลง" in response.get_data(as_text=True)
    assert (
        db.session.scalar(select(AuditEvent.id).where(AuditEvent.type == "saraban.register.exported")) is None
    )


def test_the_years_offered_are_those_with_a_register(office):
    services.register_letter(
        office["office"].id,
        LetterEntry(Register.RECEIVE, "ปีก่อน", sender="กระทรวง"),
        office["clerk"],
        at=datetime.now() - timedelta(days=800),
    )
    db.session.commit()
    today = datetime.now().date()
    years = services.register_years(office["office"].id, today)
    assert years[0] == today.year and len(years) == 2
    assert (
        services.register_page(office["clerk"], RegisterFilter(Register.RECEIVE, years[1]))[0].subject
        == "ปีก่อน"
    )
