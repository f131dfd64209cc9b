"""The clerk's pages: registering received and sent letters, cancelling, the register settings;
secret letters read only by the people listed on them and the head of the office."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from core.audit.models import AuditEvent
from core.db import db
from plugins.saraban import services
from plugins.saraban.models import Letter, LetterStatus, Register, Secrecy, Urgency
from tests.conftest import login, make_user, post
from tests.plugins.saraban.conftest import PREFIX, register

RECEIVED = {
    "kind": "external",
    "document_number": "ศธ 04002/ว 4512",
    "dated": "10/01/2569",
    "sender": "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
    "addressee": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
    "subject": "การประชุมชี้แจงแนวทางการประเมินผล",
    "urgency": "very_urgent",
    "urgent_by_date": "20/01/2569",
    "urgent_by_time": "12:00",
    "secrecy": "none",
    "unit": "",
    "retention": "ten_years",
}


def test_the_clerk_registers_a_received_letter_and_sees_the_stamp(office, client):
    login(client, "clerk@a.example")
    response = post(client, "/saraban/new/receive", RECEIVED, token_page="/saraban/new/receive")
    letter = db.session.scalar(select(Letter))
    assert response.status_code == 302 and response.location.endswith(f"/saraban/letters/{letter.id}")
    assert (letter.number, letter.document_number, letter.urgency) == (
        1,
        "ศธ 04002/ว 4512",
        Urgency.VERY_URGENT,
    )
    assert letter.dated.isoformat() == "2026-01-10"
    assert letter.urgent_by.isoformat() == "2026-01-20T05:00:00"  # 12:00 in Bangkok, stored in UTC
    page = client.get(response.location).get_data(as_text=True)
    assert "ลงทะเบียนแล้ว เลขที่ 1" in page and 'class="stamp-number">1<' in page
    assert "สพป.ทดสอบ เขต 1" in page.split('class="stamp"')[1]  # the agency on the stamp


def test_a_sent_letter_gets_its_number_and_a_circular_its_own(office, client):
    login(client, "clerk@a.example")
    sent = {**RECEIVED, "document_number": "", "sender": "", "subject": "ขอส่งรายงาน", "urgency": "normal"}
    sent.pop("urgent_by_date")
    post(client, "/saraban/new/send", sent, token_page="/saraban/new/send")
    post(client, "/saraban/new/circular", sent, token_page="/saraban/new/circular")
    post(client, "/saraban/new/order", {**sent, "kind": "external"}, token_page="/saraban/new/order")
    numbers = [letter.document_number for letter in db.session.scalars(select(Letter).order_by(Letter.id))]
    assert numbers == [f"{PREFIX}/1", f"{PREFIX}/ว 1", f"1/{services.this_year() + 543}"]


def test_bad_input_is_refused_with_a_message_and_takes_no_number(office, client):
    login(client, "clerk@a.example")
    for data in (
        {**RECEIVED, "subject": ""},
        {**RECEIVED, "dated": "10/01/2026"},  # a C.E. year in Thai
        {**RECEIVED, "urgent_by_time": "25:00"},
        {**RECEIVED, "urgency": "normal"},  # a deadline without urgency
        {**RECEIVED, "kind": "directive"},  # a directive names its sub-type
        {**RECEIVED, "unit": str(office["school"].id)},
        {**RECEIVED, "named": "999999"},
        {**RECEIVED, "sender": ""},
    ):
        page = post(client, "/saraban/new/receive", data, token_page="/saraban/new/receive")
        assert page.status_code == 200, data
        assert 'class="field-error"' in page.get_data(as_text=True) or "flash-error" in page.get_data(
            as_text=True
        )
    assert db.session.scalar(select(Letter)) is None
    post(client, "/saraban/new/receive", RECEIVED, token_page="/saraban/new/receive")
    assert db.session.scalar(select(Letter.number)) == 1


def test_registering_needs_the_permission_and_the_csrf_token(office, client, web):
    login(client, "clerk@a.example")
    forged = client.post("/saraban/new/receive", data=RECEIVED)
    assert forged.status_code == 400 and db.session.scalar(select(Letter)) is None
    director = web.test_client()
    login(director, "director@a.example")
    assert director.get("/saraban/").status_code == 200
    assert director.get("/saraban/new/receive").status_code == 403
    teacher = web.test_client()
    login(teacher, "teacher@a.example")
    assert teacher.get("/saraban/new/receive").status_code == 403


def test_a_mistaken_entry_is_cancelled_from_its_page_and_stays_in_the_register(office, client, web):
    letter = register(office, subject="ลงผิดฉบับ")
    login(client, "clerk@a.example")
    empty = post(
        client,
        f"/saraban/letters/{letter.id}/cancel",
        {"reason": ""},
        token_page=f"/saraban/letters/{letter.id}",
    )
    assert empty.status_code == 302 and db.session.get(Letter, letter.id).status == LetterStatus.REGISTERED
    post(
        client,
        f"/saraban/letters/{letter.id}/cancel",
        {"reason": "ลงซ้ำ"},
        token_page=f"/saraban/letters/{letter.id}",
    )
    db.session.expire_all()
    assert db.session.get(Letter, letter.id).status == LetterStatus.CANCELLED
    page = client.get("/saraban/").get_data(as_text=True)
    assert 'class="cancelled"' in page and "ยกเลิก: ลงซ้ำ" in page
    director = web.test_client()
    login(director, "director@a.example")
    refused = post(director, f"/saraban/letters/{letter.id}/cancel", {"reason": "x"}, token_page="/saraban/")
    assert refused.status_code == 403


def test_a_secret_letter_is_read_only_by_the_people_listed_and_the_director(office, client, web):
    other_clerk = make_user("clerk2@a.example", office["unit"], "clerk", name="ธุรการ อีกคน")
    db.session.commit()
    login(client, "clerk@a.example")
    post(
        client,
        "/saraban/new/receive",
        {**RECEIVED, "subject": "เรื่องลับเฉพาะ", "secrecy": "secret", "named": str(office["head"].id)},
        token_page="/saraban/new/receive",
    )
    register(office, subject="เรื่องเปิดเผย")
    secret = db.session.scalar(select(Letter).where(Letter.secrecy == Secrecy.SECRET))
    readers = {
        "clerk@a.example": True,
        "head@a.example": True,
        "director@a.example": True,
        other_clerk.email: False,
    }
    for email, may in readers.items():
        reader = web.test_client()
        login(reader, email)
        listed = reader.get("/saraban/").get_data(as_text=True)
        exported = load_workbook(io.BytesIO(reader.get("/saraban/register.xlsx").data)).active
        subjects = [row[6] for row in exported.iter_rows(min_row=2, values_only=True)]
        assert ("เรื่องลับเฉพาะ" in listed) is may, email
        assert ("เรื่องลับเฉพาะ" in subjects) is may, email
        assert "เรื่องเปิดเผย" in listed and "เรื่องเปิดเผย" in subjects
        assert reader.get(f"/saraban/letters/{secret.id}").status_code == (200 if may else 404), email
    page = client.get(f"/saraban/letters/{secret.id}").get_data(as_text=True)
    assert "หัวหน้า ใจดี" in page.split("ผู้มีสิทธิ์อ่าน")[1]  # who may read it is shown


def test_the_settings_set_prefixes_and_first_numbers(office, client, web):
    login(client, "clerk@a.example")
    year = services.this_year()
    post(
        client,
        "/saraban/settings",
        {"prefix-unit": office["group"].id, "prefix-prefix": "ศธ 04123.7"},
        token_page="/saraban/settings",
    )
    post(
        client,
        "/saraban/settings",
        {"start-register": "send", "start-year": year, "start-start": 301},
        token_page="/saraban/settings",
    )
    assert services.office_prefixes(office["office"].id)[office["group"].id] == "ศธ 04123.7"
    sent = register(
        office, Register.SEND, "หนังสือส่งฉบับแรกของระบบ", addressee="โรงเรียน", unit_id=office["group"].id
    )
    assert sent.document_number == "ศธ 04123.7/301"
    again = post(
        client,
        "/saraban/settings",
        {"start-register": "send", "start-year": year, "start-start": 5},
        token_page="/saraban/settings",
    )
    assert again.status_code == 200 and "ออกเลขของปีนี้ไปแล้ว" in again.get_data(as_text=True)
    director = web.test_client()
    login(director, "director@a.example")
    assert director.get("/saraban/settings").status_code == 403


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _with_files(data: dict, *files: tuple[bytes, str]) -> dict:
    return {**data, "files": [(io.BytesIO(content), name) for content, name in files]}


def test_files_come_with_the_registration_and_go_only_to_its_readers(office, client, web):
    login(client, "clerk@a.example")
    secret = {**RECEIVED, "secrecy": "confidential", "subject": "เรื่องลับมีไฟล์"}
    post(
        client,
        "/saraban/new/receive",
        _with_files(secret, (PDF, "หนังสือเข้า.pdf")),
        token_page="/saraban/new/receive",
        content_type="multipart/form-data",
    )
    letter = db.session.scalar(select(Letter))
    (attachment,) = letter.attachments
    assert attachment.file.name == "หนังสือเข้า.pdf" and attachment.file.purpose == "saraban.attachment"
    url = f"/saraban/letters/{letter.id}/files/{attachment.id}"
    assert url in client.get(f"/saraban/letters/{letter.id}").get_data(as_text=True)
    download = client.get(url)
    assert download.status_code == 200 and download.data == PDF
    downloaded = db.session.scalar(select(AuditEvent).where(AuditEvent.type == "core.file.downloaded"))
    assert downloaded.actor_id == office["clerk"].id and downloaded.subject_id == str(attachment.file_id)
    make_user("clerk2@a.example", office["unit"], "clerk")
    db.session.commit()
    other = web.test_client()
    login(other, "clerk2@a.example")  # a clerk not listed on the secret letter
    assert other.get(url).status_code == 404
    director = web.test_client()
    login(director, "director@a.example")
    assert director.get(url).status_code == 200
    assert client.get(f"/saraban/letters/{letter.id + 1}/files/{attachment.id}").status_code == 404


def test_a_file_that_is_not_what_it_claims_refuses_the_whole_registration(office, client):
    login(client, "clerk@a.example")
    page = post(
        client,
        "/saraban/new/receive",
        _with_files(RECEIVED, (b"MZ\x90\x00 not a pdf", "หนังสือ.pdf")),
        token_page="/saraban/new/receive",
        content_type="multipart/form-data",
    )
    assert page.status_code == 200 and "หนังสือ.pdf" in page.get_data(as_text=True)
    assert db.session.scalar(select(Letter)) is None
    post(client, "/saraban/new/receive", RECEIVED, token_page="/saraban/new/receive")
    assert db.session.scalar(select(Letter.number)) == 1  # the refused one gave its number back


def test_files_over_the_size_limit_are_refused(office, make_app):
    small = make_app(KHET_MAX_UPLOAD_BYTES=1024).test_client()
    letter = register(office)
    login(small, "clerk@a.example")
    page = post(
        small,
        f"/saraban/letters/{letter.id}/files",
        _with_files({}, (PDF + b"x" * 2048, "ใหญ่.pdf")),
        token_page=f"/saraban/letters/{letter.id}",
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "ใหญ่.pdf" in page.get_data(as_text=True) and not db.session.get(Letter, letter.id).attachments


def test_a_top_secret_letter_is_a_register_entry_with_no_file(office, client):
    login(client, "clerk@a.example")
    top_secret = {**RECEIVED, "secrecy": "top_secret", "subject": "ลับที่สุด"}
    refused = post(
        client,
        "/saraban/new/receive",
        _with_files(top_secret, (PDF, "ลับที่สุด.pdf")),
        token_page="/saraban/new/receive",
        content_type="multipart/form-data",
    )
    assert refused.status_code == 200 and db.session.scalar(select(Letter)) is None
    post(client, "/saraban/new/receive", top_secret, token_page="/saraban/new/receive")
    letter = db.session.scalar(select(Letter))
    page = client.get(f"/saraban/letters/{letter.id}").get_data(as_text=True)
    assert f"/saraban/letters/{letter.id}/files" not in page  # no upload form
    later = post(
        client,
        f"/saraban/letters/{letter.id}/files",
        _with_files({}, (PDF, "ลับที่สุด.pdf")),
        token_page=f"/saraban/letters/{letter.id}",
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "ไม่จัดเก็บไฟล์" in later.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Letter, letter.id).attachments == []


def test_the_dashboard_shows_the_newest_letters_received(office, client, web):
    register(office, subject="ขอเชิญประชุมด่วน", urgency=Urgency.URGENT)
    register(office, subject="เรื่องลับบนหน้าแรก", secrecy=Secrecy.SECRET)
    make_user("clerk2@a.example", office["unit"], "clerk")
    db.session.commit()
    login(client, "clerk@a.example")
    page = client.get("/").get_data(as_text=True)
    box = page.split('data-widget="saraban.latest"')[1].split("</section>")[0]
    assert "ขอเชิญประชุมด่วน" in box and "ด่วน</span>" in box and "เรื่องลับบนหน้าแรก" in box
    colleague = web.test_client()
    login(colleague, "clerk2@a.example")
    box = (
        colleague.get("/")
        .get_data(as_text=True)
        .split('data-widget="saraban.latest"')[1]
        .split("</section>")[0]
    )
    assert "ขอเชิญประชุมด่วน" in box and "เรื่องลับบนหน้าแรก" not in box
    teacher = web.test_client()
    login(teacher, "teacher@a.example")
    assert 'data-widget="saraban.latest"' not in teacher.get("/").get_data(as_text=True)


def test_a_schools_clerk_does_not_reach_the_offices_registers(office, web):
    register(office, subject="หนังสือของสำนักงาน")
    make_user("clerk@school.example", office["school"], "clerk", role_unit=office["school"])
    db.session.commit()
    letter = db.session.scalar(select(Letter))
    school = web.test_client()
    login(school, "clerk@school.example")
    for path in ("/saraban/", "/saraban/new/receive", "/saraban/register.xlsx", "/saraban/search?q=หนังสือ"):
        assert school.get(path).status_code == 403, path
    assert school.get(f"/saraban/letters/{letter.id}").status_code == 404
    assert "หนังสือของสำนักงาน" not in school.get("/").get_data(as_text=True)
