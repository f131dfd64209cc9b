"""The audit trail: complete through every path, append-only, tamper-evident, purgeable."""

from __future__ import annotations

import json
import re
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from core.audit import audit_context, record
from core.audit.chain import chain_hash, content_of
from core.audit.models import AuditChain, AuditCheckpoint, AuditEvent
from core.audit.types import SIGN_IN_FAILED, AuditType
from core.auth.models import Role, User
from core.calendar.models import Holiday
from core.db import db, utcnow
from tests.conftest import PASSWORD, login, make_user, post

NEW_PASSWORD = "Another-Long-Passphrase-2570"


def last_id() -> int:
    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def events_after(start: int, **where: object) -> list[AuditEvent]:
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.id > start).filter_by(**where).order_by(AuditEvent.id)
    return list(db.session.scalars(query))


def raw(connection_sql: str, **params: object) -> None:
    """Change the trail behind the application's back, as someone with database access could."""
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))  # triggers off
        connection.execute(text(connection_sql), params)


@pytest.fixture
def console(web, two_offices):
    make_user("root@install.example", None, "admin")
    db.session.commit()
    client = web.test_client()
    login(client, "root@install.example")
    return client


# --- completeness ------------------------------------------------------------------------


def test_admin_console_changes_are_recorded_once_with_before_and_after(console):
    root = db.session.scalar(select(User).where(User.email == "root@install.example"))
    start = last_id()
    post(console, "/admin/core_holidays/new/", {"day": "13/05/2570", "name": "วันพืชมงคล"})
    holiday = db.session.scalar(select(Holiday).where(Holiday.name == "วันพืชมงคล"))
    created = events_after(start, type="core.holiday.created")
    assert len(created) == 1
    assert created[0].data["values"] == {"id": holiday.id, "day": "2027-05-13", "name": "วันพืชมงคล"}
    assert (created[0].actor_id, created[0].origin, created[0].ip) == (root.id, "web", "127.0.0.1")
    assert (created[0].subject_key, created[0].subject_id) == ("core.holiday", str(holiday.id))

    start = last_id()
    edit = f"/admin/core_holidays/edit/?id={holiday.id}"
    post(console, edit, {"day": "14/05/2570", "name": "วันพืชมงคล"}, token_page=edit)
    updated = events_after(start)
    assert [e.type for e in updated] == ["core.holiday.updated"]
    assert updated[0].data["changes"] == {"day": ["2027-05-13", "2027-05-14"]}

    start = last_id()
    post(console, "/admin/core_holidays/delete/", {"id": holiday.id}, token_page="/admin/core_holidays/")
    deleted = events_after(start)
    assert [e.type for e in deleted] == ["core.holiday.deleted"]
    assert deleted[0].data["values"]["name"] == "วันพืชมงคล"


def test_a_staff_page_change_is_recorded_without_the_secrets(client, two_offices):
    person = make_user("clerk@a.example", two_offices["A"]["unit"], "clerk")
    db.session.commit()
    login(client, "clerk@a.example")
    start = last_id()
    response = post(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        token_page="/account/password",
    )
    changed = events_after(start)
    assert [e.type for e in changed] == ["core.user.updated"]
    assert changed[0].data == {
        "changes": {},
        "hidden": ["password_hash", "session_token"],
        "label": person.email,
    }
    assert changed[0].actor_id == person.id
    assert response.headers["X-Request-Id"] == changed[0].request_id


def test_command_line_changes_are_recorded_as_such(run, two_offices):
    start = last_id()
    result = run(
        "users", "create", "noi@a.example", "--name", "น้อย ใจดี", "--unit", "A-U", "--password", NEW_PASSWORD
    )
    assert result.exit_code == 0, result.output
    created = events_after(start, type="core.user.created")
    assert len(created) == 1
    assert created[0].origin == "cli:users create" and created[0].actor_id is None
    assert "password_hash" not in created[0].data["values"]
    run("users", "deactivate", "noi@a.example")
    deactivated = events_after(created[0].id, type="core.user.updated")
    assert [e.data["changes"] for e in deactivated] == [{"active": [True, False]}]


def test_background_job_changes_are_recorded_with_the_job(app, two_offices):
    start = last_id()

    def job() -> None:
        with app.app_context(), audit_context("job:holidays", actor_id=None):
            db.session.add(Holiday(day=date(2027, 5, 13), name="วันพืชมงคล"))
            db.session.commit()

    worker = threading.Thread(target=job)
    worker.start()
    worker.join()
    created = events_after(start)
    assert [(e.type, e.origin) for e in created] == [("core.holiday.created", "job:holidays")]


