"""Reading the trail: filters, keyset pages (newest first) and streaming for export.

Pages never count the matching rows and never skip with OFFSET: each page starts below the
last id of the one before, so the millionth event is as quick to reach as the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Connection, RowMapping, Select, select

from core.audit.models import AuditEvent
from core.db import db
from core.i18n.thaidate import BANGKOK

PAGE_SIZE = 50
EXPORT_BATCH = 1000


@dataclass(frozen=True)
class AuditFilter:
    """What the viewer asks for; empty fields do not filter."""

    actor_ids: tuple[int, ...] | None = None  # None: anyone; (): nobody matched the person asked for
    office_id: int | None = None
    type: str | None = None
    plugin: str | None = None
    subject_key: str | None = None
    subject_id: str | None = None
    since: date | None = None  # days in Asia/Bangkok, both included
    until: date | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.actor_ids is not None:
            found.append(AuditEvent.actor_id.in_(self.actor_ids))
        for column, value in (
            (AuditEvent.office_id, self.office_id),
            (AuditEvent.type, self.type),
            (AuditEvent.plugin, self.plugin),
            (AuditEvent.subject_key, self.subject_key),
            (AuditEvent.subject_id, self.subject_id),
        ):
            if value is not None:
                found.append(column == value)
        if self.since is not None:
            start = _utc_midnight(self.since)
            found += [AuditEvent.occurred_at >= start, *_ids_after_time(start - CLOCK_SKEW)]
        if self.until is not None:
            end = _utc_midnight(self.until + timedelta(days=1))
            found += [AuditEvent.occurred_at < end, *_ids_before_time(end + CLOCK_SKEW)]
        return found


# An event's time is taken before its transaction waits for the chain's lock and inserts it,
# so ids follow times only to within this margin. Pages are ordered by id: a date range is
# also turned into an id range (two index look-ups), so the newest page of an old week reads
# that week's rows, not every row after it.
CLOCK_SKEW = timedelta(hours=1)


def _ids_after_time(moment: datetime) -> list[ColumnElement[bool]]:
    """Every event stamped at or after ``moment + CLOCK_SKEW`` has an id above this one."""
    before = db.session.scalar(
        select(AuditEvent.id)
        .where(AuditEvent.occurred_at < moment)
        .order_by(AuditEvent.occurred_at.desc())
        .limit(1)
    )
    return [] if before is None else [AuditEvent.id > before]


def _ids_before_time(moment: datetime) -> list[ColumnElement[bool]]:
    """Every event stamped before ``moment - CLOCK_SKEW`` has an id below this one."""
    after = db.session.scalar(
        select(AuditEvent.id)
        .where(AuditEvent.occurred_at >= moment)
        .order_by(AuditEvent.occurred_at)
        .limit(1)
    )
    return [] if after is None else [AuditEvent.id < after]


def _utc_midnight(day: date) -> datetime:
    """The start of a Bangkok day as stored (naive UTC)."""
    return datetime.combine(day, time(), BANGKOK).astimezone(UTC).replace(tzinfo=None)


def _query(audit_filter: AuditFilter, before_id: int | None, entity=AuditEvent) -> Select:
    query = select(entity).where(*audit_filter.conditions())
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return query.order_by(AuditEvent.id.desc())


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditEvent]
    older: int | None  # the ``before`` of the next page, None on the last one


def page(audit_filter: AuditFilter, before_id: int | None = None, size: int = PAGE_SIZE) -> AuditPage:
    """One page of events, newest first; one row more is read to know whether more follow."""
    rows = list(db.session.scalars(_query(audit_filter, before_id).limit(size + 1)))
    return AuditPage(rows[:size], rows[size - 1].id if len(rows) > size else None)


def stream(connection: Connection, audit_filter: AuditFilter) -> Iterator[RowMapping]:
    """Every matching event as a plain row, newest first, a batch at a time.

    Rows on a connection of its own, not ORM objects: an export of any size never fills a
    session, and a response can stream it after the request's context has ended.
    """
    before_id = None
    while True:
        query = _query(audit_filter, before_id, AuditEvent.__table__).limit(EXPORT_BATCH)
        batch = connection.execute(query).mappings().all()
        yield from batch
        if len(batch) < EXPORT_BATCH:
            return
        before_id = batch[-1]["id"]
