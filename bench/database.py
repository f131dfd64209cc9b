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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, select, text

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


def populate(environ: Mapping[str, str], users: int) -> DemoLogin:
    """Migrate, create the demo office, add ``users`` people to it; return the admin's login."""
    app = create_app(environ)
    with app.app_context():
        upgrade_database()
        admin = next(login for login in create_demo() if login.email == ADMIN_EMAIL)
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
    return admin
