"""A year of the ICT service centre for the demo office: invented requests, in Thai."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from core.approvals.engine import act, open_request_for
from core.approvals.models import ActionKind
from core.auth.models import User
from core.calendar.holidays import calendar_for
from core.db import db
from core.i18n.fiscal import fiscal_year, fiscal_year_range
from core.i18n.thaidate import BANGKOK
from core.i18n.thaidate import today as local_today
from core.notifications import quietly
from core.org.models import OrgUnit, OrgUnitKind
from core.standards.models import ServiceRecord
from core.standards.survey import ITEMS, submit
from plugins.helpdesk import incomplete, intake, phone, repair, services, steps
from plugins.helpdesk.assets.models import Asset, AssetStatus, AssetType
from plugins.helpdesk.assets.services import office_units
from plugins.helpdesk.loans import services as loans
from plugins.helpdesk.loans.models import Condition
from plugins.helpdesk.models import (
    AccountDetails,
    AccountKind,
    DutyAssignment,
    RequestType,
    Step,
    Ticket,
    TicketStatus,
)
from plugins.helpdesk.phone import PhoneCall
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


def create_demo(office: OrgUnit, people: dict[str, User], today: date | None = None) -> None:
    """The centre's assets, a year and a bit of tickets about them, equipment loans, the order of
    duties and the work on the desk today."""
    assets = create_demo_assets(office, people, today)
    create_demo_tickets(office, people, assets, today)
    create_demo_loans(office, people, assets, today)
    create_demo_duties(office, people, today)
    with quietly():
        create_work_under_way(office, people, assets, today)


def create_demo_tickets(
    office: OrgUnit, people: dict[str, User], assets: list[Asset], today: date | None = None
) -> int:
    """Tickets from the start of last fiscal year until today, most finished and rated; repairs
    name the asset repaired, one of the requester's own place when it has one."""
    rng = random.Random(2570)
    assets_at: dict[int, list[Asset]] = {}
    for asset in assets:
        assets_at.setdefault(asset.location_id, []).append(asset)
    today = today or local_today()
    calendar = calendar_for(office.id)
    requesters = [people[login] for login in ("teacher", "principal", "clerk", "deputy") if login in people]
    tech = people["tech"]
    day, made = fiscal_year_range(fiscal_year(today) - 1)[0], 0
    with quietly():  # the past: nobody is notified of it today
        while day <= today:
            if calendar.is_working_day(day):
                for _ in range(rng.choice(TICKETS_PER_WORKING_DAY)):
                    requester = rng.choice(requesters)
                    _ticket(
                        office,
                        rng,
                        calendar,
                        day,
                        requester,
                        tech,
                        assets_at.get(requester.org_unit_id) or assets,
                        recent=today - day < timedelta(days=5),
                    )
                    made += 1
            day += timedelta(days=1)
    return made


def _ticket(office, rng, calendar, day, requester, tech, assets: list[Asset], *, recent: bool) -> None:
    kind = rng.choice(list(SUBJECTS))
    received = _utc(datetime.combine(day, time(8, 30), BANGKOK) + timedelta(minutes=rng.randrange(0, 420)))
    asset = rng.choice(assets) if kind == RequestType.REPAIR and assets else None
    ticket, _code = _open(office, requester, kind, rng.choice(SUBJECTS[kind]), asset, at=received)
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


# --- assets (ครุภัณฑ์) and loans --------------------------------------------------------------

