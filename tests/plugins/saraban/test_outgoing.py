"""Drafting a memo or an external letter, previewing it as PDF, sending it up the chain group
director → deputy → director, numbering it only when signed (send register, or the circular "ว"
series), the signed PDF, and sending it to schools one by one or by saved school group."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from core.approvals.chains import seed_chains
from core.audit.models import AuditEvent
from core.db import db
from core.notifications.models import Notification
from core.numbering.models import NumberSeries
from core.org.models import OrgUnit, OrgUnitKind
from plugins.saraban.models import Letter, Register, Secrecy
from plugins.saraban.outgoing import sending, services
from plugins.saraban.outgoing.models import (
    DeliveryChannel,
    Draft,
    DraftForm,
    DraftStatus,
    LetterDelivery,
    SchoolGroup,
)
from plugins.saraban.services import LetterError, set_prefix
from tests.conftest import PASSWORD, login, make_office, make_user, post
from tests.plugins.saraban.conftest import register

SUBJECT = "ขอเชิญประชุมผู้บริหารสถานศึกษา"


@pytest.fixture
def people(office):
    """The office with a deputy director, two more schools with their people, and the chain."""
    school_b = OrgUnit(kind=OrgUnitKind.SCHOOL, name="โรงเรียนบ้านดอนแก้ว", parent=office["office"])
    school_c = OrgUnit(kind=OrgUnitKind.SCHOOL, name="โรงเรียนวัดป่าประดู่", parent=office["office"])
    db.session.add_all([school_b, school_c])
    db.session.flush()
    extra = {
        "deputy": make_user("deputy@a.example", office["office"], "deputy_director", name="รอง ช่วยงาน"),
        "principal": make_user(
            "principal@a.example", office["school"], "school_director", name="ผอ.โรงเรียน ใจดี"
        ),
        "teacher_b": make_user("teacher.b@a.example", school_b, "teacher", name="ครูบี ตั้งใจ"),
        "teacher_c": make_user("teacher.c@a.example", school_c, "teacher", name="ครูซี ขยัน"),
    }
    office["director"].position = "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"
    seed_chains()
    db.session.commit()
    return {**office, **extra, "school_b": school_b, "school_c": school_c}


def signed_in(web, email: str):
    client = web.test_client()
    login(client, email)
    return client


def form_data(people, **changes) -> dict:
    data = {
        "form": "memo",
        "unit": str(people["unit"].id),
        "agency": "สพป.ทดสอบ เขต 1",
        "subject": SUBJECT,
        "addressee": "ผู้อำนวยการโรงเรียนในสังกัด",
        "referred_to": "หนังสือ สพฐ. ที่ ศธ 04002/ว 1234",
        "enclosures": "กำหนดการ จำนวน 1 ฉบับ",
        "body": "ด้วยสำนักงานเขตพื้นที่การศึกษาจะจัดประชุมผู้บริหาร\nจึงเรียนมาเพื่อโปรดทราบ",
        "signer": str(people["director"].id),
        "signer_position": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1",
        "urgency": "normal",
        "secrecy": "none",
        "retention": "ten_years",
        "channel": "system",
        "schools": [str(people["school"].id), str(people["school_b"].id)],
    }
    return {**data, **changes}


def draft_by_form(web, people, login_as: str = "tech@a.example", client=None, **changes):
    client = client or signed_in(web, login_as)
    response = post(
        client, "/saraban/outgoing/new", form_data(people, **changes), token_page="/saraban/outgoing/new"
    )
    db.session.expire_all()
    return client, response


def latest_draft() -> Draft | None:
    db.session.expire_all()
    return db.session.scalars(select(Draft).order_by(Draft.id.desc())).first()


def decide(web, email: str, draft: Draft, decision: str, *, action: str = "decide", comment: str = ""):
    """A superior acts on the draft on core's approval page, signing with the password."""
    db.session.expire_all()
    request = db.session.get(Draft, draft.id).request
    client = signed_in(web, email)
    page = f"/approvals/{request.id}"
    response = post(
        client,
        f"{page}/act",
        {"action": action, "decision": decision, "version": str(request.version), "password": PASSWORD,
         "comment": comment},
        token_page=page,
    )  # fmt: skip
    db.session.expire_all()
    return response


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def sign_all(web, draft: Draft) -> None:
    decide(web, "head@a.example", draft, "agree")
    decide(web, "deputy@a.example", draft, "agree")
    decide(web, "director@a.example", draft, "sign")


