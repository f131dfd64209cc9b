"""The declarative base, the database extension and column helpers shared by core and plugins."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from weakref import WeakSet

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {getattr(self, 'id', '?')}>"


db = SQLAlchemy(model_class=Base)


def utcnow() -> datetime:
    """Naive UTC now: timestamps are stored in UTC and shown in Asia/Bangkok."""
    return datetime.now(UTC).replace(tzinfo=None)


READS = re.compile(r"\s*(SELECT|WITH)\b", re.IGNORECASE)
CHANGES = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)
LOCKS = ("FOR UPDATE", "FOR NO KEY UPDATE", "FOR SHARE", "FOR KEY SHARE")  # as SQLAlchemy writes them


def is_read_only(statement: str) -> bool:
    """A SELECT that locks no row, or a WITH naming no data change.

    A SELECT is told by substring tests: a regular expression scanning a page's 2 KB query took
    80 µs, and this runs for every query. (A lock missed here would be released by the COMMIT
    as by a ROLLBACK.)
    """
    opening = READS.match(statement)
    if opening is None:
        return False
    if opening.group(1).upper() == "SELECT":
        return not any(lock in statement for lock in LOCKS)
    return CHANGES.search(statement) is None


def end_reads_with_commit(engine: Engine) -> None:
    """On psycopg, end a transaction that ran only reads with COMMIT instead of ROLLBACK.

    To PostgreSQL the two are the same when nothing was written. psycopg, though, forgets every
    statement it prepared at each rollback, and every request ends with one (the session closes),
    so no query ever ran prepared: PostgreSQL parsed and planned the signed-in person's query, the
    top bar's and the page's own anew on every page, 3 ms of its CPU. Only the command sent
    changes: the session rolls back as before (its events, dropped callbacks and discarded
    uploads included). A transaction that ran anything else, or failed, is rolled back.
    """
    if engine.dialect.driver != "psycopg":
        return
    from psycopg.pq import TransactionStatus

    writing: WeakSet[Any] = WeakSet()  # DBAPI connections whose transaction ran a write
    rollback = engine.dialect.do_rollback

    @event.listens_for(engine, "before_cursor_execute")
    def _note_write(connection, cursor, statement, parameters, context, executemany) -> None:
        if executemany or not is_read_only(statement):
            writing.add(connection.connection.dbapi_connection)

    def do_rollback(dbapi_connection: Any) -> None:
        # The pool hands over its proxy, a Connection its psycopg connection.
        raw = getattr(dbapi_connection, "dbapi_connection", dbapi_connection)
        if raw in writing or raw.pgconn.transaction_status != TransactionStatus.INTRANS:
            writing.discard(raw)
            rollback(dbapi_connection)
        else:
            raw.commit()

    @event.listens_for(engine, "commit")
    def _forget(connection) -> None:
        writing.discard(connection.connection.dbapi_connection)

    engine.dialect.do_rollback = do_rollback  # type: ignore[method-assign]
