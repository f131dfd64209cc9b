"""A year of correspondence for the demo office: invented letters, in Thai.

The year's registers are the office's books as a clerk keeps them (what was done written in the
การปฏิบัติ column); this week's letters are under way in the system: routed and waiting to be
acknowledged, proposed up the chain, a draft waiting for approval, a circular the schools are
acknowledging and a school's letter waiting to be registered.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from io import BytesIO

from werkzeug.datastructures import FileStorage

from core.auth.models import User
from core.i18n.thaidate import BANGKOK
from core.i18n.thaidate import today as local_today
from core.notifications import quietly
from core.org.models import OrgUnit, OrgUnitKind
from plugins.saraban.documents import DraftLetter, Signatory, render_external_letter
from plugins.saraban.models import LetterKind, Register, Retention, Secrecy, Urgency
from plugins.saraban.outgoing.models import DeliveryChannel, DraftForm
from plugins.saraban.outgoing.sending import send_to_schools
from plugins.saraban.outgoing.services import DraftText, new_draft
from plugins.saraban.routing.proposals import Note, propose
from plugins.saraban.routing.services import Recipient, acknowledge, report_done, route
from plugins.saraban.schools.services import SchoolLetterText, send_to_office
from plugins.saraban.services import LetterEntry, attach, register_letter, set_prefix

PREFIX = "ศธ 04999"  # a fictional office code: real codes belong to real offices
# Subjects are a request and a topic, as Thai letters are written.
REQUESTS = (
    "ขอเชิญประชุม",
    "ขอเชิญเข้าร่วมอบรม",
    "ขอความร่วมมือ",
    "ขอความอนุเคราะห์",
    "ขอส่งรายงาน",
    "แจ้งผลการพิจารณา",
    "แจ้งกำหนดการ",
    "ขออนุญาตไปราชการ",
    "ขออนุมัติโครงการ",
    "ขอส่งสำเนาคำสั่ง",
    "ประชาสัมพันธ์",
    "ขอเชิญส่งผลงาน",
    "ขอรับการสนับสนุนงบประมาณ",
    "ซักซ้อมแนวทาง",
    "การติดตามผล",
    "ขอข้อมูล",
    "ขอส่งตัวข้าราชการ",
    "แต่งตั้งคณะกรรมการ",
    "รายงานผลการดำเนินงาน",
    "ขอเลื่อนกำหนดการ",
)
TOPICS = (
    "การจัดการเรียนการสอนทางไกลผ่านดาวเทียม",
    "การประเมินคุณภาพภายนอก",
    "การทดสอบทางการศึกษาระดับชาติขั้นพื้นฐาน (O-NET)",
    "การรับนักเรียนปีการศึกษา 2570",
    "โครงการอาหารกลางวัน",
    "การป้องกันและแก้ไขปัญหายาเสพติดในสถานศึกษา",
    "การพัฒนาครูด้านเทคโนโลยีดิจิทัล",
    "การจัดซื้อจัดจ้างครุภัณฑ์คอมพิวเตอร์",
    "การประชุมผู้บริหารสถานศึกษา",
    "การคัดเลือกนักเรียนเข้าร่วมแข่งขันทักษะวิชาการ",
    "การย้ายข้าราชการครู",
    "การเลื่อนเงินเดือนข้าราชการครู",
    "มาตรการประหยัดพลังงาน",
    "การรายงานข้อมูลนักเรียนรายบุคคล (DMC)",
    "การนิเทศติดตามการจัดการเรียนรู้",
    "การส่งเสริมการอ่านออกเขียนได้",
    "ระบบสารบรรณอิเล็กทรอนิกส์",
    "การจัดงานวันครู",
    "การขับเคลื่อนหลักสูตรฐานสมรรถนะ",
    "การดูแลช่วยเหลือนักเรียน",
    "ความปลอดภัยในสถานศึกษา",
    "การลูกเสือ เนตรนารี และยุวกาชาด",
    "การประกันคุณภาพการศึกษา",
    "การจัดทำแผนปฏิบัติการประจำปี",
    "การเบิกจ่ายงบประมาณ",
    "การสอบคัดเลือกผู้บริหารสถานศึกษา",
    "ทุนการศึกษาสำหรับนักเรียนยากจน",
    "โครงการโรงเรียนคุณภาพประจำตำบล",
    "การพัฒนาห้องสมุดโรงเรียน",
    "สัปดาห์วิทยาศาสตร์แห่งชาติ",
    "การใช้อินเทอร์เน็ตความเร็วสูงในโรงเรียน",
    "การปฏิบัติราชการช่วงเทศกาลปีใหม่",
    "กีฬานักเรียนระดับเขตพื้นที่",
    "การจัดการศึกษาพิเศษ",
    "การบันทึกเวลาปฏิบัติราชการ",
    "การรักษาความปลอดภัยสารสนเทศ",
    "การแข่งขันหุ่นยนต์",
    "มหกรรมวิชาการ",
)
AGENCIES = (
    "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
    "สำนักงานศึกษาธิการจังหวัดตัวอย่าง",
    "ศาลากลางจังหวัดตัวอย่าง",
    "องค์การบริหารส่วนจังหวัดตัวอย่าง",
    "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาตัวอย่าง",
    "มูลนิธิการศึกษาทางไกลผ่านดาวเทียม",
    "สำนักงานตำรวจภูธรจังหวัดตัวอย่าง",
    "โรงพยาบาลตัวอย่าง",
    "มหาวิทยาลัยราชภัฏตัวอย่าง",
    "สำนักงานสาธารณสุขจังหวัดตัวอย่าง",
)
AGENCY_PREFIXES = ("ศธ 04006", "ศธ 0210.4", "ตย 0017", "ศธ 04998.12", "ศธ 0296")
# What the clerk wrote in the การปฏิบัติ column of the paper-style book.
ACTIONS = (
    "เสนอ ผอ.สพป. ทราบ",
    "เสนอ ผอ.สพป. / มอบ {group} ดำเนินการ",
    "ส่ง {group} ดำเนินการ",
    "แจ้งโรงเรียนในสังกัดทราบ",
    "ดำเนินการแล้ว เก็บเข้าแฟ้ม",
)
# Letters a week: received, sent, circulars, orders and announcements of an office this size.
PER_WEEK = {Register.RECEIVE: 6, Register.SEND: 2, Register.CIRCULAR: 1, Register.ORDER: 1}
ANNOUNCEMENTS_A_YEAR = 8


def create_demo(office: OrgUnit, people: dict[str, User], today: date | None = None) -> None:
    create_demo_letters(office, people, today)
    with quietly():
        create_letters_under_way(office, people, today)


def create_demo_letters(office: OrgUnit, people: dict[str, User], today: date | None = None) -> int:
    """The office's registers from the start of the year before last's last quarter to today."""
    rng = random.Random(2569)
    today = today or local_today()
    set_prefix(office.id, office.id, PREFIX)
    groups = [unit for unit in office.children if unit.kind == OrgUnitKind.GROUP]
    schools = [unit.name for unit in office.children if unit.kind == OrgUnitKind.SCHOOL]
    clerk, made = people["clerk"], 0
    day = today - timedelta(days=365)
    with quietly():
        while day < this_week(today):  # this week's letters are under way, not in the books
            if day.weekday() < 5:
                registers = [r for r, weekly in PER_WEEK.items() for _ in range(_today_count(rng, weekly))]
                if rng.random() < ANNOUNCEMENTS_A_YEAR / 250:
                    registers.append(Register.ANNOUNCEMENT)
                rng.shuffle(registers)
                at = datetime.combine(day, time(8, 30), BANGKOK)
                for register in registers:  # in time order: a number never comes before an earlier one
                    at += timedelta(minutes=rng.randrange(5, 90))
                    _register(office, clerk, register, at, rng, groups, schools, done=True)
                    made += 1
            day += timedelta(days=1)
    return made


def this_week(today: date) -> date:
    """The Monday the letters under way start on: this week's, or last week's early in the week."""
    return today - timedelta(days=today.weekday() + 7 * (today.weekday() < 2))


def _today_count(rng: random.Random, weekly: int) -> int:
    """How many letters of a register come on one working day, ``weekly`` a week on average."""
    return sum(rng.random() < weekly / 5 / 2 for _ in range(2))


def _register(office, clerk, register, at: datetime, rng, groups, schools, *, done: bool):
    day = at.date()
    group = rng.choice(groups)
    subject = f"{rng.choice(REQUESTS)}{rng.choice(TOPICS)}"
    outside = rng.choice(AGENCIES) if rng.random() < 0.6 else rng.choice(schools)
    urgency = rng.choices(list(Urgency), weights=(85, 8, 5, 2))[0]
    received = register is Register.RECEIVE
    entry = LetterEntry(
        register=register,
        subject=subject,
        kind=LetterKind.EXTERNAL if received or rng.random() < 0.7 else LetterKind.INTERNAL,
        document_number=f"{rng.choice(AGENCY_PREFIXES)}/{rng.randrange(1, 9000)}" if received else "",
        dated=day - timedelta(days=rng.randrange(0, 4)) if received else None,
        sender=outside if received else "",
        addressee=f"ผู้อำนวยการ{office.name}"
        if received
        else (outside if register is Register.SEND else "สถานศึกษาในสังกัด"),
        action=rng.choice(ACTIONS).format(group=group.name) if done else "",
        urgency=urgency,
        secrecy=Secrecy.CONFIDENTIAL if rng.random() < 0.01 else Secrecy.NONE,
        unit_id=group.id,
        retention=Retention.ONE_YEAR if rng.random() < 0.15 else Retention.TEN_YEARS,
    )
    return register_letter(office.id, entry, clerk, at=at.astimezone(UTC).replace(tzinfo=None))


# --- this week: letters under way ----------------------------------------------------------

INVITATION = "ขอเชิญประชุมเชิงปฏิบัติการการจัดการเรียนการสอนทางไกลผ่านดาวเทียม"
SURVEY = "ขอความร่วมมือสำรวจความพร้อมของอุปกรณ์รับสัญญาณดาวเทียม"
BUDGET = "แจ้งจัดสรรงบประมาณจัดซื้อครุภัณฑ์คอมพิวเตอร์สำหรับโรงเรียน"
LETTER_BODY = (
    "ด้วยสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐานกำหนดจัดประชุมเชิงปฏิบัติการ"
    "การใช้ระบบการจัดการเรียนการสอนทางไกลผ่านดาวเทียม ในวันที่ 3 ธันวาคม 2569 ณ ห้องประชุมสำนักงาน",
    "จึงเรียนมาเพื่อโปรดพิจารณามอบหมายผู้เกี่ยวข้องเข้าร่วมประชุม",
)


def create_letters_under_way(office: OrgUnit, people: dict[str, User], today: date | None = None) -> None:
    """What each demo person finds waiting for them: the DLICT group its letters, the technician a
    letter to act on, the group director a proposal and a draft, the school a circular."""
    today = today or local_today()
    clerk, dlict, tech = people["clerk"], people["dlict"], people["tech"]
    monday = this_week(today)
    dlict_group = dlict.org_unit
    invitation = _received(
        office, clerk, monday, "ขอเชิญประชุมเชิงปฏิบัติการการจัดการเรียนการสอนทางไกลผ่านดาวเทียม", Urgency.URGENT
    )
    _attach_letter_pdf(invitation, clerk)
    route(invitation, clerk, Recipient(unit=dlict_group), "โปรดพิจารณาดำเนินการ")
    survey = _received(
        office, clerk, monday + timedelta(days=1), "ขอความร่วมมือสำรวจความพร้อมของอุปกรณ์รับสัญญาณดาวเทียม"
    )
    routed = route(survey, clerk, Recipient(user=tech), "โปรดสำรวจและรายงานภายในวันศุกร์")
    acknowledge(routed, tech)
    report_done(routed, tech, "สำรวจโรงเรียนในสังกัดครบ 12 โรงแล้ว รายงานในระบบเรียบร้อย")
    budget = _received(
        office, clerk, monday + timedelta(days=1), "แจ้งจัดสรรงบประมาณจัดซื้อครุภัณฑ์คอมพิวเตอร์สำหรับโรงเรียน"
    )
    propose(
        budget,
        clerk,
        dlict_group.id,
        Note(
            background="สพฐ. แจ้งจัดสรรงบประมาณจัดซื้อครุภัณฑ์คอมพิวเตอร์ให้โรงเรียนในสังกัด",
            facts="โรงเรียนได้รับจัดสรร 4 โรง ต้องดำเนินการจัดซื้อให้แล้วเสร็จภายในไตรมาสที่ 2",
            proposal="เห็นควรมอบกลุ่มส่งเสริมการศึกษาทางไกลฯ ดำเนินการร่วมกับงานพัสดุ",
        ),
    )
    new_draft(
        tech,
        DraftText(
            form=DraftForm.MEMO,
            unit_id=tech.org_unit_id,
            agency=f"{dlict_group.name} {office.name}",
            subject="ขออนุมัติจัดอบรมการใช้ระบบสารบรรณอิเล็กทรอนิกส์แก่บุคลากร",
            addressee=f"ผู้อำนวยการ{office.name}",
            body="ด้วยสำนักงานเริ่มใช้ระบบสารบรรณอิเล็กทรอนิกส์ในการรับส่งหนังสือราชการ\n"
            "จึงขออนุมัติจัดอบรมบุคลากรจำนวน 2 รุ่น ณ ห้องปฏิบัติการคอมพิวเตอร์ของสำนักงาน",
            signer_id=dlict.id,
            signer_position=dlict.position or "",
        ),
    )
    circular = register_letter(
        office.id,
        LetterEntry(
            register=Register.CIRCULAR,
            subject="แจ้งตารางออกอากาศรายการการศึกษาทางไกลผ่านดาวเทียม ภาคเรียนที่ 2",
            addressee="สถานศึกษาในสังกัด",
            unit_id=dlict_group.id,
        ),
        clerk,
        at=_moment(monday + timedelta(days=2), 10),
    )
    schools = [unit.id for unit in office.children if unit.kind == OrgUnitKind.SCHOOL]
    send_to_schools(circular, clerk, schools, DeliveryChannel.SYSTEM)
    send_to_office(
        people["principal"],
        SchoolLetterText(
            document_number="ศธ 04999.101/45",
            subject="ขอรับการสนับสนุนช่างซ่อมจานรับสัญญาณดาวเทียม",
            addressee=f"ผู้อำนวยการ{office.name}",
            dated=today,
        ),
        [_pdf_upload(office, "ขอรับการสนับสนุนช่างซ่อมจานรับสัญญาณดาวเทียม", "หนังสือโรงเรียน.pdf")],
    )


def _moment(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), BANGKOK).astimezone(UTC).replace(tzinfo=None)


def _received(office: OrgUnit, clerk: User, day: date, subject: str, urgency: Urgency = Urgency.NORMAL):
    entry = LetterEntry(
        register=Register.RECEIVE,
        subject=subject,
        document_number=f"ศธ 04006/ว {random.Random(subject).randrange(1000, 5000)}",
        dated=day - timedelta(days=2),
        sender=AGENCIES[0],
        addressee=f"ผู้อำนวยการ{office.name}",
        urgency=urgency,
    )
    return register_letter(office.id, entry, clerk, at=_moment(day, 9))


def _pdf_upload(office: OrgUnit, subject: str, name: str) -> FileStorage:
    """A letter as an agency sends it, rendered as the regulation lays it out."""
    pdf = render_external_letter(
        DraftLetter(
            agency=AGENCIES[0],
            number="ศธ 04006/ว 2145",
            dated=local_today() - timedelta(days=3),
            subject=subject,
            addressee=f"ผู้อำนวยการ{office.name}",
            body=LETTER_BODY,
            signatory=Signatory("นายสมเกียรติ ตัวอย่างดี", "รองเลขาธิการคณะกรรมการการศึกษาขั้นพื้นฐาน"),
        )
    )
    return FileStorage(BytesIO(pdf), filename=name, content_type="application/pdf")


def _attach_letter_pdf(letter, clerk: User) -> None:
    attach(letter, _pdf_upload(letter.office, letter.subject, "หนังสือเชิญประชุม.pdf"), clerk)
