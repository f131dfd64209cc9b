"""Benchmark the audit trail: what auditing adds to a write, and the viewer over a million events.

``python -m bench.audit --help``; README.md says what a run does and how to read it.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from itertools import accumulate, islice
from pathlib import Path
from typing import Any
from unittest.mock import patch
from urllib.parse import urlencode

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection

from bench.data import CHUNK_SIZE, POSITIONS
from bench.database import move_sequence, settle_after_load, settled
from bench.report import (
    Goal,
    Row,
    latency_goal,
    latency_table,
    line,
    percentile,
)
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
from bench.servers import ROOT, app_environ
from core.app import create_app
from core.audit.chain import EVENTS, HEADS, chain_hash, content_of
from core.audit.models import AuditChain
from core.audit.types import AuditSpec, AuditType, Change
from core.auth.models import Role, User
from core.calendar.models import Holiday
from core.db import db, utcnow
from core.demo import DEMO_OFFICE_CODE
from core.i18n.thaidate import format_date_input, to_local
from core.org.models import OrgUnit
from core.state import khet

WRITE_OVERHEAD_MAX_P95_MS = 2.0
VIEWER_MAX_P95_MS = 100.0
ACTORS = 100  # the people who act; the busiest acts about forty times as often as the quietest
SPAN = timedelta(days=365)  # the filled events end now and start a year ago
TAIL_EVENTS = 1000  # appended after the writes, so the newest pages show the usual mix again
WARMUP_WRITES = 50  # pairs of writes timed but not recorded, before each kind of write
PROGRESS_EVERY = 100_000
VIEWER = "/admin/core_audit/"
TYPE_FILTER = "core.user.updated"  # one event in seven
# What each plugin's audited records would be called once it declares ``__audit__``.
PLUGIN_RECORDS = {
    "helpdesk": "ticket",
    "saraban": "document",
    "conference": "meeting",
    "dltv": "broadcast",
    "website": "page",
}
PLUGIN_FILTER = "helpdesk"
DENIED_PATHS = ("/admin/core_roles/", "/admin/core_audit/", "/admin/core_plugins/", "/admin/core_users/")
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Version/18.1 Mobile Safari",
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 Chrome/130.0 Mobile Safari/537.36",
)
EVENT_ROW = '<td class="text-nowrap"'  # one per event in the viewer's and the History tab's table


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.audit", description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000, help="audit events bulk-inserted")
    parser.add_argument("--writes", type=int, default=2000, help="timed writes per kind and mode")
    load_options(parser, users=2000)
    args = checked(parser, argv)
    if args.users < 2 * ACTORS:
        parser.error(f"--users must be at least {2 * ACTORS}")
    return args


# --- a year of invented events -----------------------------------------------------------


@dataclass(frozen=True)
class Cast:
    """The people and records the invented events are about: real rows of the database."""

    office_id: int
    actors: list[int]
    cumulative_weights: list[float]
    users: list[tuple[int, str, str]]  # id, e-mail, name
    units: list[tuple[int, str]]  # id, name
    holidays: list[tuple[int, str, str]]  # id, ISO day, name
    roles: list[int]
    plugins: list[str]
    types: Mapping[str, AuditType]


def read_cast(connection: Connection, rng: random.Random) -> Cast:
    """Real ids only: the viewer looks the people and records of events up to name them."""
    office_id = connection.scalar(select(OrgUnit.id).where(OrgUnit.code == DEMO_OFFICE_CODE))
    users = connection.execute(
        select(User.id, User.email, User.name).where(User.office_id == office_id).order_by(User.id)
    ).all()
    holidays = connection.execute(select(Holiday.id, Holiday.day, Holiday.name)).all()
    if not holidays:
        raise RuntimeError("no holidays were seeded: the fill needs some to audit")
    registry = khet().registry
    plugins = [name for name in registry.plugins if name in PLUGIN_RECORDS] or ["core"]
    plugin_types = {
        t.name: t
        for name in plugins
        if name != "core"
        for t in AuditSpec(f"{name}.{PLUGIN_RECORDS[name]}").event_types()
    }
    return Cast(
        office_id=office_id,
        actors=rng.sample([user.id for user in users], ACTORS),
        cumulative_weights=list(accumulate(1 / (rank + 1) ** 0.8 for rank in range(ACTORS))),
        users=[tuple(user) for user in users],
        units=[
            tuple(unit)
            for unit in connection.execute(
                select(OrgUnit.id, OrgUnit.name).where(OrgUnit.office_id == office_id)
            )
        ],
        holidays=[(h.id, h.day.isoformat(), h.name) for h in holidays],
        roles=list(connection.scalars(select(Role.id))),
        plugins=plugins,
        types={**registry.audit_types, **plugin_types},
    )


Subject = tuple[str, object] | None
Made = tuple[str, Subject, dict[str, Any], int | None]  # type, subject, data, actor
Maker = Callable[[random.Random, Cast, int], Made]


def _session_event(event_type: str) -> Maker:
    """Sign-ins and the like: the person is also the subject, so their History tab shows them."""

    def make(rng: random.Random, cast: Cast, actor: int) -> Made:
        return event_type, ("core.user", actor), {}, actor

    return make


def _failed_sign_in(event_type: str) -> Maker:
    """Nobody is signed in yet: only the e-mail address typed is known."""

    def make(rng: random.Random, cast: Cast, actor: int) -> Made:
        return event_type, None, {"email": rng.choice(cast.users)[1]}, None

    return make


def _access_denied(rng: random.Random, cast: Cast, actor: int) -> Made:
    return "core.access.denied", None, {"method": "GET", "path": rng.choice(DENIED_PATHS)}, actor


def _user_changed(rng: random.Random, cast: Cast, actor: int) -> Made:
    user_id, email, _ = rng.choice(cast.users)
    name, old, new = rng.choice(
        (
            ("position", *rng.sample(POSITIONS, 2)),
            ("org_unit_id", *(unit[0] for unit in rng.sample(cast.units, 2))),
            ("active", True, False),
            ("must_change_password", False, True),
        )
    )
    return "core.user.updated", ("core.user", user_id), {"changes": {name: [old, new]}, "label": email}, actor


def _user_created(rng: random.Random, cast: Cast, actor: int) -> Made:
    user_id, email, name = rng.choice(cast.users)
    values = {
        "email": email,
        "name": name,
        "position": rng.choice(POSITIONS),
        "org_unit_id": rng.choice(cast.units)[0],
        "office_id": cast.office_id,
        "active": True,
    }
    return "core.user.created", ("core.user", user_id), {"values": values, "label": email}, actor


def _role_granted(rng: random.Random, cast: Cast, actor: int) -> Made:
    user_id = rng.choice(cast.users)[0]
    values = {
        "user_id": user_id,
        "role_id": rng.choice(cast.roles),
        "org_unit_id": rng.choice(cast.units)[0],
        "include_descendants": True,
    }
    change = rng.choice((Change.CREATED, Change.DELETED))
    data = {"values": values, "record": "core.role_assignment"}
    return f"core.role_assignment.{change}", ("core.user", user_id), data, actor


def _unit_changed(rng: random.Random, cast: Cast, actor: int) -> Made:
    unit_id, name = rng.choice(cast.units)
    return (
        "core.org_unit.updated",
        ("core.org_unit", unit_id),
        {"changes": {"active": [True, False]}, "label": name},
        actor,
    )


def _holiday_changed(rng: random.Random, cast: Cast, actor: int) -> Made:
    holiday_id, day, name = rng.choice(cast.holidays)
    if rng.random() < 0.5:
        data = {"values": {"day": day, "name": name, "office_id": cast.office_id}, "label": name}
        return "core.holiday.created", ("core.holiday", holiday_id), data, actor
    data = {"changes": {"name": [name, f"{name} (ชดเชย)"]}, "label": name}
    return "core.holiday.updated", ("core.holiday", holiday_id), data, actor


def _plugin_switched(rng: random.Random, cast: Cast, actor: int) -> Made:
    plugin = rng.choice(cast.plugins)
    data = {
        "changes": {"enabled": rng.sample((False, True), 2)},
        "label": plugin,
        "record": "core.office_plugin",
    }
    return "core.office_plugin.updated", ("core.org_unit", cast.office_id), data, actor


def _exported(rng: random.Random, cast: Cast, actor: int) -> Made:
    return "core.audit.exported", None, {"filters": {"type": TYPE_FILTER}}, actor


def _plugin_record(rng: random.Random, cast: Cast, actor: int) -> Made:
    plugin = rng.choice(cast.plugins)
    if plugin == "core":  # no plugin loaded: a change of a person instead
        return _user_changed(rng, cast, actor)
    key = f"{plugin}.{PLUGIN_RECORDS[plugin]}"
    number = rng.randrange(1, 20_000)
    change = rng.choices((Change.CREATED, Change.UPDATED, Change.DELETED), weights=(3, 6, 1))[0]
    data: dict[str, Any] = {"label": f"{PLUGIN_RECORDS[plugin]} {number}"}
    if change is Change.UPDATED:
        data["changes"] = {"status": rng.sample(("new", "in progress", "done"), 2)}
    return f"{key}.{change}", (key, number), data, actor


# Shares in percent: about half traffic (sign-ins above all), half changes of records.
MIX: tuple[tuple[Maker, float], ...] = (
    (_session_event("core.auth.signed_in"), 24),
    (_session_event("core.auth.signed_out"), 10),
    (_session_event("core.auth.idle_signed_out"), 6),
    (_session_event("core.auth.confirm_failed"), 0.5),
    (_failed_sign_in("core.auth.sign_in_failed"), 4),
    (_failed_sign_in("core.auth.locked_out"), 0.3),
    (_access_denied, 2),
    (_user_changed, 14),
    (_user_created, 1.5),
    (_role_granted, 3),
    (_unit_changed, 2),
    (_holiday_changed, 1.5),
    (_plugin_switched, 1),
    (_exported, 0.2),
    (_plugin_record, 30),
)


def invented_events(
    cast: Cast, count: int, start: datetime, end: datetime, actors_seen: Counter[int], seed: int
) -> Iterator[dict[str, Any]]:
    """``count`` events as ``core.audit.record`` would stamp them, evenly from ``start`` to ``end``.

    ``actors_seen`` counts the events of each person. The same seed, the same events.
    """
    rng = random.Random(seed)
    makers = [maker for maker, _ in MIX]
    cumulative = list(accumulate(share for _, share in MIX))
    spacing = (end - start) / count
    for number in range(count):
        actor = rng.choices(cast.actors, cum_weights=cast.cumulative_weights)[0]
        maker = rng.choices(makers, cum_weights=cumulative)[0]
        type_name, subject, data, actor_id = maker(rng, cast, actor)
        event_type = cast.types[type_name]
        from_web = True
        if actor_id is not None and event_type.chain is AuditChain.RECORD and rng.random() < 0.02:
            actor_id, from_web = None, False  # done with `khet users create`
        if actor_id is not None:
            actors_seen[actor_id] += 1
        yield {
            "chain": event_type.chain.value,
            "occurred_at": start + spacing * (number + rng.random()),
            "actor_id": actor_id,
            "on_behalf_of_id": rng.choice(cast.actors) if actor_id and rng.random() < 0.01 else None,
            "office_id": cast.office_id if actor_id else None,
            "origin": "web" if from_web else "cli:users create",
            "ip": f"10.{rng.randrange(1, 40)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            if from_web
            else None,
            "user_agent": rng.choice(USER_AGENTS) if from_web else None,
            "request_id": rng.randbytes(16).hex(),
            "plugin": event_type.plugin,
            "type": event_type.name,
            "subject_key": subject[0] if subject else None,
            "subject_id": str(subject[1]) if subject else None,
            "summary": event_type.summary,
            "data": data,
        }


def fill(connection: Connection, events: Iterator[dict[str, Any]]) -> range:
    """Append ``events`` to their chains, hashed exactly as ``core.audit.chain.append`` does.

    Rows go in with executemany in chunks, ids given here so that each hash follows the one
    before it in its chain; the heads then point at the last event of each chain, so
    ``khet audit verify`` passes. Returns the ids inserted.
    """
    hashes = {chain: digest for chain, digest in connection.execute(select(HEADS.c.chain, HEADS.c.hash))}
    last_ids: dict[str, int] = {}
    first_id = next_id = (connection.scalar(select(func.max(EVENTS.c.id))) or 0) + 1
    statement = insert(EVENTS)
    while chunk := list(islice(events, CHUNK_SIZE)):
        for values in chunk:
            chain = values["chain"]
            values["id"], values["prev_hash"] = next_id, hashes[chain]
            values["hash"] = hashes[chain] = chain_hash(hashes[chain], content_of(values))
            last_ids[chain] = next_id
            next_id += 1
        connection.execute(statement, chunk)
        if (next_id - first_id) % PROGRESS_EVERY < len(chunk):
            step(f"  {next_id - first_id:,} events")
    for chain, last_id in last_ids.items():
        connection.execute(
            update(HEADS).where(HEADS.c.chain == chain).values(last_id=last_id, hash=hashes[chain])
        )
    move_sequence(connection, EVENTS.name, next_id - 1)  # ids were given
    return range(first_id, next_id)


@dataclass(frozen=True)
class Targets:
    """What the viewer's filters ask for: a person of middling activity, the middle of the trail."""

    person_id: int
    person_email: str
    person_events: int
    middle_id: int
    week: tuple[date, date]  # seven Bangkok days from the middle event on, both included
    type: str
    plugin: str


