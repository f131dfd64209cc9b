"""Receiving and routing: the receipt stamp on the letter's PDF, central registry → group registry →
person, acknowledgements and reports filling the register's การปฏิบัติ, secret letters read only by
the person they are routed to, and "letters to me" with the most urgent first."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader, PdfWriter
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from core.audit.models import AuditEvent
from core.db import db
from core.notifications.models import Notification
from core.org.models import OrgUnit, OrgUnitKind
from plugins.saraban import services
from plugins.saraban.models import AccessReason, Letter, Register, Secrecy, Urgency
from plugins.saraban.routing import services as routing
from plugins.saraban.routing.models import Routing
from plugins.saraban.services import LetterEntry, LetterError
from tests.conftest import login, make_office, make_user, post

DAY = routing.thai_day


@pytest.fixture
def registry(office):
    """The office's central registry (กลุ่มอำนวยการ / งานสารบรรณ) and a deputy director; the DLICT
    group's director keeps the group's registry, its officer does the work."""
    group = OrgUnit(kind=OrgUnitKind.GROUP, name="กลุ่มอำนวยการ", parent=office["office"])
    unit = OrgUnit(kind=OrgUnitKind.WORK_UNIT, name="งานสารบรรณ", parent=group)
    db.session.add_all([group, unit])
    db.session.flush()
    central = make_user("central@a.example", unit, "clerk", name="สารบรรณ กลางดี", position="เจ้าพนักงานธุรการ")
    deputy = make_user(
        "deputy@a.example",
        office["office"],
        "deputy_director",
        name="รอง ช่วยงาน",
        position="รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
    )
    db.session.commit()
    return {**office, "central": central, "deputy": deputy, "admin_group": group}


def receive(people, subject="ขอเชิญประชุมเชิงปฏิบัติการ", pdf: bytes | None = None, **fields) -> Letter:
    """Register a received letter as the central registry, with its PDF if given, and commit."""
    fields.setdefault("sender", "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน")
    letter = services.register_letter(
        people["office"].id,
        LetterEntry(register=Register.RECEIVE, subject=subject, **fields),
        people["central"],
    )
    if pdf is not None:
        services.attach(letter, FileStorage(BytesIO(pdf), "หนังสือ.pdf"), people["central"])
    db.session.commit()
    return letter


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    data = BytesIO()
    writer.write(data)
    return data.getvalue()


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def signed_in(web, email: str):
    client = web.test_client()
    login(client, email)
    return client


def to(value) -> str:
    return f"unit:{value.id}" if isinstance(value, OrgUnit) else f"user:{value.id}"


def routings(letter: Letter) -> list[Routing]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Routing).where(Routing.letter_id == letter.id).order_by(Routing.id))
    )


def test_a_letter_goes_from_the_central_registry_to_the_group_to_a_person(registry, web):
    letter = receive(registry)
    page = f"/saraban/letters/{letter.id}"
    client = signed_in(web, "central@a.example")
    sent = post(
        client,
        f"/saraban/routing/letters/{letter.id}/route",
        {"route-to": to(registry["group"]), "route-instruction": "เพื่อดำเนินการ"},
        token_page=page,
    )
    assert sent.status_code == 302
    [to_group] = routings(letter)
    assert (to_group.to_unit_id, to_group.instruction, to_group.sent_by_id) == (
        registry["group"].id,
        "เพื่อดำเนินการ",
        registry["central"].id,
    )
    # The group's registry (its director) has it in "letters to me" and was told.
    client = signed_in(web, "head@a.example")
    inbox = client.get("/saraban/routing/inbox").get_data(as_text=True)
    assert "ขอเชิญประชุมเชิงปฏิบัติการ" in inbox and "เพื่อดำเนินการ" in inbox
    assert db.session.scalar(select(Notification).where(Notification.recipient_id == registry["head"].id))
    # The group sends it on to the officer: the group's hand-off counts as acknowledged.
    post(
        client,
        f"/saraban/routing/letters/{letter.id}/route",
        {"route-to": to(registry["tech"]), "route-instruction": "ร่างหนังสือตอบ"},
        token_page=page,
    )
    to_group, to_tech = routings(letter)
    assert to_group.acknowledged_by_id == registry["head"].id and to_tech.parent_id == to_group.id
    assert "ขอเชิญประชุมเชิงปฏิบัติการ" not in client.get("/saraban/routing/inbox").get_data(as_text=True)
    # The officer acknowledges and reports what was done.
    client = signed_in(web, "tech@a.example")
    assert "ร่างหนังสือตอบ" in client.get("/saraban/routing/inbox").get_data(as_text=True)
    post(client, f"/saraban/routing/routings/{to_tech.id}/acknowledge", token_page=page)
    post(
        client,
        f"/saraban/routing/routings/{to_tech.id}/done",
        {f"done-{to_tech.id}-note": "ส่งรายชื่อผู้เข้าประชุมแล้ว"},
        token_page=page,
    )
    _group, to_tech = routings(letter)
    assert to_tech.acknowledged_by_id == registry["tech"].id and to_tech.done_note == "ส่งรายชื่อผู้เข้าประชุมแล้ว"
    today = DAY(to_tech.sent_at)
    assert db.session.get(Letter, letter.id).action == (
        f"ส่ง กลุ่ม DLICT A {today} · หัวหน้า ใจดี รับทราบ {today} · ส่ง ช่างดี มีฝีมือ {today}"
        f" · ช่างดี มีฝีมือ รับทราบ {today} · ดำเนินการแล้ว {today}"
    )
    # The register's การปฏิบัติ column shows the trail; the letter's page shows who did what.
    client = signed_in(web, "central@a.example")
    register = client.get("/saraban/?register=receive").get_data(as_text=True)
    assert f"ช่างดี มีฝีมือ รับทราบ {today} · ดำเนินการแล้ว {today}" in register
    shown = client.get(page).get_data(as_text=True)
    assert "ส่งรายชื่อผู้เข้าประชุมแล้ว" in shown and "ร่างหนังสือตอบ" in shown
    kinds = {event.type for event in db.session.scalars(select(AuditEvent))}
    assert {"saraban.routing.created", "saraban.routing.updated"} <= kinds


def test_a_long_unit_name_is_shortened_in_the_register_as_thai_registers_write_it():
    assert (
        routing.short_name("กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร") == "กลุ่มส่งเสริมการศึกษาทางไกลฯ"
    )
    assert routing.short_name("กลุ่มอำนวยการ") == "กลุ่มอำนวยการ"


def test_only_the_recipient_acknowledges_and_reports(registry, web):
    letter = receive(registry)
    to_tech = routing.route(letter, registry["central"], routing.Recipient(user=registry["tech"]))
    db.session.commit()
    page = f"/saraban/letters/{letter.id}"
    client = signed_in(web, "head@a.example")  # reads the register, but the letter was not sent to them
    refused = post(client, f"/saraban/routing/routings/{to_tech.id}/acknowledge", token_page=page)
    assert refused.status_code == 302
    assert "flash flash-error" in client.get(page).get_data(as_text=True)
    post(
        client,
        f"/saraban/routing/routings/{to_tech.id}/done",
        {f"done-{to_tech.id}-note": "x"},
        token_page=page,
    )
    [to_tech] = routings(letter)
    assert to_tech.acknowledged_at is None and to_tech.done_at is None
    with pytest.raises(LetterError):
        routing.acknowledge(to_tech, registry["head"])
    # The recipient must say what was done; an empty report changes nothing.
    client = signed_in(web, "tech@a.example")
    post(
        client,
        f"/saraban/routing/routings/{to_tech.id}/done",
        {f"done-{to_tech.id}-note": " "},
        token_page=page,
    )
    assert routings(letter)[0].done_at is None


def test_a_refused_step_says_why_on_the_letter_page(registry, web):
    letter = receive(registry)
    client = signed_in(web, "central@a.example")
    page = f"/saraban/letters/{letter.id}"
    for value in (
        "",
        "unit:abc",
        f"unit:{registry['school'].id}",
        f"user:{registry['teacher'].id}",
        "user:999999",
    ):
        response = post(
            client, f"/saraban/routing/letters/{letter.id}/route", {"route-to": value}, token_page=page
        )
        assert response.status_code == 302, value
        assert 'class="flash flash-error' in client.get(page).get_data(as_text=True), value
    assert routings(letter) == []
    routing.route(letter, registry["central"], routing.Recipient(user=registry["tech"]))
    db.session.commit()
    with pytest.raises(LetterError, match="already waits"):
        routing.route(letter, registry["central"], routing.Recipient(user=registry["tech"]))
    services.cancel_letter(letter, registry["central"], "ลงทะเบียนซ้ำ")
    db.session.commit()
    with pytest.raises(LetterError, match="cancelled"):
        routing.route(letter, registry["central"], routing.Recipient(user=registry["head"]))
    assert not routing.may_route(registry["central"], letter)


def test_a_secret_letter_is_routed_to_a_person_who_alone_may_then_read_it(registry, web):
    letter = receive(registry, "ขอข้อมูลบุคลากร", secrecy=Secrecy.SECRET)
    with pytest.raises(LetterError, match="named person"):
        routing.route(letter, registry["central"], routing.Recipient(unit=registry["group"]))
    client = signed_in(web, "tech@a.example")
    page = f"/saraban/letters/{letter.id}"
    assert client.get(page).status_code == 404
    routing.route(letter, registry["central"], routing.Recipient(user=registry["tech"]), "โปรดพิจารณา")
    db.session.commit()
    assert "ขอข้อมูลบุคลากร" in client.get(page).get_data(as_text=True)
    db.session.expire_all()
    readers = {(access.user_id, access.reason) for access in db.session.get(Letter, letter.id).access}
    assert readers == {
        (registry["central"].id, AccessReason.REGISTRAR),
        (registry["tech"].id, AccessReason.ROUTED),
    }
    client = signed_in(web, "head@a.example")  # reads the registers, not this letter
    assert client.get(page).status_code == 404
    # The notification names the number, never a secret subject (it may go out by e-mail).
    [notice] = db.session.scalars(
        select(Notification).where(Notification.recipient_id == registry["tech"].id)
    )
    assert "ขอข้อมูลบุคลากร" not in str(notice.params)


def test_letters_to_me_show_the_most_urgent_first_in_red_and_the_dashboard_counts_them(registry, web):
    calm = receive(registry, "แจ้งวันหยุดราชการ")
    urgent = receive(registry, "ขอข้อมูลด่วนที่สุด", urgency=Urgency.MOST_URGENT)
    for letter in (calm, urgent):
        routing.route(letter, registry["central"], routing.Recipient(user=registry["tech"]))
    db.session.commit()
    client = signed_in(web, "tech@a.example")
    inbox = client.get("/saraban/routing/inbox").get_data(as_text=True)
    assert inbox.index("ขอข้อมูลด่วนที่สุด") < inbox.index("แจ้งวันหยุดราชการ")
    urgent_row = inbox[: inbox.index("ขอข้อมูลด่วนที่สุด")].rsplit("<tr", 1)[1]
    assert 'class="urgent"' in urgent_row
    dashboard = client.get("/").get_data(as_text=True)
    box = dashboard.split('data-widget="saraban.letters_to_me"')[1].split("</section>")[0]
    assert 'class="widget-count">2<' in box and "ขอข้อมูลด่วนที่สุด" in box
    assert routing.waiting_count(registry["tech"]) == 2
    routing.acknowledge(routing.inbox(registry["tech"])[0], registry["tech"])
    db.session.commit()
    assert [r.letter.subject for r in routing.inbox(registry["tech"])] == ["แจ้งวันหยุดราชการ"]


def test_another_office_sees_nothing_of_the_routing(registry, web):
    letter = receive(registry, pdf=blank_pdf())
    to_tech = routing.route(letter, registry["central"], routing.Recipient(user=registry["tech"]))
    other = make_office("สพม.อื่น เขต 9", "B")
    make_user("clerk@b.example", other["unit"], "clerk")
    db.session.commit()
    client = signed_in(web, "clerk@b.example")
    assert client.get(f"/saraban/routing/letters/{letter.id}/stamped.pdf").status_code == 404
    for path in (
        f"/saraban/routing/letters/{letter.id}/route",
        f"/saraban/routing/routings/{to_tech.id}/acknowledge",
        f"/saraban/routing/routings/{to_tech.id}/done",
    ):
        assert post(client, path, {"route-to": to(registry["tech"])}).status_code == 404, path
    assert "ขอเชิญประชุม" not in client.get("/saraban/routing/inbox").get_data(as_text=True)
    assert len(routings(letter)) == 1 and routings(letter)[0].acknowledged_at is None


def test_a_form_without_its_token_is_refused(registry, web):
    letter = receive(registry)
    client = signed_in(web, "central@a.example")
    response = client.post(
        f"/saraban/routing/letters/{letter.id}/route", data={"route-to": to(registry["tech"])}
    )
    assert response.status_code == 400 and routings(letter) == []