ASSET_MODELS = {
    AssetType.DESKTOP: (
        "7440-001",
        ("Dell", "OptiPlex 7010"),
        ("Lenovo", "ThinkCentre M70t"),
        ("Acer", "Veriton M4690G"),
    ),
    AssetType.NOTEBOOK: (
        "7440-002",
        ("Lenovo", "ThinkPad E14"),
        ("Asus", "ExpertBook B1"),
        ("HP", "ProBook 440"),
    ),
    AssetType.PRINTER: (
        "7430-001",
        ("Brother", "HL-L5100DN"),
        ("Canon", "imageCLASS LBP6030"),
        ("Epson", "L6270"),
    ),
    AssetType.MONITOR: ("7440-003", ("Dell", "P2422H"), ("Samsung", "S24R350")),
    AssetType.PROJECTOR: ("6730-001", ("Epson", "EB-X51"), ("BenQ", "MX560")),
    AssetType.UPS: ("6130-001", ("APC", "Back-UPS 1200"), ("Syndome", "ECO II-1000")),
    AssetType.NETWORK: ("5820-001", ("Cisco", "CBS250-24T"), ("TP-Link", "TL-SG3428")),
    AssetType.SCANNER: (
        "7440-004",
        ("Fujitsu", "fi-7160"),
    ),
    AssetType.CONFERENCE: ("5820-002", ("Logitech", "Rally Bar"), ("Yealink", "UVC34")),
}
ASSETS_PER_PLACE = {AssetType.DESKTOP: 3, AssetType.PRINTER: 1, AssetType.UPS: 1}
OFFICE_EXTRAS = (
    (AssetType.NOTEBOOK,) * 4
    + (AssetType.PROJECTOR,) * 3
    + (
        AssetType.NETWORK,
        AssetType.NETWORK,
        AssetType.SCANNER,
        AssetType.CONFERENCE,
        AssetType.MONITOR,
    )
)
LESSOR = ("บริษัท ตัวอย่างไอที โซลูชั่น จำกัด", "02 000 0000")
SELLERS = ("ห้างหุ้นส่วนจำกัด คอมพ์เซ็นเตอร์ตัวอย่าง", "บริษัท ตัวอย่างซัพพลาย จำกัด")
LOANS = (
    ("เครื่องฉายภาพ (โปรเจกเตอร์) 1 เครื่อง", "ใช้ประชุมผู้ปกครองนักเรียน", AssetType.PROJECTOR),
    ("คอมพิวเตอร์โน้ตบุ๊ก 1 เครื่อง", "ใช้บันทึกข้อมูลการสอบ O-NET", AssetType.NOTEBOOK),
    ("ชุดเครื่องเสียงเคลื่อนที่ 1 ชุด", "ใช้ในกิจกรรมวันเด็กแห่งชาติ", None),
    ("กล้องถ่ายภาพดิจิทัล 1 ตัว", "บันทึกภาพการนิเทศติดตาม", None),
    ("อุปกรณ์ประชุมทางไกล 1 ชุด", "ประชุมออนไลน์กับโรงเรียนเครือข่าย", AssetType.CONFERENCE),
)


def create_demo_assets(office: OrgUnit, people: dict[str, User], today: date | None = None) -> list[Asset]:
    """The office's computers, printers and projectors, in its units and schools; some leased."""
    rng = random.Random(2566)
    today = today or local_today()
    serials: dict[str, int] = {}
    assets = []
    for place in office_units(office.id):
        kinds = [kind for kind, count in ASSETS_PER_PLACE.items() for _ in range(count)]
        if place.kind == OrgUnitKind.OFFICE:
            kinds += OFFICE_EXTRAS
        for kind in kinds:
            assets.append(_asset(office, place, kind, rng, serials, today))
    for asset in assets:
        if asset.location_id == people["tech"].org_unit_id:
            asset.owner = people["tech"]
    db.session.add_all(assets)
    db.session.flush()
    return assets


def _asset(office, place, kind, rng, serials, today) -> Asset:
    prefix, *models = ASSET_MODELS[kind]
    brand, model = rng.choice(models)
    bought = today - timedelta(days=rng.randrange(60, 6 * 365))
    year = bought.year + 543
    serials[prefix] = serials.get(prefix, 0) + 1
    leased = kind in (AssetType.DESKTOP, AssetType.PRINTER) and rng.random() < 0.3
    return Asset(
        office_id=office.id,
        asset_number=f"{prefix}-{serials[prefix]:04d}/{year}",
        asset_type=kind,
        brand=brand,
        model=model,
        serial_number=f"{brand[:2].upper()}{rng.randrange(10**7, 10**8)}",
        location_id=place.id,
        purchase_date=bought,
        warranty_end=bought + timedelta(days=3 * 365),
        vendor=LESSOR[0] if leased else rng.choice(SELLERS),
        vendor_contact=LESSOR[1] if leased else None,
        contract_number=f"สัญญาเช่า {rng.randrange(1, 40)}/{year}"
        if leased
        else f"ใบสั่งซื้อ {rng.randrange(1, 200)}/{year}",
        leased=leased,
        status=AssetStatus.IN_USE if kind != AssetType.PROJECTOR else AssetStatus.SPARE,
    )


