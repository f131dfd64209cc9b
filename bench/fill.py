"""What the plugin benchmarks share to fill an office: arrival times, parent rows with their
children in bulk, and number series moved past the numbers the fill used."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from itertools import islice
from typing import Any

from sqlalchemy import Table, insert, update
from sqlalchemy.engine import Connection

from bench.data import CHUNK_SIZE
from bench.run import step
from core.i18n.thaidate import BANGKOK
from core.numbering.models import NumberSeries

OPENS, WORKING_HOURS = clock(8, 30), timedelta(hours=8)


def arrivals(count: int, today: date, years: int) -> Iterator[datetime]:
    """``count`` moments spread evenly over the working hours of the last ``years`` years'
    weekdays (to yesterday), in order, in naive UTC as stored."""
    first = today - timedelta(days=365 * years)
    every_day = (first + timedelta(days=n) for n in range((today - first).days))
    days = [day for day in every_day if day.weekday() < 5]
    for number in range(count):
        position = number * len(days) / count
        local = datetime.combine(days[int(position)], OPENS, BANGKOK) + WORKING_HOURS * (
            position - int(position)
        )
        yield local.astimezone(UTC).replace(tzinfo=None)


Family = tuple[dict[str, Any], list[dict[str, Any]]]


def insert_families(
    connection: Connection, parents: Table, children: Table, rows: Iterator[Family], noun: str
) -> int:
    """Parent rows (tickets, letters) and their children (entries, readers) in chunks of
    executemany, reporting progress every ten chunks; a search index's triggers fire on SQLite."""
    inserted = 0
    while chunk := list(islice(rows, CHUNK_SIZE)):
        connection.execute(insert(parents), [parent for parent, _ in chunk])
        connection.execute(insert(children), [child for _, family in chunk for child in family])
        inserted += len(chunk)
        if inserted % (10 * CHUNK_SIZE) < len(chunk):
            step(f"  {inserted:,} {noun}")
    return inserted


def move_series(connection: Connection, office_id: int, name: str, year: int, last: int) -> None:
    """Move an office's number series past the numbers the fill used, so that the next record
    created through the app follows them."""
    series = NumberSeries.__table__
    mine = (series.c.office_id == office_id, series.c.series == name, series.c.year == year)
    if not connection.execute(update(series).where(*mine).values(last=last)).rowcount:
        connection.execute(insert(series).values(office_id=office_id, series=name, year=year, last=last))