def test_collection_changes_and_orphans_are_recorded_on_the_parent(app):
    role = db.session.scalar(select(Role).where(Role.name == "clerk"))
    role.permission_names = role.permission_names | {"core.audit.view"}
    db.session.commit()
    start = last_id()
    role.permission_names = role.permission_names - {"core.audit.view"}  # a delete-orphan
    db.session.commit()
    taken = events_after(start)
    assert [(e.type, e.subject_key, e.subject_id) for e in taken] == [
        ("core.role_permission.deleted", "core.role", str(role.id))
    ]
    assert taken[0].data["label"] == "core.audit.view"


def test_a_rolled_back_change_leaves_no_event(app):
    start = last_id()
    db.session.add(Holiday(day=date(2027, 5, 13), name="วันพืชมงคล"))
    db.session.flush()
    db.session.rollback()
    assert events_after(start) == []


def test_a_flush_without_net_change_records_nothing(app, two_offices):
    person = make_user("clerk@a.example", two_offices["A"]["unit"])
    db.session.commit()
    start = last_id()
    person.name = person.name
    person.last_login_at = utcnow()  # excluded: sign-ins have their own events
    db.session.commit()
    assert events_after(start) == []


# --- business events ---------------------------------------------------------------------


def test_sign_in_sign_out_and_failures_are_traffic_events(client, two_offices):
    person = make_user("clerk@a.example", two_offices["A"]["unit"], "clerk")
    db.session.commit()
    start = last_id()
    login(client, "clerk@a.example", "wrong password")
    login(client, "clerk@a.example")
    post(client, "/logout")
    found = events_after(start)
    assert [(e.type, e.chain) for e in found] == [
        ("core.auth.sign_in_failed", "traffic"),
        ("core.auth.signed_in", "traffic"),
        ("core.auth.signed_out", "traffic"),
    ]
    failed, signed_in, signed_out = found
    assert failed.actor_id is None and failed.data == {"email": "clerk@a.example"}
    assert signed_in.actor_id == signed_out.actor_id == person.id
    assert signed_in.office_id == two_offices["A"]["office"].id
    assert all(e.ip == "127.0.0.1" and e.user_agent and e.request_id for e in found)
    assert len({e.request_id for e in found}) == 3  # one per request


def test_repeated_failures_record_the_lockout(client, two_offices):
    make_user("clerk@a.example", two_offices["A"]["unit"])
    db.session.commit()
    start = last_id()
    for _ in range(11):
        login(client, "clerk@a.example", "wrong password")
    types = [e.type for e in events_after(start)]
    assert types.count("core.auth.sign_in_failed") == 10
    assert types[-1] == "core.auth.locked_out"


def test_access_denied_is_recorded(client, two_offices):
    teacher = make_user("teacher@a.example", two_offices["A"]["school"], "teacher")
    db.session.commit()
    login(client, "teacher@a.example")
    start = last_id()
    assert client.get("/admin/core_users/").status_code == 403
    denied = events_after(start)
    assert [(e.type, e.actor_id, e.data) for e in denied] == [
        ("core.access.denied", teacher.id, {"method": "GET", "path": "/admin/core_users/"})
    ]


def test_events_of_one_request_share_its_request_id(console, two_offices):
    start = last_id()
    response = post(
        console,
        "/admin/core_users/new/",
        {
            "name": "ทดสอบ ระบบ",
            "email": "new@a.example",
            "org_unit": two_offices["A"]["unit"].id,
            "active": "y",
        },
        token_page="/admin/core_users/new/",
    )
    found = events_after(start)
    assert [e.type for e in found] == ["core.user.created", "core.user.updated"]  # then a temporary password
    assert found[0].request_id == found[1].request_id == response.headers["X-Request-Id"]


# --- append-only -------------------------------------------------------------------------


def test_events_cannot_be_written_through_the_orm(app):
    db.session.add(AuditEvent(chain="record", summary="forged"))
    with pytest.raises(PermissionError):
        db.session.flush()
    db.session.rollback()


@pytest.fixture
def postgres_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the append-only triggers exist on PostgreSQL only")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_audit_events SET summary = 'rewritten'",
        "DELETE FROM core_audit_events",
        "TRUNCATE core_audit_events",
        "DELETE FROM core_audit_checkpoints",
    ],
)
def test_postgresql_refuses_to_change_the_trail(postgres_only, statement):
    record(SIGN_IN_FAILED, data={"email": "x@a.example"})
    db.session.add(AuditCheckpoint(chain="traffic", last_id=0, hash="0" * 64, removed=0, created_at=utcnow()))
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text(statement))