def create_demo_loans(
    office: OrgUnit, people: dict[str, User], assets: list[Asset], today: date | None = None
) -> int:
    """A year of equipment loans: most returned, two out now (one overdue), one ready to collect,
    one waiting for the DLICT group director and one refused."""
    rng = random.Random(2567)
    today = today or local_today()
    borrowers = [people[login] for login in ("teacher", "principal", "clerk", "deputy") if login in people]
    spare = {
        kind: [a for a in assets if a.asset_type == kind and a.location_id == office.id] for kind in AssetType
    }
    approver, tech = people["dlict"], people["tech"]
    starts = sorted(today - timedelta(days=rng.randrange(20, 330)) for _ in range(18))
    plans = [("returned", day) for day in starts] + [
        ("overdue", today - timedelta(days=12)),
        ("out", today - timedelta(days=2)),
        ("rejected", today - timedelta(days=6)),
        ("approved", today - timedelta(days=1)),
        ("requested", today),
    ]
    with quietly():
        for outcome, start_on in plans:
            items, purpose, kind = rng.choice(LOANS)
            asset = rng.choice(spare[kind]) if kind and spare[kind] and outcome != "requested" else None
            due_on = start_on + timedelta(days=rng.choice((3, 5, 7, 10)))
            loan = loans.request_loan(
                rng.choice(borrowers), items, purpose, start_on, due_on, asset and asset.asset_number
            )
            loan.created_at = _utc(datetime.combine(start_on - timedelta(days=2), time(10), BANGKOK))
            if outcome == "requested":
                continue
            _decide(loan, approver, approve=outcome != "rejected")
            if outcome in ("returned", "overdue", "out"):
                loans.hand_out(loan, tech)
                loan.handed_out_at = _utc(datetime.combine(start_on, time(9), BANGKOK))
            if outcome == "returned":
                damaged = rng.random() < 0.1
                condition = Condition.DAMAGED if damaged else Condition.GOOD
                loans.take_back(loan, tech, condition, "สายสัญญาณภาพชำรุด" if damaged else None)
                loan.returned_at = _utc(datetime.combine(due_on, time(15), BANGKOK))
    return len(plans)


def _decide(loan, approver: User, *, approve: bool) -> None:
    request = open_request_for(loans.SUBJECT, loan.id)
    kind, decision = (ActionKind.APPROVE, "approve") if approve else (ActionKind.REJECT, "reject")
    comment = None if approve else "ช่วงเวลาดังกล่าวอุปกรณ์ถูกจองใช้ในการประชุมของสำนักงานแล้ว"
    act(
        request,
        kind,
        approver,
        expected_version=request.version,
        decision=decision,
        comment=comment,
        signed=True,
    )


# --- the order of duties and today's desk ------------------------------------------------------


def create_demo_duties(office: OrgUnit, people: dict[str, User], today: date | None = None) -> None:
    """The office's order of duties (คำสั่งมอบหมายหน้าที่): the ICT centre and its technician handle
    every kind of request."""
    tech = people["tech"]
    order = f"คำสั่ง สพป.ตัวอย่าง เขต 1 ที่ 45/{fiscal_year(today or local_today()) + 543}"
    db.session.add_all(
        DutyAssignment(
            office_id=office.id,
            request_type=kind.value,
            unit_id=tech.org_unit_id,
            technician=tech,
            order_reference=order,
        )
        for kind in RequestType
    )
    db.session.flush()


