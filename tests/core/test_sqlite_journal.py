"""On SQLite, readers and a writer do not lock each other out: the database writes ahead to a log."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import PoolProxiedConnection

from core.db import db


@pytest.fixture
def reader_and_writer(app) -> Iterator[tuple[PoolProxiedConnection, PoolProxiedConnection]]:
    """Two connections to a table of one row, as two web workers have."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's journal: on PostgreSQL readers never hold writers up")
    with db.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE journal_probe (id INTEGER PRIMARY KEY)")
        connection.exec_driver_sql("INSERT INTO journal_probe (id) VALUES (1)")
    reader, writer = db.engine.raw_connection(), db.engine.raw_connection()
    yield reader, writer
    reader.close()
    writer.close()
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE journal_probe")


def test_a_write_commits_while_a_long_read_goes_on(reader_and_writer):
    """An export reading the register must not make a clerk's registration fail as "locked";
    with a rollback journal the writer could not commit until the reader finished."""
    reader, writer = reader_and_writer
    reading = reader.cursor()
    reading.execute("BEGIN")
    assert reading.execute("SELECT count(*) FROM journal_probe").fetchone() == (1,)
    writing = writer.cursor()
    writing.execute("PRAGMA busy_timeout = 100")  # fail at once rather than wait 5 s
    writing.execute("INSERT INTO journal_probe (id) VALUES (2)")
    writer.commit()
    # The reader goes on with the snapshot it began with, then sees the new row.
    assert reading.execute("SELECT count(*) FROM journal_probe").fetchone() == (1,)
    reader.rollback()
    assert reading.execute("SELECT count(*) FROM journal_probe").fetchone() == (2,)


def test_a_read_goes_on_while_a_long_write_is_under_way(reader_and_writer):
    """A long write (an import, a million-letter load) spills its changes to the database file
    before it commits; with a rollback journal that takes a lock no reader gets past."""
    reader, writer = reader_and_writer
    writing = writer.cursor()
    writing.execute("PRAGMA cache_size = 1")  # spill at once, as a long write does
    writing.execute("BEGIN")
    writing.executemany("INSERT INTO journal_probe (id) VALUES (?)", [(n,) for n in range(2, 2002)])
    reading = reader.cursor()
    reading.execute("PRAGMA busy_timeout = 100")
    assert reading.execute("SELECT count(*) FROM journal_probe").fetchone() == (1,)
    writer.commit()
    assert reading.execute("SELECT count(*) FROM journal_probe").fetchone() == (2001,)