@dataclass(frozen=True)
class Filled:
    events: int
    seconds: float  # generating, hashing and inserting
    analyze_seconds: float | None  # PostgreSQL only
    targets: Targets


def fill_trail(cast: Cast, count: int) -> Filled:
    """A year of events in the current app's database; what the viewer then asks for."""
    actors_seen: Counter[int] = Counter()
    started = time.perf_counter()
    end = utcnow()
    with db.engine.begin() as connection:
        ids = fill(connection, invented_events(cast, count, end - SPAN, end, actors_seen, seed=1))
    seconds = time.perf_counter() - started
    analyze_seconds = settle_after_load(db.engine, EVENTS.name)
    person_id, person_events = sorted(actors_seen.items(), key=lambda item: item[1])[len(actors_seen) // 2]
    middle_id = ids[len(ids) // 2]
    middle = db.session.scalar(select(EVENTS.c.occurred_at).where(EVENTS.c.id == middle_id))
    first_day = to_local(middle).date()
    targets = Targets(
        person_id=person_id,
        person_email=db.session.scalar(select(User.email).where(User.id == person_id)),
        person_events=person_events,
        middle_id=middle_id,
        week=(first_day, first_day + timedelta(days=6)),
        type=TYPE_FILTER,
        plugin=PLUGIN_FILTER if PLUGIN_FILTER in cast.plugins else cast.plugins[0],
    )
    return Filled(len(ids), seconds, analyze_seconds, targets)


def append_tail(cast: Cast, since: datetime) -> None:
    """More of the usual mix, stamped from ``since`` to now, after the writes' own events."""
    with db.engine.begin() as connection:
        fill(connection, invented_events(cast, TAIL_EVENTS, since, utcnow(), Counter(), seed=4))


def bystanders(cast: Cast) -> list[int]:
    """People who never act: renaming them leaves the filtered person's pages as they were."""
    actors = set(cast.actors)
    return [user[0] for user in cast.users if user[0] not in actors][-2 * ACTORS :]


def trail_and_writes(
    env: Mapping[str, str], count: int, writes: int, loads: dict[str, float]
) -> tuple[Filled, list[WriteRow]]:
    """Fill the trail, time the writes on it, then end the trail with the usual mix again."""
    app = create_app(env)
    with app.app_context():
        with db.engine.connect() as connection:
            cast = read_cast(connection, random.Random(2))
        step(f"filling the trail with {count:,} events")
        filled = fill_trail(cast, count)
        loads["writes"] = load_average()
        writes_started = utcnow()
        rows = measure_writes(writes, cast.office_id, bystanders(cast))
        append_tail(cast, writes_started)
        db.session.remove()
        db.engine.dispose()
    return filled, rows


# --- what auditing adds to a write -------------------------------------------------------


@dataclass(frozen=True)
class WriteRow:
    write: str
    writes: int  # per mode
    audited_p50_ms: float
    audited_p95_ms: float
    plain_p50_ms: float  # the listener runs and finds no ``__audit__``
    plain_p95_ms: float
    overhead_p50_ms: float
    overhead_p95_ms: float


def write_row(name: str, audited: list[float], plain: list[float]) -> WriteRow:
    audited, plain = sorted(audited), sorted(plain)
    on = percentile(audited, 0.50), percentile(audited, 0.95)
    off = percentile(plain, 0.50), percentile(plain, 0.95)
    return WriteRow(name, len(audited), *on, *off, on[0] - off[0], on[1] - off[1])


Prepare = Callable[[int], Callable[[], object]]  # slot -> the write to time


def compare(name: str, model: type, prepare: Prepare, count: int, rng: random.Random) -> WriteRow:
    """Time ``count`` audited writes and as many with the model's ``__audit__`` set to None.

    Each write is one transaction, committed. The two modes alternate, in random order within
    each pair, so that drift and a busy moment hit both alike. ``prepare(slot)`` does the
    untimed part (loading the row) and returns the write; slots number the writes from 0.
    """
    step(f"{name}: {count} pairs of writes")
    timings: dict[bool, list[float]] = {True: [], False: []}
    for number in range(WARMUP_WRITES + count):
        for audited in rng.sample((True, False), 2):
            write = prepare(2 * number + audited)
            with nullcontext() if audited else patch.object(model, "__audit__", None):
                started = time.perf_counter()
                write()
                db.session.commit()
                elapsed = (time.perf_counter() - started) * 1000
            if number >= WARMUP_WRITES:
                timings[audited].append(elapsed)
    return write_row(name, timings[True], timings[False])


def measure_writes(count: int, office_id: int, user_ids: Sequence[int]) -> list[WriteRow]:
    """Holidays inserted, renamed and deleted, and people renamed, one row per transaction.

    A holiday is the smallest audited record, a person one of the largest (twelve columns
    compared, two of them redacted).
    """
    rng = random.Random(3)
    holidays: dict[int, Holiday] = {}
    first_day = date(2200, 1, 1)  # far from any seeded holiday

    def add_holiday(slot: int) -> Callable[[], object]:
        holiday = Holiday(
            office_id=office_id, day=first_day + timedelta(days=slot), name=f"วันหยุดทดลอง {slot}"
        )
        holidays[slot] = holiday
        return partial(db.session.add, holiday)

    def rename_holiday(slot: int) -> Callable[[], object]:
        holiday = holidays[slot]
        db.session.refresh(holiday)  # the last commit expired it
        return partial(setattr, holiday, "name", f"{holiday.name} (ชดเชย)")

    def delete_holiday(slot: int) -> Callable[[], object]:
        holiday = holidays.pop(slot)
        db.session.refresh(holiday)
        return partial(db.session.delete, holiday)

    def rename_user(slot: int) -> Callable[[], object]:
        user = db.session.get_one(User, user_ids[slot % len(user_ids)])
        db.session.refresh(user)
        return partial(setattr, user, "name", f"{user.name.split(' (', 1)[0]} ({slot})")

    return [
        compare("insert holiday", Holiday, add_holiday, count, rng),
        compare("update holiday", Holiday, rename_holiday, count, rng),
        compare("update user", User, rename_user, count, rng),
        compare("delete holiday", Holiday, delete_holiday, count, rng),
    ]


# --- khet audit verify -------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    seconds: float
    passed: bool
    output: list[str] = field(default_factory=list)


def verify_trail(env: Mapping[str, str]) -> Verification:
    """Run ``khet audit verify`` as an operator would; it walks every event of both chains."""
    command = [str(Path(sys.executable).with_name("khet")), "audit", "verify"]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=app_environ(env), capture_output=True, text=True)
    seconds = time.perf_counter() - started
    output = (result.stdout + result.stderr).splitlines()
    return Verification(seconds, result.returncode == 0, output)


# --- the viewer under gunicorn -----------------------------------------------------------


def viewer_scenarios(targets: Targets) -> list[Scenario]:
    """The viewer's pages as an administrator opens them; dates as typed in Thai (Buddhist Era)."""
    person = {"person": targets.person_email}
    week = {
        "since": format_date_input(targets.week[0], "th"),
        "until": format_date_input(targets.week[1], "th"),
    }

    def viewer(query: dict[str, object]) -> str:
        return f"{VIEWER}?{urlencode(query)}" if query else VIEWER

    return [
        Scenario("first page", viewer({})),
        Scenario("deep page", viewer({"before": targets.middle_id})),
        Scenario("person", viewer(person)),
        Scenario("type", viewer({"type": targets.type})),
        Scenario("plugin", viewer({"plugin": targets.plugin})),
        Scenario("record", viewer({"record": f"core.user:{targets.person_id}"})),
        Scenario("one week", viewer(week)),
        Scenario("person + week", viewer(person | week)),
        Scenario("history tab", f"/admin/core_users/history/?id={targets.person_id}"),
    ]


def events_listed(scenario: Scenario, page: str) -> str:
    """How many events a page lists; none, or a filter the form refused, stops the run."""
    shown = page.count(EVENT_ROW)
    if shown == 0 or "is-invalid" in page:
        raise RuntimeError(f"{scenario.name}: GET {scenario.path} lists no events or refused a filter")
    return f"{shown} events on the page"


# --- goals, tables and the run -----------------------------------------------------------


def evaluate(writes: list[WriteRow], rows: list[Row], verification: Verification) -> list[Goal]:
    goals = [
        Goal(
            f"{w.write}: audit overhead p95 < {WRITE_OVERHEAD_MAX_P95_MS:.0f} ms",
            f"{w.overhead_p95_ms:.2f} ms",
            w.overhead_p95_ms < WRITE_OVERHEAD_MAX_P95_MS,
        )
        for w in writes
    ]
    goals += [latency_goal(r, VIEWER_MAX_P95_MS, f"viewer {r.scenario}") for r in rows]
    goals.append(Goal("khet audit verify passes", f"{verification.seconds:.1f} s", verification.passed))
    return goals


def tables(filled: Filled, writes: list[WriteRow], rows: list[Row], verification: Verification) -> str:
    targets = filled.targets
    lines = [
        f"fill: {filled.events:,} events in {filled.seconds:.1f} s{settled(filled.analyze_seconds)}",
        f"khet audit verify: {verification.seconds:.1f} s",
        *(f"  {line}" for line in verification.output),
        f"person: {targets.person_email} (user {targets.person_id}, {targets.person_events:,} events)",
        "",
        line("write", "writes", "on p50", "on p95", "off p50", "off p95", "+p50 ms", "+p95 ms"),
    ]
    lines.append("-" * len(lines[-1]))
    lines += [
        line(
            w.write,
            w.writes,
            *(f"{ms:.2f}" for ms in (w.audited_p50_ms, w.audited_p95_ms, w.plain_p50_ms, w.plain_p95_ms)),
            *(f"{ms:+.2f}" for ms in (w.overhead_p50_ms, w.overhead_p95_ms)),
        )
        for w in writes
    ]
    lines += ["", *latency_table("viewer", rows)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    loads = {"start": load_at_start()}
    with prepared_instance(args) as (instance, env, admin):
        filled, writes = trail_and_writes(env, args.events, args.writes, loads)
        step("khet audit verify")
        verification = verify_trail(env)
        loads["viewer"] = load_average()
        login = (admin.email, admin.password)
        scenarios = viewer_scenarios(filled.targets)
        rows = measure_pages(args, env, login, scenarios, events_listed, instance / "gunicorn.log")
        loads["end"] = load_average()
    goals = evaluate(writes, rows, verification)
    print(tables(filled, writes, rows, verification))
    fill = {
        **asdict(filled),
        "targets": {**asdict(filled.targets), "week": [d.isoformat() for d in filled.targets.week]},
    }
    writes_done = [asdict(w) for w in writes]
    return finish(
        args, "audit", rows, goals, loads, fill=fill, writes=writes_done, verify=asdict(verification)
    )


if __name__ == "__main__":
    sys.exit(main())