def create_work_under_way(
    office: OrgUnit, people: dict[str, User], assets: list[Asset], today: date | None = None
) -> None:
    """One of each wait the procedures have, opened now: a call-back promised for the next working
    morning, parts before the DLICT group director, a leased printer at its lessor, an account
    request back with its requester, a service request awaiting the director's opinion and
    software being installed again after a failed test."""
    today = today or local_today()
    tech, teacher, clerk = people["tech"], people["teacher"], people["clerk"]
    next_morning = _next_working_day(office, today)
    school = teacher.org_unit
    phone.record_call(
        office.id,
        PhoneCall(
            caller_name="นางสาวอรุณี แสงจันทร์",
            question="ตั้งค่าอีเมลหน่วยงานบนโทรศัพท์มือถือไม่ได้",
            caller_phone="0 2000 0001",
            caller_unit_id=school.id if school else None,
            callback_at=_utc(datetime.combine(next_morning, time(10), BANGKOK)),
        ),
        tech,
    )

    desktop = _asset_at(assets, teacher.org_unit_id, AssetType.DESKTOP, leased=False)
    slow, _code = _open(office, teacher, RequestType.REPAIR, "คอมพิวเตอร์ห้องธุรการเปิดช้าและค้างบ่อย", desktop)
    steps.record_step(slow, Step.INSPECTED, tech, "หน่วยความจำ (RAM) เสีย 1 แถว")
    repair.request_parts(
        slow, tech, "หน่วยความจำ DDR4 8 GB 1 แถว", Decimal("1200"), "แถวเดิมเสีย เครื่องค้างเมื่อใส่แถวนี้"
    )

    printer = _asset_at(assets, clerk.org_unit_id, AssetType.PRINTER, leased=True)
    jammed, _code = _open(office, clerk, RequestType.REPAIR, "เครื่องพิมพ์ดึงกระดาษซ้อนกันหลายแผ่น", printer)
    steps.record_step(jammed, Step.INSPECTED, tech, "ชุดดึงกระดาษชำรุด ต้องเปลี่ยนทั้งชุด")
    repair.send_to_vendor(jammed, tech, "ผู้ให้เช่ารับเครื่องไปซ่อมแล้ว")

    account = TicketRequest(
        RequestType.ACCOUNT,
        "ขออีเมลหน่วยงานสำหรับครูบรรจุใหม่",
        requester_position="ครู",
        account=AccountDetails(AccountKind.EMAIL, name_en="Kamonchanok S.", wanted="kamonchanok.s"),
    )
    mail, _code = services.open_ticket(office.id, account, teacher, teacher)
    incomplete.ask_requester(mail, tech, "ขอสำเนาคำสั่งบรรจุและแต่งตั้ง เพื่อยืนยันสังกัดก่อนเปิดอีเมล")

    intake.file_request(
        office.id,
        TicketRequest(
            RequestType.GENERAL,
            "ขอใช้ห้องประชุมทางไกลพร้อมเจ้าหน้าที่ควบคุมระบบ",
            "ประชุมคณะกรรมการสถานศึกษาร่วมกับโรงเรียนเครือข่าย 30 คน",
            requester_position="ผู้อำนวยการโรงเรียน",
            service_at=_utc(datetime.combine(next_morning, time(13, 30), BANGKOK)),
        ),
        people["principal"],
    )

    reader, _code = _open(office, clerk, RequestType.SOFTWARE, "ขอติดตั้งโปรแกรมอ่านไฟล์ PDF", None)
    steps.record_step(reader, Step.INSTALLED, tech, "ติดตั้งโปรแกรมรุ่นล่าสุด")
    steps.record_step(reader, Step.TEST_FAILED, tech, "เปิดไฟล์ที่มีลายมือชื่ออิเล็กทรอนิกส์ไม่ได้")
    steps.record_step(reader, Step.REINSTALLED, tech, "ติดตั้งใหม่พร้อมชุดตรวจลายมือชื่อ")


def _open(
    office: OrgUnit,
    requester: User,
    kind: RequestType,
    title: str,
    asset: Asset | None,
    at: datetime | None = None,
) -> tuple[Ticket, str]:
    """A request its requester filed, with the demo's telephone number."""
    asset_number = asset.asset_number if asset else None
    request = TicketRequest(kind, title, requester_phone="0 2000 0000", asset_number=asset_number)
    return services.open_ticket(office.id, request, requester, requester, at=at)


def _asset_at(assets: list[Asset], place_id: int | None, kind: AssetType, *, leased: bool) -> Asset:
    """An asset of the kind at the place (or anywhere), leased or not, for a repair to name."""
    fitting = [a for a in assets if a.asset_type == kind and a.leased == leased]
    return next((a for a in fitting if a.location_id == place_id), fitting[0])


def _next_working_day(office: OrgUnit, today: date) -> date:
    calendar, day = calendar_for(office.id), today + timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return day
