"""Benchmark the saraban registers: the register page, Thai substring search and registering a
letter, with a million letters in the demo office.

``python -m bench.saraban --help``; README.md says what a run does and how to read it.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

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
from core.db import db
from core.demo import DEMO_DOMAIN, DEMO_OFFICE_CODE
from core.i18n.thaidate import BANGKOK
from core.numbering.models import NumberSeries
from core.org.models import OrgUnit, OrgUnitKind
from core.plugins.offices import enabled_for_office
from core.wsgi import serving_app
from plugins.saraban.demo import AGENCIES, AGENCY_PREFIXES, PREFIX, REQUESTS, TOPICS
from plugins.saraban.models import (
    REGISTER_KINDS,
    AccessReason,
    Letter,
    LetterAccess,
    LetterKind,
    LetterStatus,
    Register,
    Retention,
    Secrecy,
    Urgency,
)
from plugins.saraban.services import LETTER_SEARCH, set_prefix

PAGE_P95_MS = 100.0  # the register page and registering one letter
SEARCH_P95_MS = 300.0
CLERK_EMAIL = f"clerk@{DEMO_DOMAIN}"  # เจ้าพนักงานธุรการ: keeps the registers (saraban.register)
YEARS = 5  # the letters arrive on the working days of the last five years
REGISTERS = {
    Register.RECEIVE: 55,
    Register.SEND: 25,
    Register.CIRCULAR: 10,
    Register.ORDER: 7,
    Register.ANNOUNCEMENT: 3,
}
URGENCIES = {Urgency.NORMAL: 85, Urgency.URGENT: 8, Urgency.VERY_URGENT: 5, Urgency.MOST_URGENT: 2}
SECRECIES = {Secrecy.NONE: 985, Secrecy.CONFIDENTIAL: 10, Secrecy.SECRET: 4, Secrecy.TOP_SECRET: 1}
RETENTIONS = {Retention.TEN_YEARS: 80, Retention.ONE_YEAR: 15, Retention.PERMANENT: 5}
REGISTERED_PER_RUN = 200  # letters registered one by one through the form, timed

# The searches: a topic in about one letter in forty, and a phrase with one distinctive word.
MANY_TERM = "ดาวเทียม"
FEW_TERM = "หุ่นยนต์"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.saraban", description=__doc__)
    parser.add_argument("--letters", type=int, default=1_000_000, help="letters bulk-inserted")
    parser.add_argument(
        "--registrations", type=int, default=REGISTERED_PER_RUN, help="letters registered through the form"
    )
    load_options(parser, users=2000)
    args = checked(parser, argv)
    if args.letters < 1000 or args.registrations < 20:
        parser.error("--letters must be at least 1000 and --registrations at least 20")
    return args


# --- the office --------------------------------------------------------------------------


@dataclass(frozen=True)
class Office:
    id: int
    name: str
    clerk_id: int
    units: list[int]  # the groups and work units a letter can belong to
    schools: list[str]
    readers: list[int]  # the office's staff but the clerk, named on secret letters
    last_numbers: dict[tuple[str, int], int]  # the demo's own letters: (register, year) -> last number


def read_office(connection: Connection) -> Office:
    office_id, name = connection.execute(
        select(OrgUnit.id, OrgUnit.name).where(OrgUnit.code == DEMO_OFFICE_CODE)
    ).one()
    if "saraban" not in enabled_for_office(office_id):
        raise RuntimeError("saraban is not switched on for the demo office")
    units = connection.execute(
        select(OrgUnit.id, OrgUnit.kind, OrgUnit.name).where(OrgUnit.office_id == office_id)
    ).all()
    staff = connection.execute(
        select(User.id, User.email).where(User.office_id == office_id, User.active.is_(True))
    ).all()
    return Office(
        id=office_id,
        name=name,
        clerk_id=next(person.id for person in staff if person.email == CLERK_EMAIL),
        units=[u.id for u in units if u.kind in (OrgUnitKind.GROUP, OrgUnitKind.WORK_UNIT)],
        schools=[u.name for u in units if u.kind == OrgUnitKind.SCHOOL],
        readers=[person.id for person in staff[:50] if person.email != CLERK_EMAIL],
        last_numbers=_last_numbers(connection, office_id),
    )


def _last_numbers(connection: Connection, office_id: int) -> dict[tuple[str, int], int]:
    """The numbers the demo's registers have used: the fill's letters take the next ones (their
    times then interleave with the demo's year, which no measured page filters on)."""
    series = NumberSeries.__table__
    rows = connection.execute(
        select(series.c.series, series.c.year, series.c.last).where(
            series.c.office_id == office_id, series.c.series.like("saraban.%")
        )
    )
    return {(name.removeprefix("saraban."), year): last for name, year, last in rows}


# --- letters -----------------------------------------------------------------------------


def _pick(rng: random.Random, weights: Mapping[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


@dataclass
class Picks:
    last_numbers: dict[tuple[str, int], int] = field(default_factory=dict)  # (register, year): last
    registers: dict[str, int] = field(default_factory=dict)
    secret: int = 0
    middle: tuple[str, int, int] | None = None  # register, year, number halfway through


def letter_rows(
    office: Office, count: int, first_id: int, picks: Picks, seed: int
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """``count`` register entries with their readers, the same for the same seed."""
    rng = random.Random(seed)
    today = datetime.now(BANGKOK).date()
    picks.last_numbers.update(office.last_numbers)
    for letter_id, registered in enumerate(arrivals(count, today, YEARS), start=first_id):
        register = _pick(rng, REGISTERS)
        local = registered.replace(tzinfo=UTC).astimezone(BANGKOK)
        year = local.year
        key = (register.value, year)
        picks.last_numbers[key] = number = picks.last_numbers.get(key, 0) + 1
        picks.registers[register.value] = picks.registers.get(register.value, 0) + 1
        secrecy = _pick(rng, SECRECIES)
        kind, subtype = REGISTER_KINDS.get(register, (LetterKind.EXTERNAL, None))
        subject = f"{rng.choice(REQUESTS)}{rng.choice(TOPICS)}"
        if rng.random() < 0.3:
            subject += f" ครั้งที่ {rng.randrange(1, 5)}/{year + 543}"
        outside = rng.choice(AGENCIES) if rng.random() < 0.6 else rng.choice(office.schools)
        if register is Register.RECEIVE:
            sender, addressee = outside, f"ผู้อำนวยการ{office.name}"
            document_number = (
                f"{rng.choice(AGENCY_PREFIXES)}/{'ว ' if rng.random() < 0.2 else ''}{rng.randrange(1, 9000)}"
            )
        else:
            sender = office.name
            addressee = outside if register in (Register.SEND,) else "สถานศึกษาในสังกัด"
            document_number = {
                Register.SEND: f"{PREFIX}/{number}",
                Register.CIRCULAR: f"{PREFIX}/ว {number}",
            }.get(register, f"{number}/{year + 543}")
        urgency = _pick(rng, URGENCIES)
        readers = [{"user_id": office.clerk_id, "reason": AccessReason.REGISTRAR.value}]
        if secrecy is not Secrecy.NONE:
            picks.secret += 1
            readers.append({"user_id": rng.choice(office.readers), "reason": AccessReason.NAMED.value})
        if letter_id == first_id + count // 2:
            picks.middle = (register.value, year, number)
        yield (
            {
                "id": letter_id,
                "office_id": office.id,
                "register": register.value,
                "year": year,
                "number": number,
                "registered_at": registered,
                "registered_by_id": office.clerk_id,
                "document_number": document_number,
                "dated": (local - timedelta(days=rng.randrange(0, 4))).date(),
                "sender": sender,
                "addressee": addressee,
                "subject": subject,
                "action": "",
                "remarks": "",
                "kind": kind.value,
                "subtype": subtype.value if subtype else None,
                "urgency": urgency.value,
                "urgent_by": registered + timedelta(days=3)
                if urgency is not Urgency.NORMAL and rng.random() < 0.3
                else None,
                "secrecy": secrecy.value,
                "unit_id": rng.choice(office.units),
                "retention": _pick(rng, RETENTIONS).value,
                "status": LetterStatus.CANCELLED.value
                if rng.random() < 0.002
                else LetterStatus.REGISTERED.value,
                "updated_at": registered,
            },
            [{**reader, "letter_id": letter_id, "granted_at": registered} for reader in readers],
        )


# --- the fill ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filled:
    letters: int
    registers: dict[str, int]
    secret: int
    seconds: float
    analyze_seconds: float | None
    year: int  # the year the register page shows (this year)
    middle: tuple[str, int, int]
    searches: dict[str, int]  # term: letters of the office it finds


def fill(env: Mapping[str, str], letters: int) -> Filled:
    app = create_app(env)
    with app.app_context():
        started = time.perf_counter()
        picks = Picks()
        with db.engine.begin() as connection:
            office = read_office(connection)
            first = (connection.scalar(select(func.max(Letter.id))) or 0) + 1
            rows = letter_rows(office, letters, first, picks, seed=3)
            insert_families(connection, Letter.__table__, LetterAccess.__table__, rows, "letters")
            move_sequence(connection, Letter.__tablename__, first + letters - 1)
            move_sequence(
                connection, LetterAccess.__tablename__, connection.scalar(select(func.max(LetterAccess.id)))
            )
            for (register, year), last in picks.last_numbers.items():
                move_series(connection, office.id, Register(register).series, year, last)
        set_prefix(office.id, office.id, PREFIX)
        db.session.commit()
        seconds = time.perf_counter() - started
        analyze_seconds = settle_after_load(db.engine, Letter.__tablename__, LetterAccess.__tablename__)
        assert picks.middle
        searches = {term: found(office.id, term) for term in (MANY_TERM, FEW_TERM)}
        db.session.remove()
        db.engine.dispose()
    year = datetime.now(BANGKOK).year
    return Filled(
        letters, picks.registers, picks.secret, seconds, analyze_seconds, year, picks.middle, searches
    )


def found(office_id: int, term: str) -> int:
    conditions = LETTER_SEARCH.conditions(Letter.id, term, db.engine.dialect.name)
    return db.session.scalar(select(func.count()).where(Letter.office_id == office_id, *conditions))


# --- registering through the form, in process --------------------------------------------


@dataclass(frozen=True)
class Registered:
    count: int
    median_ms: float
    p95_ms: float
    max_ms: float


def register_letters(env: Mapping[str, str], email: str, password: str, count: int) -> Registered:
    """``count`` received letters registered one after another through the form, as a clerk does:
    the request, its checks, the number, the insert and the commit, timed per letter. The app is
    built as gunicorn's workers build it."""
    app = serving_app(env)
    client = app.test_client()
    _post(client, "/login", "/login", {"email": email, "password": password})
    timings = []
    rng = random.Random(4)
    for _ in range(count):
        form = {
            "subject": f"{rng.choice(REQUESTS)}{rng.choice(TOPICS)}",
            "sender": rng.choice(AGENCIES),
            "document_number": f"{rng.choice(AGENCY_PREFIXES)}/{rng.randrange(1, 9000)}",
            "urgency": Urgency.NORMAL.value,
            "secrecy": Secrecy.NONE.value,
            "retention": Retention.TEN_YEARS.value,
            "kind": LetterKind.EXTERNAL.value,
        }
        page = client.get("/saraban/new/receive").get_data(as_text=True)
        started = time.perf_counter()
        response = client.post("/saraban/new/receive", data={**form, "csrf_token": _token(page)})
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 302:
            raise RuntimeError(f"registering a letter answered {response.status_code}")
    timings.sort()
    return Registered(
        count,
        statistics.median(timings),
        timings[min(len(timings) - 1, int(len(timings) * 0.95))],
        timings[-1],
    )


def _token(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if match is None:
        raise RuntimeError("the form carries no CSRF token")
    return match.group(1)


def _post(client, path: str, form_page: str, data: dict[str, str]):
    token = _token(client.get(form_page).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


# --- the pages under gunicorn ------------------------------------------------------------


def scenarios(filled: Filled) -> list[Scenario]:
    def page(**query: object) -> str:
        return f"/saraban/?{urlencode(query)}" if query else "/saraban/"

    register, year, number = filled.middle
    return [
        Scenario("register", page()),
        Scenario("register sent", page(register=Register.SEND.value)),
        Scenario("register urgent", page(urgency=Urgency.MOST_URGENT.value)),
        Scenario("register deep", page(register=register, year=year, before=number)),
        Scenario("search many", f"/saraban/search?{urlencode({'q': MANY_TERM})}"),
        Scenario("search few", f"/saraban/search?{urlencode({'q': FEW_TERM})}"),
        Scenario("search number", f"/saraban/search?{urlencode({'q': PREFIX + '/12'})}"),
    ]


def shown(scenario: Scenario, page: str) -> str:
    rows = page.partition("<tbody>")[2].partition("</tbody>")[0].count("<tr")
    if rows <= 0:
        raise RuntimeError(f"{scenario.name}: GET {scenario.path} lists no letters")
    return f"{rows} letters on the page"


# --- goals, tables and the run -----------------------------------------------------------


def summary(filled: Filled, registered: Registered) -> str:
    registers = ", ".join(f"{name} {count:,}" for name, count in sorted(filled.registers.items()))
    return "\n".join(
        [
            f"fill: {filled.letters:,} letters ({filled.secret:,} secret) in {filled.seconds:.1f} s"
            f"{settled(filled.analyze_seconds)}",
            f"registers: {registers}",
            "searches: " + ", ".join(f"{term} finds {hits:,}" for term, hits in filled.searches.items()),
            f"registering one letter through the form ({registered.count} in a row, in process): "
            f"median {registered.median_ms:.1f} ms, p95 {registered.p95_ms:.1f} ms, "
            f"max {registered.max_ms:.1f} ms",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    loads = {"start": load_at_start()}
    with prepared_instance(args, email=CLERK_EMAIL) as (instance, env, clerk):
        step(f"filling the registers with {args.letters:,} letters")
        filled = fill(env, args.letters)
        loads["pages"] = load_average()
        rows = measure_pages(
            args, env, (clerk.email, clerk.password), scenarios(filled), shown, instance / "gunicorn.log"
        )
        step(f"registering {args.registrations} letters through the form")
        registered = register_letters(env, clerk.email, clerk.password, args.registrations)
        loads["end"] = load_average()
    goals: list[Goal] = [
        latency_goal(row, SEARCH_P95_MS if row.scenario.startswith("search") else PAGE_P95_MS) for row in rows
    ]
    goals.append(
        Goal(
            f"registering one letter: p95 < {PAGE_P95_MS:.0f} ms",
            f"{registered.p95_ms:.1f} ms",
            registered.p95_ms < PAGE_P95_MS,
        )
    )
    print(summary(filled, registered))
    print("", *latency_table("page", rows), sep="\n")
    return finish(args, "saraban", rows, goals, loads, fill=asdict(filled), registered=asdict(registered))


if __name__ == "__main__":
    sys.exit(main())
