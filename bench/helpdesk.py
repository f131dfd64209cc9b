"""Benchmark the helpdesk: the queue, a ticket and the queue's search over 200,000 tickets.

``python -m bench.helpdesk --help``; README.md says what a run does and how to read it.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from bench.data import SURNAME_PREFIXES, SURNAME_SUFFIXES, insert_rows, thai_name
from bench.database import move_sequence, settle_after_load, settled
from bench.fill import arrivals, insert_families, move_series
from bench.report import Goal, latency_goal, latency_table
from bench.run import (
    Scenario,
    checked,
    finish,
    load_at_start,
    load_average,
    load_options,
    measure_pages,
    prepared_instance,
    step,
)
from core.app import create_app
from core.auth.models import User
from core.db import db, utcnow
from core.demo import DEMO_DOMAIN, DEMO_OFFICE_CODE
from core.i18n.fiscal import fiscal_year
from core.i18n.thaidate import BANGKOK
from core.numbering.models import NumberSeries
from core.org.models import OrgUnit, OrgUnitKind
from core.plugins.offices import enabled_for_office
from plugins.helpdesk.assets.models import Asset, AssetStatus, AssetType
from plugins.helpdesk.demo import SUBJECTS
from plugins.helpdesk.models import EntryKind, RequestType, Ticket, TicketEntry, TicketStatus
from plugins.helpdesk.services import TICKET_SEARCH

MAX_P95_MS = 100.0
DEMO_NUMBERS = 5000  # asset numbers per kind and year left to the demo's own register
TECH_EMAIL = f"tech@{DEMO_DOMAIN}"  # นักวิชาการคอมพิวเตอร์: works the queue (helpdesk.ticket.work)
DLICT_EMAIL = f"dlict@{DEMO_DOMAIN}"  # the DLICT group director, who takes some tickets himself
SERIES = "helpdesk.ticket"
YEARS = 3  # the tickets arrive on the working days of the last three years
RECENT = timedelta(days=10)  # younger tickets are still being worked on
LONG_THREAD_EVERY = 2000  # one ticket in so many has a long back-and-forth with the requester
LONG_THREAD_ENTRIES = 40
QUEUE = "/helpdesk/"
QUEUE_TABLE = '<table class="tickets">'
TIMELINE_ENTRY = '<li class="entry'
S = TicketStatus

# The searches of the queue: a word in about one subject in ten, a surname in about one
# requester in 225, and the first nine characters of a ticket number (ten tickets).
MANY_TERM = "คอมพิวเตอร์"
FEW_TERM = SURNAME_PREFIXES[7][0] + SURNAME_SUFFIXES[11][0]  # แก้วศักดิ์

TYPE_WEIGHTS = {
    RequestType.REPAIR: 40,
    RequestType.PHONE: 25,
    RequestType.SOFTWARE: 15,
    RequestType.ACCOUNT: 12,
    RequestType.GENERAL: 8,
}
TITLE_ENDINGS = ("(ด่วน)", "ห้องพักครู", "อาคาร 2 ชั้น 3", "ห้องสมุด", "เครื่องที่ 3", "แจ้งซ้ำ")
DETAILS = (
    "",
    "",
    "ใช้งานได้ปกติเมื่อวาน วันนี้เปิดแล้วมีเสียงดังแล้วดับไป",
    "แจ้งครั้งที่สองแล้ว ขอให้ช่วยดูด่วนเนื่องจากต้องใช้ส่งรายงานเขต",
    "ติดต่อได้ที่ห้องธุรการ ชั้น 1 ในเวลาราชการ",
    "มีข้อความแจ้งเตือนขึ้นที่หน้าจอทุกครั้งที่เปิดเครื่อง",
)
TECH_REPLIES = (
    "ได้รับเรื่องแล้วครับ จะเข้าไปตรวจสอบภายในวันนี้",
    "ตรวจสอบแล้วพบว่าสายสัญญาณหลวม แก้ไขเรียบร้อยแล้วครับ",
    "รบกวนส่งภาพหน้าจอข้อความแจ้งเตือนมาเพิ่มเติมครับ",
    "ติดตั้งเรียบร้อยแล้ว ทดลองใช้งานได้ตามปกติครับ",
)
REQUESTER_REPLIES = (
    "ขอบคุณค่ะ ใช้งานได้แล้ว",
    "ส่งภาพหน้าจอทางอีเมลแล้วค่ะ",
    "ยังมีอาการเดิมอยู่ครับ รบกวนตรวจสอบอีกครั้ง",
)
NOTES = (
    "ตรวจสอบกับร้านแล้ว ยังอยู่ในระยะประกัน",
    "ขอซื้ออะไหล่ผ่านงานพัสดุ รอใบสั่งซื้อ",
    "อาการเดียวกับเมื่อเดือนที่แล้ว ควรเสนอเปลี่ยนเครื่องใหม่",
)
WAITING_NOTES = {
    S.WAITING_PARTS: "รออะไหล่จากผู้จำหน่าย",
    S.AT_VENDOR: "ส่งซ่อมกับผู้จำหน่ายตามสัญญา",
    S.WAITING_REQUESTER: "แบบฟอร์มยังไม่ครบ ส่งกลับให้ผู้ขอกรอกเพิ่ม",
}
STEP_MINUTES = (15, 40, 90, 240, 600)

# Asset type: weight, its number prefix (เลขครุภัณฑ์ starts with the class and kind), brands and models.
ASSET_KINDS: dict[AssetType, tuple[float, str, tuple[tuple[str, str], ...]]] = {
    AssetType.DESKTOP: (
        30,
        "7440-001",
        (
            ("Dell", "OptiPlex 3000"),
            ("HP", "ProDesk 400 G9"),
            ("Lenovo", "ThinkCentre M70s"),
            ("Acer", "Veriton M4690G"),
        ),
    ),
    AssetType.NOTEBOOK: (
        15,
        "7440-002",
        (
            ("Lenovo", "ThinkPad E14"),
            ("HP", "ProBook 440 G9"),
            ("Acer", "TravelMate P214"),
            ("ASUS", "ExpertBook B1"),
        ),
    ),
    AssetType.TABLET: (8, "7440-003", (("Samsung", "Galaxy Tab A8"), ("Apple", "iPad 10.2"))),
    AssetType.MONITOR: (15, "7440-004", (("Dell", "E2222H"), ("Samsung", "S24R350"), ("AOC", "24B2XH"))),
    AssetType.PRINTER: (
        12,
        "7430-001",
        (("Brother", "HL-L2370DN"), ("Canon", "LBP6030"), ("Epson", "L3210"), ("HP", "LaserJet M211dw")),
    ),
    AssetType.SCANNER: (3, "7430-002", (("Epson", "DS-530 II"), ("Canon", "DR-C225 II"))),
    AssetType.PROJECTOR: (5, "6730-001", (("Epson", "EB-E01"), ("BenQ", "MX560"))),
    AssetType.NETWORK: (4, "5895-001", (("TP-Link", "TL-SG1024D"), ("Cisco", "CBS250-24T"))),
    AssetType.SERVER: (0.5, "7440-005", (("Dell", "PowerEdge T150"), ("HPE", "ProLiant ML30 Gen10"))),
    AssetType.UPS: (6, "6130-001", (("APC", "BX1100C-MS"), ("Syndome", "ECO II-1000"))),
    AssetType.CONFERENCE: (1, "5820-001", (("Logitech", "Rally Bar"), ("Poly", "Studio X30"))),
    AssetType.OTHER: (0.5, "7490-001", (("Xiaomi", "Mi Router 4A"),)),
}
ASSET_STATUS_WEIGHTS = {
    AssetStatus.IN_USE: 85,
    AssetStatus.IN_REPAIR: 2,
    AssetStatus.AT_VENDOR: 1,
    AssetStatus.SPARE: 5,
    AssetStatus.ON_LOAN: 2,
    AssetStatus.WRITTEN_OFF: 5,
}
VENDORS = (
    "บริษัท ไอทีโซลูชั่นตัวอย่าง จำกัด",
    "ห้างหุ้นส่วนจำกัด คอมพิวเตอร์เซ็นเตอร์ตัวอย่าง",
    "บริษัท ดิจิทัลเพื่อการศึกษาตัวอย่าง จำกัด",
    "ร้านสยามคอมพิวเตอร์ตัวอย่าง",
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.helpdesk", description=__doc__)
    parser.add_argument("--tickets", type=int, default=200_000, help="tickets bulk-inserted")
    parser.add_argument("--assets", type=int, default=50_000, help="assets bulk-inserted")
    load_options(parser, users=2000)
    args = checked(parser, argv)
    if args.tickets < LONG_THREAD_EVERY or args.assets < 1:
        parser.error(f"--tickets must be at least {LONG_THREAD_EVERY} and --assets at least 1")
    return args


# --- the office's people and places ------------------------------------------------------


@dataclass(frozen=True)
class Office:
    """The demo office as the fill needs it: real ids only."""

    id: int
    tech: tuple[int, str]  # id, name
    dlict: tuple[int, str]
    people: list[tuple[int, str, str, int | None]]  # id, name, e-mail, unit: requesters with an account
    schools: list[int]
    units: list[int]  # every unit of the office, schools included
    last_numbers: dict[int, int]  # the ticket series: last number issued per fiscal year


def read_office(connection: Connection) -> Office:
    office_id = connection.scalar(select(OrgUnit.id).where(OrgUnit.code == DEMO_OFFICE_CODE))
    if "helpdesk" not in enabled_for_office(office_id):
        raise RuntimeError("the helpdesk is not switched on for the demo office")
    people = connection.execute(
        select(User.id, User.name, User.email, User.org_unit_id)
        .where(User.office_id == office_id, User.active.is_(True))
        .order_by(User.id)
    ).all()
    by_email = {person.email: (person.id, person.name) for person in people}
    units = connection.execute(select(OrgUnit.id, OrgUnit.kind).where(OrgUnit.office_id == office_id)).all()
    series = NumberSeries.__table__
    last_numbers = connection.execute(
        select(series.c.year, series.c.last).where(series.c.office_id == office_id, series.c.series == SERIES)
    ).all()
    return Office(
        id=office_id,
        tech=by_email[TECH_EMAIL],
        dlict=by_email[DLICT_EMAIL],
        people=[tuple(person) for person in people],
        schools=[unit.id for unit in units if unit.kind == OrgUnitKind.SCHOOL],
        units=[unit.id for unit in units],
        last_numbers=dict(last_numbers),
    )


# --- assets ------------------------------------------------------------------------------


def asset_rows(office: Office, count: int, first_id: int, today: date, seed: int) -> Iterator[dict[str, Any]]:
    """``count`` assets of the office bought over ten years, mostly in use, numbered per kind and year."""
    rng = random.Random(seed)
    kinds = list(ASSET_KINDS)
    cumulative = list(accumulate(weight for weight, _, _ in ASSET_KINDS.values()))
    statuses, status_weights = list(ASSET_STATUS_WEIGHTS), list(ASSET_STATUS_WEIGHTS.values())
    running: dict[tuple[AssetType, int], int] = {}
    now = utcnow()
    for asset_id in range(first_id, first_id + count):
        kind = rng.choices(kinds, cum_weights=cumulative)[0]
        _, prefix, models = ASSET_KINDS[kind]
        brand, model = rng.choice(models)
        bought = today - timedelta(days=rng.randrange(10 * 365))
        year = bought.year + 543
        running[kind, year] = number = running.get((kind, year), 0) + 1
        leased = rng.random() < 0.1
        owner = rng.choice(office.people) if rng.random() < 0.4 else None
        yield {
            "id": asset_id,
            "office_id": office.id,
            # from 5001: the demo's own assets are numbered from 1 per kind and year
            "asset_number": f"{prefix}-{DEMO_NUMBERS + number:04d}/{year}",
            "asset_type": kind.value,
            "brand": brand,
            "model": model,
            "serial_number": rng.randbytes(5).hex().upper(),
            "location_id": rng.choice(office.schools) if rng.random() < 0.6 else rng.choice(office.units),
            "owner_id": owner[0] if owner else None,
            "owner_name": None if owner or rng.random() < 0.5 else thai_name(rng)[0],
            "purchase_date": bought,
            "warranty_end": bought + timedelta(days=365 * rng.choice((1, 2, 3, 3, 5))),
            "vendor": rng.choice(VENDORS),
            "vendor_contact": f"0{rng.randrange(2, 10)}-{rng.randrange(1000000, 9999999)}",
            "contract_number": f"สัญญาเลขที่ {rng.randrange(1, 99)}/{year}" if leased else None,
            "leased": leased,
            "status": rng.choices(statuses, weights=status_weights)[0].value,
            "note": None,
            "created_at": now,
        }


# --- tickets and their timelines ---------------------------------------------------------


def lifecycle(rng: random.Random, kind: RequestType, recent: bool) -> list[TicketStatus]:
    """The statuses a ticket went through, each allowed by ``services.NEXT``; the last is where it is."""
    waiting = None
    if kind == RequestType.REPAIR and rng.random() < 0.3:
        waiting = rng.choice((S.WAITING_PARTS, S.AT_VENDOR))
    elif kind == RequestType.ACCOUNT and rng.random() < 0.2:
        waiting = S.WAITING_REQUESTER  # an incomplete form goes back to the requester
    steps = [S.ACCEPTED, S.IN_PROGRESS, *((waiting, S.IN_PROGRESS) if waiting else ()), S.DONE]
    steps.append(S.HANDED_OVER if kind == RequestType.REPAIR else S.CLOSED)
    if recent:
        return steps[: rng.randrange(0, len(steps))]  # still under way
    roll = rng.random()
    if roll < 0.01:
        return [S.CLOSED]  # a duplicate or a mistake, closed unworked
    if roll < 0.02 and waiting:
        return steps[:3]  # still waiting for parts, the vendor or the requester
    if roll < 0.03:
        return steps[:-1]  # done, not yet handed over or closed
    return steps


@dataclass
class Picks:
    """Tickets the scenarios open, noted while they are made."""

    middle: tuple[int, str] | None = None  # id, number: the ticket halfway through
    in_progress: tuple[int, str] | None = None  # the newest ticket being worked on
    long_threads: list[tuple[int, str, int]] = field(default_factory=list)  # id, number, entries
    statuses: dict[str, int] = field(default_factory=dict)
    entries: int = 0
    last_numbers: dict[int, int] = field(default_factory=dict)  # per fiscal year, once all are made


def ticket_rows(
    office: Office, count: int, first_id: int, asset_ids: range, picks: Picks, seed: int
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """``count`` tickets of the office with their timelines, the same for the same seed.

    Numbers follow the office's series per fiscal year; most people file with their account, the
    rest (schools' staff on the phone) are written down by the technician.
    """
    rng = random.Random(seed)
    kinds, kind_weights = list(TYPE_WEIGHTS), list(TYPE_WEIGHTS.values())
    last_numbers = dict(office.last_numbers)
    now = utcnow()
    today = datetime.now(BANGKOK).date()
    for ticket_id, received in enumerate(arrivals(count, today, YEARS), start=first_id):
        kind = rng.choices(kinds, weights=kind_weights)[0]
        year = fiscal_year(received.replace(tzinfo=UTC).astimezone(BANGKOK).date())
        last_numbers[year] = last_numbers.get(year, 0) + 1
        number = f"{year}-{last_numbers[year]:05d}"
        if rng.random() < 0.7:
            requester_id, name, email, unit_id = rng.choice(office.people)
            phone = None
        else:  # on the phone from a school, without an account
            requester_id, name, email, unit_id = None, thai_name(rng)[0], None, rng.choice(office.schools)
            phone = f"08{rng.randrange(10)}-{rng.randrange(100, 1000)}-{rng.randrange(1000, 10000)}"
        title = rng.choice(SUBJECTS[kind])
        if rng.random() < 0.25:
            title = f"{title} {rng.choice(TITLE_ENDINGS)}"
        steps = lifecycle(rng, kind, recent=now - received < RECENT)
        worked = bool(steps) and steps != [S.CLOSED]
        assignee = (office.dlict if rng.random() < 0.06 else office.tech) if worked else None
        long_thread = (ticket_id - first_id) % LONG_THREAD_EVERY == LONG_THREAD_EVERY // 3
        entries = timeline(rng, received, steps, requester_id, assignee or office.tech, worked, long_thread)
        for entry in entries:
            entry["ticket_id"] = ticket_id
            entry["created_at"] = min(entry["created_at"], now)
        status = steps[-1] if steps else S.NEW
        picks.statuses[status] = picks.statuses.get(status, 0) + 1
        picks.entries += len(entries)
        if ticket_id == first_id + count // 2:
            picks.middle = (ticket_id, number)
        if status == S.IN_PROGRESS:
            picks.in_progress = (ticket_id, number)
        if long_thread:
            picks.long_threads.append((ticket_id, number, len(entries)))
        yield (
            {
                "id": ticket_id,
                "office_id": office.id,
                "number": number,
                "access_code_hash": rng.randbytes(32).hex(),
                "request_type": kind.value,
                "title": title,
                "description": rng.choice(DETAILS),
                "requester_id": requester_id,
                "requester_name": name,
                "requester_phone": phone,
                "requester_email": email,
                "requester_unit_id": unit_id,
                "unit_id": None,
                "assignee_id": assignee[0] if assignee else None,
                "status": status.value,
                "callback_at": received + timedelta(hours=2)
                if kind == RequestType.PHONE and rng.random() < 0.1
                else None,
                "created_at": received,
                "updated_at": entries[-1]["created_at"],
                "closed_at": entries[-1]["created_at"] if status == S.CLOSED else None,
                "merged_into_id": None,
                "service_record_id": None,
                "asset_id": rng.choice(asset_ids)
                if kind == RequestType.REPAIR and rng.random() < 0.7
                else None,
                "sla_warnings": "",
            },
            entries,
        )
    picks.statuses = dict(sorted(picks.statuses.items()))
    picks.last_numbers = last_numbers


def timeline(
    rng: random.Random,
    received: datetime,
    steps: list[TicketStatus],
    requester_id: int | None,
    technician: tuple[int, str],
    worked: bool,
    long_thread: bool,
) -> list[dict[str, Any]]:
    """The entries a ticket's life leaves, in order: received, assigned, each status, replies and notes."""
    tech_id, tech_name = technician
    made = [(EntryKind.CREATED, None, None, requester_id or tech_id, False)]
    if worked:
        made.append((EntryKind.ASSIGNED, None, tech_name, tech_id, False))
    for status in steps:
        made.append((EntryKind.STATUS, status, WAITING_NOTES.get(status), tech_id, False))
        if status != S.IN_PROGRESS:
            continue
        if rng.random() < 0.25:
            made.append((EntryKind.REPLY, None, rng.choice(TECH_REPLIES), tech_id, False))
        if rng.random() < 0.1:
            made.append((EntryKind.NOTE, None, rng.choice(NOTES), tech_id, True))
        if requester_id and rng.random() < 0.1:
            made.append((EntryKind.REPLY, None, rng.choice(REQUESTER_REPLIES), requester_id, False))
    if long_thread:
        for number in range(LONG_THREAD_ENTRIES):
            if number % 5 == 4:
                made.append((EntryKind.NOTE, None, rng.choice(NOTES), tech_id, True))
            elif number % 2 or requester_id is None:
                made.append((EntryKind.REPLY, None, rng.choice(TECH_REPLIES), tech_id, False))
            else:
                made.append((EntryKind.REPLY, None, rng.choice(REQUESTER_REPLIES), requester_id, False))
    at, entries = received, []
    for kind, status, body, author_id, internal in made:
        entries.append(
            {
                "kind": kind.value,
                "status": status.value if status else None,
                "body": body,
                "author_id": author_id,
                "internal": internal,
                "created_at": at,
            }
        )
        at += timedelta(minutes=rng.choice(STEP_MINUTES))
    return entries


# --- the fill ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Targets:
    """What the scenarios open: tickets picked while filling, and the search terms with their hits."""

    middle_id: int
    typical: str  # the ticket halfway through, finished like most
    in_progress: str  # the newest ticket being worked on
    long_thread: str  # a ticket with a long back-and-forth
    long_thread_entries: int
    searches: dict[str, int]  # term: tickets of the office it finds


@dataclass(frozen=True)
class Filled:
    tickets: int
    entries: int
    assets: int
    statuses: dict[str, int]
    seconds: float  # generating and inserting
    analyze_seconds: float | None  # PostgreSQL only
    targets: Targets


def fill(env: Mapping[str, str], tickets: int, assets: int) -> Filled:
    """Assets, then tickets with their timelines, in the demo office; what the scenarios open."""
    app = create_app(env)
    with app.app_context():
        started = time.perf_counter()
        picks = Picks()
        with db.engine.begin() as connection:
            office = read_office(connection)
            first_asset = (connection.scalar(select(func.max(Asset.id))) or 0) + 1
            today = datetime.now(BANGKOK).date()
            insert_rows(connection, Asset.__table__, asset_rows(office, assets, first_asset, today, seed=1))
            asset_ids = range(first_asset, first_asset + assets)
            move_sequence(connection, Asset.__tablename__, asset_ids[-1])
            step(f"  {assets:,} assets")
            first_ticket = (connection.scalar(select(func.max(Ticket.id))) or 0) + 1
            rows = ticket_rows(office, tickets, first_ticket, asset_ids, picks, seed=2)
            insert_families(connection, Ticket.__table__, TicketEntry.__table__, rows, "tickets")
            move_sequence(connection, Ticket.__tablename__, first_ticket + tickets - 1)
            for year, last in picks.last_numbers.items():
                move_series(connection, office.id, SERIES, year, last)
        seconds = time.perf_counter() - started
        vocabularies = (TICKET_SEARCH.vocabulary_table(name) for name in TICKET_SEARCH.vocabularies)
        tables = (*(t.__tablename__ for t in (Asset, Ticket, TicketEntry)), *vocabularies)
        analyze_seconds = settle_after_load(db.engine, *tables)
        assert picks.middle and picks.in_progress and picks.long_threads
        middle_id, typical = picks.middle
        _, long_number, long_entries = min(picks.long_threads, key=lambda t: abs(t[0] - middle_id))
        terms = (MANY_TERM, FEW_TERM, typical[:-1])
        targets = Targets(
            middle_id=middle_id,
            typical=typical,
            in_progress=picks.in_progress[1],
            long_thread=long_number,
            long_thread_entries=long_entries,
            searches={term: found(office.id, term) for term in terms},
        )
        db.session.remove()
        db.engine.dispose()
    return Filled(tickets, picks.entries, assets, picks.statuses, seconds, analyze_seconds, targets)


def found(office_id: int, term: str) -> int:
    """How many of the office's tickets the queue's search finds for ``term``."""
    conditions = TICKET_SEARCH.conditions(Ticket.id, term, db.engine.dialect.name)
    return db.session.scalar(select(func.count()).where(Ticket.office_id == office_id, *conditions))


# --- the pages under gunicorn ------------------------------------------------------------


def scenarios(targets: Targets) -> list[Scenario]:
    def queue(**query: object) -> str:
        return f"{QUEUE}?{urlencode(query)}" if query else QUEUE

    many, few, number = targets.searches
    return [
        Scenario("queue open", queue()),
        Scenario("queue all", queue(show="all")),
        Scenario("queue deep", queue(show="all", before=targets.middle_id)),
        Scenario("ticket", f"{QUEUE}{targets.typical}"),
        Scenario("ticket open", f"{QUEUE}{targets.in_progress}"),
        Scenario("ticket long", f"{QUEUE}{targets.long_thread}"),
        Scenario("search many", queue(show="all", q=many)),
        Scenario("search few", queue(show="all", q=few)),
        Scenario("search number", queue(show="all", q=number)),
    ]


def shown(scenario: Scenario, page: str) -> str:
    """What a page lists: tickets on a queue page, entries on a ticket page; nothing stops the run."""
    listed = page.partition(QUEUE_TABLE)[2].partition("</table>")[0].count("<tr>") - 1  # less the header
    entries = page.count(TIMELINE_ENTRY)
    if max(listed, entries) <= 0:
        raise RuntimeError(f"{scenario.name}: GET {scenario.path} lists no tickets and no entries")
    return f"{listed} tickets on the page" if listed > 0 else f"{entries} entries on the timeline"


# --- goals, tables and the run -----------------------------------------------------------


def summary(filled: Filled) -> str:
    targets = filled.targets
    statuses = ", ".join(f"{status} {count:,}" for status, count in filled.statuses.items())
    return "\n".join(
        [
            f"fill: {filled.tickets:,} tickets ({filled.entries:,} entries, "
            f"{filled.entries / filled.tickets:.1f} per ticket) and {filled.assets:,} assets "
            f"in {filled.seconds:.1f} s{settled(filled.analyze_seconds)}",
            f"statuses: {statuses}",
            f"tickets: {targets.typical} (typical), {targets.in_progress} (in progress), "
            f"{targets.long_thread} ({targets.long_thread_entries} entries)",
            "searches: " + ", ".join(f"{term} finds {hits:,}" for term, hits in targets.searches.items()),
        ]
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    loads = {"start": load_at_start()}
    with prepared_instance(args, email=TECH_EMAIL) as (instance, env, tech):
        step(f"filling the helpdesk with {args.assets:,} assets and {args.tickets:,} tickets")
        filled = fill(env, args.tickets, args.assets)
        loads["pages"] = load_average()
        pages = scenarios(filled.targets)
        rows = measure_pages(args, env, (tech.email, tech.password), pages, shown, instance / "gunicorn.log")
        loads["end"] = load_average()
    goals: list[Goal] = [latency_goal(row, MAX_P95_MS) for row in rows]
    print(summary(filled))
    print("", *latency_table("page", rows), sep="\n")
    return finish(args, "helpdesk", rows, goals, loads, fill=asdict(filled))


if __name__ == "__main__":
    sys.exit(main())