def test_postgresql_lets_only_the_purge_delete_and_only_traffic(postgres_only):
    record(AuditType("core.test.kept", "Kept"))
    db.session.commit()
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text("SELECT set_config('khet.audit_purge', 'on', true)"))
        connection.execute(delete(AuditEvent).where(AuditEvent.chain == "record"))


# --- tamper evidence ---------------------------------------------------------------------


@pytest.fixture
def trail(app):
    """Twelve events alternating between the two chains; returns their ids in order."""
    ids = []
    for n in range(12):
        chain = AuditChain.TRAFFIC if n % 2 else AuditChain.RECORD
        ids.append(record(AuditType(f"core.test.event{n}", "Test event", chain), data={"n": n}))
    db.session.commit()
    return ids


def test_an_intact_trail_verifies(run, trail):
    result = run("audit", "verify")
    assert result.exit_code == 0, result.output
    assert "traffic: 6 events verified" in result.output


@pytest.mark.parametrize(
    "tampering, bad_index, reason",
    [
        ("UPDATE core_audit_events SET data = '{\"n\": 99}' WHERE id = :id", 4, "content was altered"),
        ("DELETE FROM core_audit_events WHERE id = :id", 6, "before it is missing"),
        ("UPDATE core_audit_events SET actor_id = NULL, ip = '10.0.0.9' WHERE id = :id", 4, "content"),
    ],
)
def test_verify_names_the_first_altered_or_removed_event(run, trail, tampering, bad_index, reason):
    raw(tampering, id=trail[4])
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert f"record chain broken at event {trail[bad_index]}" in result.output and reason in result.output


def test_verify_finds_an_inserted_event(run, trail):
    forged = {**_row(trail[4]), "summary": "Forged", "request_id": "f" * 32}
    forged["hash"] = chain_hash(forged["prev_hash"], content_of(forged))
    del forged["id"]
    forged["data"] = json.dumps(forged["data"])
    columns, values = ", ".join(forged), ", ".join(f":{k}" for k in forged)
    raw(f"INSERT INTO core_audit_events ({columns}) VALUES ({values})", **forged)
    result = run("audit", "verify")
    assert result.exit_code == 1 and "record chain broken" in result.output


def test_verify_finds_events_removed_from_the_end(run, trail):
    raw("DELETE FROM core_audit_events WHERE id >= :id", id=trail[10])
    result = run("audit", "verify")
    assert result.exit_code == 1 and "removed" in result.output


def _row(event_id: int) -> dict:
    with db.engine.connect() as connection:
        row = (
            connection.execute(select(AuditEvent.__table__).where(AuditEvent.id == event_id)).mappings().one()
        )
    return {**row, "data": dict(row["data"])}


def test_seals_catch_a_chain_rewritten_from_scratch(run, trail, tmp_path):
    sealed = run("audit", "seal", "--output", str(tmp_path))
    assert sealed.exit_code == 0, sealed.output
    # Someone with the database rewrites an event and recomputes every hash after it.
    raw("UPDATE core_audit_events SET data = '{\"n\": 99}' WHERE id = :id", id=trail[0])
    _rehash_record_chain()
    assert run("audit", "verify").exit_code == 0  # the chain alone cannot tell
    result = run("audit", "verify", "--seals", str(tmp_path))
    assert result.exit_code == 1 and "differs from its seal" in result.output


def _rehash_record_chain() -> None:
    prev = "0" * 64
    with db.engine.connect() as connection:
        rows = (
            connection.execute(
                select(AuditEvent.__table__).where(AuditEvent.chain == "record").order_by(AuditEvent.id)
            )
            .mappings()
            .all()
        )
    for row in rows:
        digest = chain_hash(prev, content_of(row))
        raw(
            "UPDATE core_audit_events SET prev_hash = :p, hash = :h WHERE id = :id",
            p=prev,
            h=digest,
            id=row["id"],
        )
        prev = digest
    raw("UPDATE core_audit_heads SET hash = :h WHERE chain = 'record'", h=prev)


def test_a_seal_of_an_intact_trail_verifies_later(run, trail, tmp_path):
    run("audit", "seal", "--output", str(tmp_path))
    record(AuditType("core.test.later", "Later"))
    db.session.commit()
    result = run("audit", "verify", "--seals", str(tmp_path))
    assert result.exit_code == 0 and "1 seals match" in result.output


