"""A fresh database for one run, prepared by the app's own set-up plus 100,000-odd bulk users.

SQLite lives in the run's instance folder. On PostgreSQL the run makes a schema of its own,
``khet_bench_<random>``, points the connection's ``search_path`` at it and drops it with
everything in it at the end, so nothing else in the database is touched. PostgreSQL gets the
planner statistics autovacuum would gather after such a load; SQLite, like a live install,
has none.
"""

from __future__ import annotations

import secrets
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import Connection

from bench.data import insert_users, office_unit_ids, user_rows
from core.app import create_app
from core.auth.models import User
from core.auth.passwords import hash_password
from core.auth.services import generate_password
from core.db import db
from core.demo import DEMO_DOMAIN, DEMO_OFFICE_CODE, DemoLogin, create_demo
from core.org.models import OrgUnit
from core.setup import upgrade_database

ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"


@contextmanager
def scratch_database(instance_path: Path, postgresql_url: str | None, *, keep: bool) -> Iterator[str]:
    """The URL of an empty database: SQLite in ``instance_path``, or a new PostgreSQL schema."""
    if postgresql_url is None:
        yield f"sqlite:///{instance_path / 'khet.db'}"
        return
    schema = f"khet_bench_{secrets.token_hex(4)}"
    engine = create_engine(postgresql_url)
    _execute(engine, f'CREATE SCHEMA "{schema}"')
    try:
        url = engine.url.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        if keep:
            print(f"kept schema {schema}", file=sys.stderr)
        else:
            _execute(engine, f'DROP SCHEMA "{schema}" CASCADE')
        engine.dispose()


def _execute(engine: Engine, statement: str) -> None:
    with engine.begin() as connection:
        connection.execute(text(statement))


def populate(environ: Mapping[str, str], users: int, *, email: str = ADMIN_EMAIL) -> DemoLogin:
    """Migrate, create the demo office, add ``users`` people to it; return the login of ``email``
    (a demo person: the admin unless another is named)."""
    app = create_app(environ)
    with app.app_context():
        upgrade_database()
        person = next(login for login in create_demo() if login.email == email)
        office_id = db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == DEMO_OFFICE_CODE))
        with db.engine.begin() as connection:
            rows = user_rows(
                users,
                office_id=office_id,
                unit_ids=office_unit_ids(connection, office_id),
                password_hash=hash_password(generate_password()),
            )
            insert_users(connection, rows)
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"ANALYZE {User.__tablename__}"))  # as autovacuum soon would
        db.engine.dispose()
    return person


def settle_after_load(engine: Engine, *tables: str) -> float | None:
    """What PostgreSQL does by itself in the minutes after a bulk load, done now so it does not
    run while pages are measured: autovacuum's planner statistics and visibility map (which lets
    an index answer alone), then a checkpoint. The load leaves hundreds of megabytes of changed
    pages; left to itself, the checkpoint it sets off spreads their writing over the next
    four and a half minutes (``checkpoint_completion_target`` of ``checkpoint_timeout``), which
    is when the pages are measured.

    The app's session is closed first: the loader's checks (is the plugin switched on?) left a
    transaction open from before the load, and while it was, VACUUM could not mark the loaded
    rows visible to all, so no index could answer alone (every row read from an index went to
    the table as well).

    Returns the seconds it took; None on SQLite, which, like a live install, gets no statistics
    (and writes a finished transaction's log back into the file as it goes).
    """
    if engine.dialect.name != "postgresql":
        return None
    db.session.remove()
    started = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for name in tables:
            connection.execute(text(f"VACUUM (ANALYZE) {name}"))
        connection.execute(text("CHECKPOINT"))
    return time.perf_counter() - started


def settled(seconds: float | None) -> str:
    """How long ``settle_after_load`` took, to follow the fill's own time in a summary."""
    return f", VACUUM ANALYZE and CHECKPOINT {seconds:.1f} s" if seconds is not None else ""


def move_sequence(connection: Connection, table: str, last_id: int) -> None:
    """After rows were inserted with their ids given, let PostgreSQL's next id follow ``last_id``."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last)"),
            {"table": table, "last": last_id},
        )
