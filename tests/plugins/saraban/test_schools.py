"""The schools' side: letters from the office in a school's own inbox, their files (downloads
audited), acknowledged (who and when) with the sender told once every school has; a school's
letter to the office, registered on arrival by the central registry, never numbered by the school."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfWriter
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from core.audit.models import AuditEvent
from core.db import db
from core.notifications.models import Notification
from core.numbering.models import NumberSeries
from core.org.models import OrgUnit, OrgUnitKind
from plugins.saraban import services
from plugins.saraban.models import Letter, Register
from plugins.saraban.outgoing import sending
from plugins.saraban.outgoing.models import DeliveryChannel, LetterDelivery
from plugins.saraban.schools import services as schools
from plugins.saraban.schools.models import SchoolLetter, SchoolLetterStatus
from plugins.saraban.services import LetterError
from tests.conftest import login, make_office, make_user, post
from tests.plugins.saraban.conftest import register


@pytest.fixture
def people(office):
    school_b = OrgUnit(kind=OrgUnitKind.SCHOOL, name="โรงเรียนบ้านดอนแก้ว", parent=office["office"])
    school_c = OrgUnit(kind=OrgUnitKind.SCHOOL, name="โรงเรียนวัดป่าประดู่", parent=office["office"])
    db.session.add_all([school_b, school_c])
    db.session.flush()
    extra = {
        "principal": make_user(
            "principal@a.example", office["school"], "school_director", name="ผอ.โรงเรียน ใจดี"
        ),
        "school_clerk": make_user(
            "sclerk@a.example", office["school"], schools.SCHOOL_CLERK, name="ธุรการ โรงเรียน"
        ),
        "teacher_b": make_user("teacher.b@a.example", school_b, "teacher", name="ครูบี ตั้งใจ"),
        "teacher_c": make_user("teacher.c@a.example", school_c, "teacher", name="ครูซี ขยัน"),
    }
    db.session.commit()
    return {**office, **extra, "school_b": school_b, "school_c": school_c}


def signed_in(web, email: str):
    client = web.test_client()
    login(client, email)
    return client


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    data = BytesIO()
    writer.write(data)
    return data.getvalue()


def sent_letter(people, subject: str = "แจ้งปฏิทินการศึกษา 2570", channel=DeliveryChannel.SYSTEM) -> Letter:
    """A circular of the office with its PDF, sent to the first two schools."""
    letter = register(people, Register.CIRCULAR, subject)
    services.attach(letter, FileStorage(BytesIO(pdf_bytes()), "ปฏิทิน.pdf"), people["clerk"])
    sending.send_to_schools(letter, people["clerk"], [people["school"].id, people["school_b"].id], channel)
    db.session.commit()
    return letter


def delivery_to(letter: Letter, school: OrgUnit) -> LetterDelivery:
    db.session.expire_all()
    return db.session.scalar(
        select(LetterDelivery).where(
            LetterDelivery.letter_id == letter.id, LetterDelivery.school_id == school.id
        )
    )


def test_a_school_reads_its_letter_opens_the_file_and_acknowledges(people, web):
    letter = sent_letter(people)
    mine = delivery_to(letter, people["school"])
    teacher = signed_in(web, "teacher@a.example")
    inbox = teacher.get("/saraban/schools/inbox").get_data(as_text=True)
    assert "แจ้งปฏิทินการศึกษา 2570" in inbox and "ศธ 04123/ว 1" in inbox
    assert "แจ้งปฏิทินการศึกษา 2570" in teacher.get("/").get_data(as_text=True)  # the dashboard box
    page = f"/saraban/schools/inbox/{mine.id}"
    assert "ปฏิทิน.pdf" in teacher.get(page).get_data(as_text=True)
    [attachment] = letter.attachments
    download = teacher.get(f"{page}/files/{attachment.id}")
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    downloaded = db.session.scalars(select(AuditEvent).where(AuditEvent.type == "core.file.downloaded")).all()
    assert downloaded and downloaded[-1].actor_id == people["teacher"].id

    assert post(teacher, f"{page}/acknowledge", token_page=page).status_code == 302
    mine = delivery_to(letter, people["school"])
    assert mine.acknowledged_by_id == people["teacher"].id and mine.acknowledged_at is not None
    # The principal of the same school sees it done, and cannot acknowledge it twice.
    principal = signed_in(web, "principal@a.example")
    post(principal, f"{page}/acknowledge", token_page=page)
    assert delivery_to(letter, people["school"]).acknowledged_by_id == people["teacher"].id
    assert "ครูใจ ดีงาม" in principal.get(page).get_data(as_text=True)
    assert "แจ้งปฏิทินการศึกษา 2570" not in principal.get("/saraban/schools/inbox?waiting=1").get_data(
        as_text=True
    )
    # The sender sees who has and who has not; told only once every school has acknowledged.
    clerk = signed_in(web, "clerk@a.example")
    shown = clerk.get(f"/saraban/letters/{letter.id}").get_data(as_text=True)
    assert "1 / 2" in shown and "ครูใจ ดีงาม" in shown
    told = select(func.count()).where(
        Notification.recipient_id == people["clerk"].id,
        Notification.message == schools.ALL_ACKNOWLEDGED_MESSAGE,
    )
    assert db.session.scalar(told) == 0
    schools.acknowledge(delivery_to(letter, people["school_b"]), people["teacher_b"])
    db.session.commit()
    assert db.session.scalar(told) == 1
    # The register's การปฏิบัติ column tells the story in Thai.
    action = db.session.get(Letter, letter.id).action
    assert action.startswith("ส่ง โรงเรียน 2 แห่ง ทางระบบ ") and "โรงเรียนรับทราบครบ 2 แห่ง" in action
    assert "updated" in {e.type.rsplit(".", 1)[-1] for e in db.session.scalars(select(AuditEvent))}


def test_a_school_sees_only_its_own_letters(people, web):
    letter = sent_letter(people)
    page = f"/saraban/schools/inbox/{delivery_to(letter, people['school']).id}"
    [attachment] = letter.attachments
    other_school = signed_in(web, "teacher.c@a.example")
    assert "แจ้งปฏิทินการศึกษา" not in other_school.get("/saraban/schools/inbox").get_data(as_text=True)
    assert other_school.get(page).status_code == 404
    assert other_school.get(f"{page}/files/{attachment.id}").status_code == 404
    assert post(other_school, f"{page}/acknowledge", token_page="/saraban/schools/inbox").status_code == 404
    # The registers stay the office's: a school reaches neither them nor the letter's own page.
    teacher = signed_in(web, "teacher@a.example")
    assert teacher.get("/saraban/").status_code == 403
    assert teacher.get(f"/saraban/letters/{letter.id}").status_code == 404
    assert teacher.get(f"/saraban/letters/{letter.id}/files/{attachment.id}").status_code == 404
    # Another office's school, and office staff, have no inbox of this office's letters.
    other = make_office("สพม.ทดสอบ เขต 2", "B")
    make_user("teacher@b.example", other["school"], "teacher")
    db.session.commit()
    assert signed_in(web, "teacher@b.example").get(page).status_code == 404
    assert signed_in(web, "tech@a.example").get("/saraban/schools/inbox").status_code == 403
    # By post it is a record of the office only, not in the school's inbox.
    by_post = sent_letter(people, "ส่งทางไปรษณีย์", DeliveryChannel.POST)
    assert (
        signed_in(web, "teacher@a.example")
        .get(f"/saraban/schools/inbox/{delivery_to(by_post, people['school']).id}")
        .status_code
        == 404
    )


def test_a_school_sends_a_letter_and_the_registry_registers_it_on_arrival(people, web):
    principal = signed_in(web, "principal@a.example")
    form = "/saraban/schools/to-office/new"
    sent = post(
        principal,
        form,
        {
            "document_number": "ศธ 04123.045/12",
            "subject": "ขอส่งรายงานผลการใช้ DLTV",
            "addressee": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
            "urgency": "urgent",
            "files": (BytesIO(pdf_bytes()), "รายงาน.pdf"),
        },
        token_page=form,
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    school_letter = db.session.scalar(select(SchoolLetter))
    assert (school_letter.status, school_letter.school_id, len(school_letter.files)) == (
        SchoolLetterStatus.WAITING,
        people["school"].id,
        1,
    )
    assert db.session.scalar(select(func.count()).select_from(NumberSeries)) == 0  # nothing numbered
    assert db.session.scalar(
        select(Notification).where(
            Notification.recipient_id == people["clerk"].id, Notification.message == schools.SENT_IN_MESSAGE
        )
    )
    clerk = signed_in(web, "clerk@a.example")
    assert "ขอส่งรายงานผลการใช้ DLTV" in clerk.get("/saraban/schools/arrivals").get_data(as_text=True)
    page = f"/saraban/schools/letters/{school_letter.id}"
    registered = post(
        clerk,
        f"{page}/register",
        {"unit": str(people["group"].id), "retention": "ten_years"},
        token_page=page,
    )
    assert registered.status_code == 302
    db.session.expire_all()
    school_letter = db.session.get(SchoolLetter, school_letter.id)
    letter = school_letter.letter
    assert (
        school_letter.status == SchoolLetterStatus.REGISTERED
        and school_letter.handled_by_id == people["clerk"].id
    )
    assert (letter.register, letter.number, letter.document_number, letter.sender, letter.urgency) == (
        Register.RECEIVE,
        1,
        "ศธ 04123.045/12",
        "โรงเรียนทดสอบ A",
        "urgent",
    )
    assert [a.file_id for a in letter.attachments] == [row.file_id for row in school_letter.files]
    assert "ขอส่งรายงานผลการใช้ DLTV" not in clerk.get("/saraban/schools/arrivals").get_data(as_text=True)
    # The school sees its receipt number and was told it.
    shown = principal.get("/saraban/schools/to-office").get_data(as_text=True)
    assert f"1/{letter.be_year}" in shown
    assert db.session.scalar(
        select(Notification).where(
            Notification.recipient_id == people["principal"].id,
            Notification.message == schools.REGISTERED_MESSAGE,
        )
    )
    # Registered once: a second try is refused.
    with pytest.raises(LetterError):
        schools.register_arrival(school_letter, people["clerk"])


def test_the_registry_returns_a_letter_unregistered_with_the_reason(people, web):
    school_letter = schools.send_to_office(
        people["school_clerk"],
        schools.SchoolLetterText("ศธ 04123.045/13", "ขอส่งแบบสำรวจ", "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"),
        [FileStorage(BytesIO(pdf_bytes()), "แบบสำรวจ.pdf")],
    )
    db.session.commit()
    clerk = signed_in(web, "clerk@a.example")
    page = f"/saraban/schools/letters/{school_letter.id}"
    post(clerk, f"{page}/return", {"reason": " "}, token_page=page)  # no reason: refused
    db.session.expire_all()
    assert db.session.get(SchoolLetter, school_letter.id).status == SchoolLetterStatus.WAITING
    post(clerk, f"{page}/return", {"reason": "ไม่ใช่หนังสือของสำนักงานนี้"}, token_page=page)
    db.session.expire_all()
    returned = db.session.get(SchoolLetter, school_letter.id)
    assert (returned.status, returned.return_reason, returned.letter_id) == (
        SchoolLetterStatus.RETURNED,
        "ไม่ใช่หนังสือของสำนักงานนี้",
        None,
    )
    assert db.session.scalar(select(func.count()).select_from(Letter)) == 0
    shown = signed_in(web, "sclerk@a.example").get(page).get_data(as_text=True)
    assert "ไม่ใช่หนังสือของสำนักงานนี้" in shown


def test_bad_letters_from_schools_and_strangers_are_refused(people, web):
    principal = signed_in(web, "principal@a.example")
    form = "/saraban/schools/to-office/new"
    for data in (
        {"document_number": "", "subject": "ขอส่งรายงาน", "addressee": "ผอ.สพป."},
        {"document_number": "ศธ 04123.045/14", "subject": "ขอส่งรายงาน", "addressee": "ผอ.สพป."},  # no file
        {
            "document_number": "ศธ 04123.045/14",
            "subject": "ขอส่งรายงาน",
            "addressee": "ผอ.สพป.",
            "files": (BytesIO(b"MZ not a document"), "program.pdf"),
        },
    ):
        response = post(principal, form, data, token_page=form, content_type="multipart/form-data")
        assert response.status_code == 200
        assert "field-error" in response.get_data(as_text=True) or "flash-error" in response.get_data(
            as_text=True
        )
    assert db.session.scalar(select(func.count()).select_from(SchoolLetter)) == 0
    # Office staff do not send from a school; a school cannot register; another office sees nothing.
    with pytest.raises(LetterError):
        schools.send_to_office(
            people["tech"],
            schools.SchoolLetterText("x", "y", "z"),
            [FileStorage(BytesIO(pdf_bytes()), "a.pdf")],
        )
    school_letter = schools.send_to_office(
        people["principal"],
        schools.SchoolLetterText("ศธ 04123.045/15", "ขอส่งรายงาน", "ผอ.สพป."),
        [FileStorage(BytesIO(pdf_bytes()), "a.pdf")],
    )
    db.session.commit()
    page = f"/saraban/schools/letters/{school_letter.id}"
    assert post(principal, f"{page}/register", {"retention": "ten_years"}, token_page=page).status_code == 403
    assert signed_in(web, "teacher.b@a.example").get(page).status_code == 404  # another school
    other = make_office("สพม.ทดสอบ เขต 2", "B")
    make_user("clerk@b.example", other["unit"], "clerk")
    db.session.commit()
    outsider = signed_in(web, "clerk@b.example")
    assert outsider.get(page).status_code == 404
    assert "ขอส่งรายงาน" not in outsider.get("/saraban/schools/arrivals").get_data(as_text=True)
    assert db.session.get(SchoolLetter, school_letter.id).status == SchoolLetterStatus.WAITING
