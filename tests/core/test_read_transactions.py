"""A transaction that only read ends with COMMIT on PostgreSQL, so psycopg keeps its prepared
statements; anything that wrote is rolled back exactly as before."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import ProgrammingError

from core.auth.models import User
from core.db import db, is_read_only
from tests.conftest import make_user


@pytest.fixture
def postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("psycopg's prepared statements: SQLite has nothing to keep")


def _prepared() -> int:
    return db.session.execute(text("SELECT count(*) FROM pg_prepared_statements")).scalar_one()


def test_reads_keep_the_statements_psycopg_prepared(postgresql):
    """psycopg prepares a statement on its sixth run and forgets them all at a rollback."""
    for _ in range(6):
        db.session.execute(select(func.count(User.id)).where(User.active.is_(True))).scalar_one()
        db.session.rollback()  # what the end of every request does
    assert _prepared() >= 1


@pytest.mark.parametrize(
    ("statement", "reads"),
    [
        ("SELECT 1", True),
        ("  with recent AS (SELECT id FROM t) SELECT * FROM recent", True),
        ("SELECT id FROM t FOR UPDATE", False),
        ("WITH gone AS (DELETE FROM t RETURNING id) SELECT * FROM gone", False),
        ("INSERT INTO t VALUES (1)", False),
        ("UPDATE t SET a = 1", False),
        ("SAVEPOINT sa_savepoint_1", False),
    ],
)
def test_only_plain_reads_count_as_reads(statement, reads):
    assert is_read_only(statement) is reads


def test_what_was_written_is_still_rolled_back(postgresql, two_offices):
    person = make_user("somchai@a.example", two_offices["A"]["unit"], name="สมชาย")
    db.session.commit()
    person_id = person.id
    db.session.execute(update(User).where(User.id == person_id).values(name="ไม่ควรอยู่"))
    db.session.rollback()
    make_user("nobody@a.example", two_offices["A"]["unit"])
    db.session.flush()
    db.session.rollback()
    with pytest.raises(ProgrammingError):
        db.session.execute(text("SELECT no_such_column FROM core_users"))
    db.session.rollback()  # a failed transaction
    assert db.session.get(User, person_id).name == "สมชาย"
    assert db.session.scalar(select(User).where(User.email == "nobody@a.example")) is None