def test_a_memo_is_numbered_only_when_the_director_signs_it(people, web):
    client, response = draft_by_form(web, people)
    assert response.status_code == 302
    draft = latest_draft()
    assert (draft.status, draft.subject, draft.drafter_id) == (DraftStatus.DRAFT, SUBJECT, people["tech"].id)
    # The preview is the memo without its number or date.
    preview = client.get(f"/saraban/outgoing/drafts/{draft.id}/letter.pdf")
    assert preview.status_code == 200 and preview.mimetype == "application/pdf"
    text = pdf_text(preview.data)
    assert "บันทึกข้อความ" in text and SUBJECT in text and "ศธ 04123/" in text and "ศธ 04123/1" not in text

    assert (
        post(
            client, f"/saraban/outgoing/drafts/{draft.id}/submit", token_page="/saraban/outgoing/"
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert latest_draft().status == DraftStatus.PENDING
    # The group director agrees; the deputy returns it: back with the drafter, still unnumbered.
    decide(web, "head@a.example", draft, "agree")
    decide(web, "deputy@a.example", draft, "", action="return", comment="แก้ไขวันประชุม")
    draft = latest_draft()
    assert draft.status == DraftStatus.RETURNED and draft.letter_id is None
    assert db.session.scalar(select(func.count()).select_from(Letter)) == 0
    assert db.session.scalar(select(func.count()).select_from(NumberSeries)) == 0
    edit = post(
        client,
        f"/saraban/outgoing/drafts/{draft.id}/edit",
        form_data(people, body="ด้วยจะจัดประชุมในวันที่ 5 ธันวาคม\nจึงเรียนมาเพื่อโปรดทราบ"),
        token_page=f"/saraban/outgoing/drafts/{draft.id}/edit",
    )
    assert edit.status_code == 302
    post(client, f"/saraban/outgoing/drafts/{draft.id}/submit", token_page="/saraban/outgoing/")
    assert latest_draft().status == DraftStatus.PENDING
    sign_all(web, draft)

    draft = latest_draft()
    letter = draft.letter
    assert draft.status == DraftStatus.ISSUED
    assert (letter.register, letter.number, letter.document_number) == (Register.SEND, 1, "ศธ 04123/1")
    assert (letter.subject, letter.addressee, letter.kind) == (SUBJECT, "ผู้อำนวยการโรงเรียนในสังกัด", "internal")
    # The signed memo is the letter's first file: its number, its date, the electronic signature.
    signed = client.get(f"/saraban/outgoing/drafts/{draft.id}/letter.pdf")
    text = pdf_text(signed.data)
    assert "ศธ 04123/1" in text and "ลงนามอิเล็กทรอนิกส์" in text and "ผอ. ใจกว้าง" in text
    assert "5 ธันวาคม" in text
    assert str(letter.dated.year + 543) in text
    assert letter.attachments[0].file_id == draft.signed_file_id
    # The drafter hears the number; every step is in the audit trail.
    message = db.session.scalar(
        select(Notification).where(
            Notification.recipient_id == people["tech"].id, Notification.message == services.ISSUED_MESSAGE
        )
    )
    assert message.params["number"] == "ศธ 04123/1"
    kinds = {event.type for event in db.session.scalars(select(AuditEvent))}
    assert {
        "saraban.draft.created",
        "saraban.draft.updated",
        "saraban.letter.created",
        "saraban.delivery.created",
    } <= kinds


def test_a_circular_takes_the_circular_series_not_the_send_counter(people, web):
    register(people, Register.SEND, "หนังสือส่งฉบับก่อน")
    draft = services.new_draft(people["tech"], text(people, circular=True))
    services.submit_draft(draft, people["tech"])
    db.session.commit()
    sign_all(web, draft)
    letter = latest_draft().letter
    assert (letter.register, letter.number, letter.document_number) == (Register.CIRCULAR, 1, "ศธ 04123/ว 1")
    send = register(people, Register.SEND, "หนังสือส่งฉบับถัดไป")
    assert send.number == 2  # the send register went on from its own last number


def test_thai_digits_and_an_external_letter(people, web):
    people["office"].thai_digits = True
    db.session.commit()
    client, _response = draft_by_form(
        web, people, form="external", address="ถนนทดสอบ อำเภอเมือง", phone="0 4300 0000"
    )
    draft = latest_draft()
    text_ = pdf_text(client.get(f"/saraban/outgoing/drafts/{draft.id}/letter.pdf").data)
    assert "ศธ ๐๔๑๒๓/" in text_ and "ขอแสดงความนับถือ" in text_ and "๐ ๔๓๐๐ ๐๐๐๐" in text_


def text(people, **changes) -> services.DraftText:
    values = dict(
        form=DraftForm.MEMO,
        unit_id=people["unit"].id,
        agency="สพป.ทดสอบ เขต 1",
        subject=SUBJECT,
        addressee="ผู้อำนวยการโรงเรียนในสังกัด",
        body="ด้วยสำนักงานจะจัดประชุม\nจึงเรียนมาเพื่อโปรดทราบ",
        signer_id=people["director"].id,
        signer_position="ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
    )
    return services.DraftText(**{**values, **changes})


def test_signed_letters_go_to_the_schools_named_and_only_they_see_them(people, web):
    draft = services.new_draft(
        people["tech"], text(people, recipient_ids=(people["school"].id, people["school_b"].id))
    )
    services.submit_draft(draft, people["tech"])
    db.session.commit()
    sign_all(web, draft)
    letter = latest_draft().letter
    deliveries = sending.deliveries_of(letter)
    assert {d.school_id for d in deliveries} == {people["school"].id, people["school_b"].id}
    assert all(d.channel == DeliveryChannel.SYSTEM and d.sent_by_id == people["tech"].id for d in deliveries)
    # The schools' people are told; the third school hears nothing.
    told = set(
        db.session.scalars(
            select(Notification.recipient_id).where(Notification.subject_key == "saraban.letter")
        )
    )
    assert {people["teacher"].id, people["principal"].id, people["teacher_b"].id} <= told
    assert people["teacher_c"].id not in told
    # The sender's letter page shows who has acknowledged.
    clerk = signed_in(web, "clerk@a.example")
    page = clerk.get(f"/saraban/letters/{letter.id}").get_data(as_text=True)
    assert "0 / 2" in page and "โรงเรียนบ้านดอนแก้ว" in page


def test_the_clerk_sends_a_registered_letter_by_school_group_and_channel(people, web):
    letter = register(people, Register.CIRCULAR, "แจ้งปฏิทินการศึกษา")
    clerk = signed_in(web, "clerk@a.example")
    page = f"/saraban/letters/{letter.id}"
    made = post(
        clerk,
        "/saraban/outgoing/school-groups",
        {"name": "กลุ่มเครือข่ายที่ 1", "schools": [str(people["school_b"].id), str(people["school_c"].id)]},
        token_page="/saraban/outgoing/school-groups",
    )
    assert made.status_code == 302
    group = db.session.scalar(select(SchoolGroup))
    assert sorted(group.school_ids) == sorted([people["school_b"].id, people["school_c"].id])
    sent = post(
        clerk,
        f"/saraban/outgoing/letters/{letter.id}/send",
        {"groups": [str(group.id)], "schools": [str(people["school"].id)], "channel": "system"},
        token_page=page,
    )
    assert sent.status_code == 302
    assert len(sending.deliveries_of(letter)) == 3
    # Sent again to the same schools: refused with a message, nothing doubled.
    post(
        clerk,
        f"/saraban/outgoing/letters/{letter.id}/send",
        {"groups": [str(group.id)], "channel": "post"},
        token_page=page,
    )
    assert "flash-error" in clerk.get(page).get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(LetterDelivery)) == 3
    # By post: recorded with its note, not in the school's inbox.
    other = register(people, Register.SEND, "ส่งเอกสารทางไปรษณีย์")
    post(
        clerk,
        f"/saraban/outgoing/letters/{other.id}/send",
        {"schools": [str(people["school_c"].id)], "channel": "post", "note": "EMS EX123456789TH"},
        token_page=page,
    )
    [by_post] = sending.deliveries_of(other)
    assert (by_post.channel, by_post.note) == (DeliveryChannel.POST, "EMS EX123456789TH")
    db.session.expire_all()
    assert db.session.get(Letter, other.id).action.startswith("ส่ง โรงเรียนวัดป่าประดู่ ทางไปรษณีย์ ")
    inbox = signed_in(web, "teacher.c@a.example").get("/saraban/schools/inbox").get_data(as_text=True)
    assert "แจ้งปฏิทินการศึกษา" in inbox and "ส่งเอกสารทางไปรษณีย์" not in inbox


def test_bad_drafts_are_refused_with_a_message_and_change_nothing(people, web):
    refused = (
        {"subject": ""},
        {"unit": str(people["school"].id)},
        {"signer": str(people["teacher"].id)},
        {"secrecy": "confidential"},
        {"schools": ["999999"]},
        {"email": "not-an-address"},
        {"urgent_by_date": "01/01/2570"},
    )
    client = signed_in(web, "tech@a.example")
    for changes in refused:
        _client, response = draft_by_form(web, people, client=client, **changes)
        assert response.status_code == 200, changes
        assert "field-error" in response.get_data(as_text=True) or "flash-error" in response.get_data(
            as_text=True
        )
    assert latest_draft() is None
    with pytest.raises(LetterError):
        services.new_draft(people["tech"], text(people, secrecy=Secrecy.TOP_SECRET))
    with pytest.raises(LetterError):  # a secret letter never goes through the system to a school
        services.new_draft(
            people["tech"], text(people, secrecy=Secrecy.CONFIDENTIAL, recipient_ids=(people["school"].id,))
        )


def test_drafts_are_seen_by_their_people_and_never_by_another_office_or_a_school(people, web):
    draft = services.new_draft(people["tech"], text(people))
    db.session.commit()
    page = f"/saraban/outgoing/drafts/{draft.id}"
    assert signed_in(web, "tech@a.example").get(page).status_code == 200
    assert signed_in(web, "director@a.example").get(page).status_code == 200  # the signer
    assert signed_in(web, "clerk@a.example").get(page).status_code == 404  # not on it
    assert signed_in(web, "teacher@a.example").get("/saraban/outgoing/").status_code == 403
    other = make_office("สพม.ทดสอบ เขต 2", "B")
    make_user("tech@b.example", other["unit"], "computer_officer")
    db.session.commit()
    outsider = signed_in(web, "tech@b.example")
    assert outsider.get(page).status_code == 404
    assert outsider.get(f"{page}/letter.pdf").status_code == 404
    assert post(outsider, f"{page}/submit", token_page="/saraban/outgoing/").status_code == 404
    # The head of the group, once it is with him, reads it; only the drafter changes it.
    services.submit_draft(draft, people["tech"])
    db.session.commit()
    head = signed_in(web, "head@a.example")
    assert head.get(page).status_code == 200
    assert post(head, f"{page}/edit", form_data(people, subject="แก้"), token_page=page).status_code == 302
    db.session.expire_all()
    assert db.session.get(Draft, draft.id).subject == SUBJECT


def test_a_form_without_its_csrf_token_changes_nothing(people, web):
    client = signed_in(web, "tech@a.example")
    response = client.post("/saraban/outgoing/new", data=form_data(people))
    assert response.status_code in (200, 400)
    assert latest_draft() is None


def test_a_withdrawn_draft_is_never_numbered(people, web):
    draft = services.new_draft(people["tech"], text(people))
    services.submit_draft(draft, people["tech"])
    db.session.commit()
    client = signed_in(web, "tech@a.example")
    page = f"/saraban/outgoing/drafts/{draft.id}"
    post(client, f"{page}/withdraw", {"version": str(draft.request.version)}, token_page=page)
    db.session.expire_all()
    assert latest_draft().status == DraftStatus.WITHDRAWN and latest_draft().letter_id is None
    assert db.session.scalar(select(func.count()).select_from(Letter)) == 0


def test_a_draft_that_cannot_be_numbered_refuses_the_signature_and_changes_nothing(people, web):
    draft = services.new_draft(people["tech"], text(people))
    services.submit_draft(draft, people["tech"])
    db.session.commit()
    decide(web, "head@a.example", draft, "agree")
    decide(web, "deputy@a.example", draft, "agree")
    set_prefix(people["office"].id, people["office"].id, "")  # the office's prefix was removed meanwhile
    db.session.commit()
    response = decide(web, "director@a.example", draft, "sign")
    assert response.status_code == 200 and "flash-error" in response.get_data(as_text=True)
    draft = latest_draft()
    assert draft.status == DraftStatus.PENDING and draft.letter_id is None and draft.request.is_open
    assert db.session.scalar(select(func.count()).select_from(Letter)) == 0


def test_refusals_are_in_the_readers_language(people, web):
    people["tech"].locale = "en"
    db.session.commit()
    _client, response = draft_by_form(web, people, secrecy="confidential")
    assert "A secret letter goes to schools by post or by hand" in response.get_data(as_text=True)
    people["tech"].locale = "th"
    db.session.commit()
    _client, response = draft_by_form(web, people, secrecy="confidential")
    assert "หนังสือลับส่งถึงโรงเรียนทางไปรษณีย์หรือส่งด้วยมือ" in response.get_data(as_text=True)
