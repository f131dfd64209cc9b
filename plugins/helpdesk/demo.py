"""A year of the ICT service centre for the demo office: invented requests, in Thai."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from core.auth.models import User
from core.calendar.holidays import calendar_for
from core.db import db
from core.i18n.fiscal import fiscal_year, fiscal_year_range
from core.i18n.thaidate import BANGKOK
from core.notifications import quietly
from core.org.models import OrgUnit
from core.standards.models import ServiceRecord
from core.standards.survey import ITEMS, submit
from plugins.helpdesk import services
from plugins.helpdesk.models import RequestType, TicketStatus
from plugins.helpdesk.services import TicketRequest

S = TicketStatus

SUBJECTS = {
    RequestType.REPAIR: (
        "คอมพิวเตอร์ห้องธุรการเปิดไม่ติด",
        "เครื่องพิมพ์เลเซอร์กระดาษติดบ่อย",
        "จอภาพห้องประชุมไม่มีสัญญาณภาพ",
        "เมาส์และแป้นพิมพ์ใช้งานไม่ได้",
        "เครื่องสำรองไฟมีเสียงเตือนตลอดเวลา",
        "โน้ตบุ๊กชาร์จไฟไม่เข้า",
    ),
    RequestType.PHONE: (
        "สอบถามวิธีเชื่อมต่อ Wi-Fi ของสำนักงาน",
        "เข้าระบบสารบรรณอิเล็กทรอนิกส์ไม่ได้",
        "สอบถามวิธีสแกนเอกสารเป็น PDF",
        "อีเมลส่งไฟล์แนบขนาดใหญ่ไม่ได้",
    ),
    RequestType.SOFTWARE: (
        "ขอติดตั้งโปรแกรมจัดการสำนักงาน",
        "ขอติดตั้งโปรแกรมอ่านไฟล์ PDF",
        "ขอติดตั้งฟอนต์ราชการ TH Sarabun",
        "ขอติดตั้งโปรแกรมป้องกันไวรัส",
    ),
    RequestType.ACCOUNT: (
        "ขอเปิดบัญชีผู้ใช้ระบบสารบรรณอิเล็กทรอนิกส์",
        "ขอรีเซ็ตรหัสผ่านอีเมลหน่วยงาน",
        "ขอบัตรผู้ใช้งานเครือข่ายสำหรับครูบรรจุใหม่",
    ),
    RequestType.GENERAL: (
        "ขอใช้ห้องประชุมพร้อมอุปกรณ์นำเสนอ",
        "ขอสำรองข้อมูลเครื่องคอมพิวเตอร์ก่อนย้ายห้อง",
    ),
}
COMMENTS = ("ช่างมาเร็ว แก้ไขได้ตรงจุด", "อธิบายวิธีใช้งานเข้าใจง่าย", "รออะไหล่นานไปหน่อย")
TICKETS_PER_WORKING_DAY = (0, 1, 1, 1, 2)


def create_demo_tickets(office: OrgUnit, people: dict[str, User], today: date | None = None) -> int:
    """Tickets from the start of last fiscal year until today, most finished and rated."""
    rng = random.Random(2570)
    today = today or date.today()
    calendar = calendar_for(office.id)
    requesters = [people[login] for login in ("teacher", "principal", "clerk", "deputy") if login in people]
    tech = people["tech"]
    day, made = fiscal_year_range(fiscal_year(today) - 1)[0], 0
    with quietly():  # the past: nobody is notified of it today
        while day <= today:
            if calendar.is_working_day(day):
                for _ in range(rng.choice(TICKETS_PER_WORKING_DAY)):
                    _ticket(
                        office,
                        rng,
                        calendar,
                        day,
                        rng.choice(requesters),
                        tech,
                        recent=today - day < timedelta(days=5),
                    )
                    made += 1
            day += timedelta(days=1)
    return made


def _ticket(office, rng, calendar, day, requester, tech, *, recent: bool) -> None:
    kind = rng.choice(list(SUBJECTS))
    received = _utc(datetime.combine(day, time(8, 30), BANGKOK) + timedelta(minutes=rng.randrange(0, 420)))
    request = TicketRequest(kind, rng.choice(SUBJECTS[kind]), "", requester_phone="0 2000 0000")
    ticket, _code = services.open_ticket(office.id, request, requester, requester, at=received)
    services.assign(ticket, tech, tech)
    steps = [S.ACCEPTED, S.IN_PROGRESS]
    if kind == RequestType.REPAIR and rng.random() < 0.3:
        steps += [rng.choice((S.WAITING_PARTS, S.AT_VENDOR)), S.IN_PROGRESS]
    steps += [S.DONE, S.HANDED_OVER if kind == RequestType.REPAIR else S.CLOSED]
    if recent:
        steps = steps[: rng.randrange(0, len(steps))]  # this week's are still being worked on
    at = received
    for status in steps:
        at = calendar.add_working_time(at, timedelta(minutes=rng.choice((15, 40, 90, 240, 600))))
        services.change_status(ticket, status, tech, at=at)
        if status == S.DONE:
            _rate(ticket, requester, rng, at)


def _rate(ticket, requester: User, rng: random.Random, at: datetime) -> None:
    record = db.session.get(ServiceRecord, ticket.service_record_id)
    if rng.random() < 0.6:
        mood = rng.choice((5, 5, 4, 4, 3))
        scores = {key: max(1, min(5, mood + rng.choice((-1, 0, 0, 1)))) for key in ITEMS}
        response = submit(record, scores, rng.choice(COMMENTS) if rng.random() < 0.15 else None, requester)
        response.submitted_at = at + timedelta(hours=rng.uniform(1, 30))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)
