"""Issuing the next number of a series, atomically, in the caller's transaction.

``UPDATE … SET last = last + 1 RETURNING last`` takes the row lock (PostgreSQL) or the write
lock (SQLite) until the caller commits, so concurrent registrations get consecutive numbers,
none twice; a rolled-back transaction gives its number back, so none is skipped either.
"""

from __future__ import annotations

from sqlalchemy import insert, update
from sqlalchemy.exc import IntegrityError

from core.db import db
from core.numbering.models import NumberSeries

SERIES = NumberSeries.__table__


def next_number(office_id: int, series: str, year: int, *, start: int = 1) -> int:
    """The next number of ``series`` for the office and year; the first is ``start``."""
    issued = _bump(office_id, series, year)
    if issued is not None:
        return issued
    try:
        with db.session.begin_nested():
            db.session.execute(
                insert(SERIES).values(office_id=office_id, series=series, year=year, last=start)
            )
        return start
    except IntegrityError:  # another transaction opened the series a moment ago
        issued = _bump(office_id, series, year)
        assert issued is not None
        return issued


def _bump(office_id: int, series: str, year: int) -> int | None:
    statement = (
        update(SERIES)
        .where(SERIES.c.office_id == office_id, SERIES.c.series == series, SERIES.c.year == year)
        .values(last=SERIES.c.last + 1)
        .returning(SERIES.c.last)
    )
    return db.session.execute(statement).scalar()