def test_a_file_that_is_not_a_seal_is_refused(run, trail, tmp_path):
    bad = tmp_path / "audit-seal-bad.json"
    bad.write_text("{}")
    result = run("audit", "verify", "--seals", str(bad))
    assert result.exit_code == 1 and "is not an audit seal" in result.output


# --- concurrency -------------------------------------------------------------------------


def test_concurrent_writers_never_fork_the_chain(app, run):
    writers, each = 8, 15
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], pool_size=writers)
    if engine.dialect.name == "sqlite":
        engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], connect_args={"timeout": 30})
    barrier = threading.Barrier(writers)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(each):
                with Session(engine) as session, session.begin():
                    record(
                        AuditType("core.test.concurrent", "Concurrent"),
                        data={"writer": n, "i": i},
                        connection=session.connection(),
                    )
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert errors == []
    hashes = db.session.execute(select(AuditEvent.prev_hash).where(AuditEvent.type == "core.test.concurrent"))
    assert len(set(hashes.scalars())) == writers * each  # no two events follow the same one
    assert run("audit", "verify").exit_code == 0


# --- retention ---------------------------------------------------------------------------


def test_purge_removes_old_traffic_keeps_history_and_still_verifies(app, run, monkeypatch):
    old = utcnow() - timedelta(days=120)
    monkeypatch.setattr("core.audit.service.utcnow", lambda: old)
    for n in range(5):
        record(SIGN_IN_FAILED, data={"email": f"old{n}@a.example"})
        record(AuditType("core.test.history", "History"), data={"n": n})
    db.session.commit()
    monkeypatch.undo()
    recent = record(SIGN_IN_FAILED, data={"email": "recent@a.example"})
    db.session.commit()

    dry = run("audit", "purge", "--dry-run")
    assert "Would remove 5 traffic events older than 90 days" in dry.output
    purged = run("audit", "purge")
    assert purged.exit_code == 0 and "Removed 5" in purged.output
    traffic = db.session.scalars(select(AuditEvent.id).where(AuditEvent.chain == "traffic")).all()
    assert traffic == [recent]
    history = db.session.scalar(select(func.count()).where(AuditEvent.type == "core.test.history"))
    assert history == 5
    checkpoint = db.session.scalar(select(AuditCheckpoint))
    assert checkpoint.removed == 5 and checkpoint.last_id < recent
    assert run("audit", "verify").exit_code == 0
    assert run("audit", "purge").output.startswith("Removed 0")


def test_purge_refuses_when_the_trail_is_broken(app, run, monkeypatch):
    monkeypatch.setattr("core.audit.service.utcnow", lambda: utcnow() - timedelta(days=120))
    first = record(SIGN_IN_FAILED, data={"email": "a@a.example"})
    record(SIGN_IN_FAILED, data={"email": "b@a.example"})
    db.session.commit()
    raw("UPDATE core_audit_events SET ip = '10.1.1.1' WHERE id = :id", id=first)
    result = run("audit", "purge")
    assert result.exit_code == 1 and "nothing purged" in result.output
    traffic = select(func.count()).select_from(AuditEvent).where(AuditEvent.chain == "traffic")
    assert db.session.scalar(traffic) == 2


def test_retention_below_ninety_days_is_refused(run):
    result = run("audit", "purge", KHET_AUDIT_RETENTION_DAYS="30")
    assert result.exit_code == 1 and "KHET_AUDIT_RETENTION_DAYS must be at least 90" in result.output


@pytest.mark.parametrize("proxies, recorded", [(None, "127.0.0.1"), ("1", "203.0.113.7")])
def test_the_visitors_address_is_believed_only_from_trusted_proxies(make_app, app, proxies, recorded):
    environ = {"KHET_TRUSTED_PROXIES": proxies} if proxies else {}
    client = make_app(environ=environ).test_client()
    start = last_id()
    headers = {"X-Forwarded-For": "203.0.113.7"}  # any client can send this header
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/login", headers=headers).text)[1]
    client.post(
        "/login", data={"email": "x@a.example", "password": "wrong", "csrf_token": token}, headers=headers
    )
    [failed] = events_after(start, type="core.auth.sign_in_failed")
    assert failed.ip == recorded


def test_a_negative_proxy_count_is_refused(tmp_path):
    from core.config import ConfigError, load_settings

    with pytest.raises(ConfigError, match="KHET_TRUSTED_PROXIES must be at least 0"):
        load_settings({"KHET_INSTANCE_PATH": str(tmp_path), "KHET_TRUSTED_PROXIES": "-1"})
