"""Fixtures shared by every test: applications on SQLite and PostgreSQL, people, sign-in.

Every test that touches the database runs once per backend. PostgreSQL runs when
``KHET_TEST_POSTGRES_URL`` is set (CI sets it) and is skipped, saying why, otherwise.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, insert, inspect, make_url, text
from werkzeug.routing import Rule

from core.app import create_app
from core.audit.chain import GENESIS
from core.audit.models import AuditChain, AuditHead
from core.auth.models import Role, RoleAssignment, User
from core.auth.passwords import hash_password
from core.db import db
from core.jobs import shutdown
from core.org.models import OrgUnit, OrgUnitKind
from core.setup import seed_roles_and_permissions, upgrade_database

SECRET_KEY = "test-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
PASSWORD = "Correct-Horse-Battery-2569"
_PASSWORD_HASH = hash_password(PASSWORD)  # argon2 is slow on purpose: hash once per run
# pytest-xdist runs the suite in several processes ("gw0", "gw1", ...); each gets a database
# and a Redis database of its own, so that no process empties or reads another's.
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))


def _compile_each_url_builder_once() -> None:
    """Every test builds two applications, and Werkzeug compiles each route's two URL builders
    from generated Python: two-thirds of building an application (170 ms, 68 without). A
    builder's code depends only on the rule's parts when it has no defaults, so it is compiled
    once per process and bound to the same rule of each later application."""
    compile_builder = Rule._compile_builder
    compiled: dict[tuple, Callable] = {}

    def compile_once(rule: Rule, append_unknown: bool = True) -> Callable:
        if rule.defaults:
            return compile_builder(rule, append_unknown)
        key = (rule.rule, tuple(rule._trace), append_unknown)
        if key not in compiled:
            compiled[key] = compile_builder(rule, append_unknown)
        return compiled[key]

    Rule._compile_builder = compile_once


_compile_each_url_builder_once()


def _worker_postgres_url(url: str | None) -> str | None:
    """``.../test`` for the first process, ``.../test_gw1`` for the second, and so on."""
    if url is None or WORKER == 0:
        return url
    base = make_url(url)
    return base.set(database=f"{base.database}_gw{WORKER}").render_as_string(hide_password=False)


def _worker_redis_url(url: str | None) -> str | None:
    """Redis database 15 for the first process, 14 for the second, ..."""
    if url is None or WORKER == 0:
        return url
    base, _, number = url.rpartition("/")
    return f"{base}/{int(number or 0) - WORKER}"


POSTGRES_URL = _worker_postgres_url(os.environ.get("KHET_TEST_POSTGRES_URL"))
REDIS_URL = _worker_redis_url(os.environ.get("KHET_TEST_REDIS_URL"))


def pytest_sessionstart(session: pytest.Session) -> None:
    """Create this process's PostgreSQL test database when it is missing."""
    if POSTGRES_URL is None:
        return
    url = make_url(POSTGRES_URL)
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        found = text("SELECT 1 FROM pg_database WHERE datname = :name")
        if not connection.scalar(found, {"name": url.database}):
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    server.dispose()


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    """A migrated, empty database per backend, shared by the whole run."""
    if request.param == "postgresql":
        if not POSTGRES_URL:
            pytest.skip("KHET_TEST_POSTGRES_URL is not set: the PostgreSQL variant is skipped")
        _reset_postgres(POSTGRES_URL)
        url = POSTGRES_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'khet.db'}"
    app = create_app(_environ(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        upgrade_database()
        db.engine.dispose()
    return url


def _environ(url: str, instance: Path, **extra: str) -> dict[str, str]:
    return {
        "KHET_DATABASE_URL": url,
        "KHET_INSTANCE_PATH": str(instance),
        "KHET_SECRET_KEY": SECRET_KEY,
        **extra,
    }


def _empty_tables() -> None:
    """Delete every row, children first, so each test starts from seeded roles only."""
    existing = set(inspect(db.engine).get_table_names())
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # The audit trail's triggers refuse deletes; tests start from an empty trail.
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        for table in reversed(db.metadata.sorted_tables):
            if table.name in existing:
                connection.execute(table.delete())
        connection.execute(
            insert(AuditHead), [{"chain": chain, "last_id": 0, "hash": GENESIS} for chain in AuditChain]
        )


MakeApp = Callable[..., Flask]


@pytest.fixture
def make_app(database_url, tmp_path) -> Iterator[MakeApp]:
    """Build applications on the test database: ``make_app(plugins="a,b", **flask_config)``."""
    apps: list[Flask] = []

    def factory(plugins: str | None = None, environ: dict[str, str] | None = None, **config) -> Flask:
        extra = dict(environ or {})
        if plugins is not None:
            extra["KHET_PLUGINS"] = plugins
        config.setdefault("TESTING", True)
        config.setdefault("KHET_RATELIMIT_PREFIX", f"khet-test-{os.getpid()}-{id(tmp_path)}-{len(apps)}")
        app = create_app(_environ(database_url, tmp_path / "instance", **extra), config=config)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        shutdown(app)  # no worker thread outlives its test
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app) -> Iterator[Flask]:
    """The test's own application with every installed plugin, its app context pushed so that
    the test can prepare and inspect data; tables start empty but for the seeded roles."""
    application = make_app()
    with application.app_context():
        _empty_tables()
        seed_roles_and_permissions()
        db.session.commit()
        yield application
        db.session.rollback()


@pytest.fixture
def web(app, make_app) -> Flask:
    """The application that serves the test's requests.

    A twin of ``app`` on the same database: Flask reuses an app context that is already
    pushed for the same application, which would share ``g`` and the database session
    between the test and every request. Requests to the twin get their own, as in production.
    """
    return make_app()


@pytest.fixture
def run(app, tmp_path):
    """Run ``khet ...`` against the test database; returns the click result."""
    from core.cli import cli

    environ = {
        "KHET_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "KHET_INSTANCE_PATH": str(tmp_path / "cli-instance"),
        "KHET_SECRET_KEY": SECRET_KEY,
    }

    def invoke(*args: str, input: str | None = None, **extra_env: str):
        result = CliRunner().invoke(
            cli, list(args), env={**environ, **extra_env}, input=input, catch_exceptions=False
        )
        db.session.expire_all()
        return result

    return invoke


@pytest.fixture
def client(web) -> FlaskClient:
    return web.test_client()


# --- people and places ---------------------------------------------------------------------


def make_office(name: str, code: str) -> dict[str, OrgUnit]:
    """An office with a DLICT group, a work unit under it and a school."""
    office = OrgUnit(kind=OrgUnitKind.OFFICE, name=name, code=code)
    group = OrgUnit(kind=OrgUnitKind.GROUP, name=f"กลุ่ม DLICT {code}", parent=office, code=f"{code}-G")
    unit = OrgUnit(kind=OrgUnitKind.WORK_UNIT, name=f"งานศูนย์ ICT {code}", parent=group, code=f"{code}-U")
    school = OrgUnit(kind=OrgUnitKind.SCHOOL, name=f"โรงเรียนทดสอบ {code}", parent=office, code=f"{code}-S")
    db.session.add(office)
    db.session.flush()
    return {"office": office, "group": group, "unit": unit, "school": school}


def make_user(
    email: str,
    unit: OrgUnit | None = None,
    role: str | None = None,
    *,
    role_unit: OrgUnit | None = None,
    name: str | None = None,
    **fields,
) -> User:
    """A person with the shared test password and, optionally, one role within ``role_unit``."""
    user = User(email=email, name=name or email.split("@")[0], org_unit=unit, **fields)
    user.password_hash = _PASSWORD_HASH
    if role:
        role_row = db.session.query(Role).filter_by(name=role).one()
        user.role_assignments.append(
            RoleAssignment(role=role_row, org_unit=role_unit or (unit.office if unit else None))
        )
    db.session.add(user)
    db.session.flush()
    return user


@pytest.fixture
def two_offices(app) -> dict[str, dict[str, OrgUnit]]:
    a = make_office("สพป.ทดสอบ เขต 1", "A")
    b = make_office("สพม.ทดสอบ เขต 2", "B")
    db.session.commit()
    return {"A": a, "B": b}


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of the client's session, read from a rendered form."""
    match = CSRF_RE.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: FlaskClient, email: str, password: str = PASSWORD):
    token = csrf_token(client)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def post(client: FlaskClient, path: str, data: dict | None = None, *, token_page: str = "/", **kwargs):
    """POST a form with the session's CSRF token, as a browser would."""
    payload = {"csrf_token": csrf_token(client, token_page), **(data or {})}
    return client.post(path, data=payload, **kwargs)
