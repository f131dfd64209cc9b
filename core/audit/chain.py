"""The hash chains: appending an event, and walking a chain to prove nobody rewrote it.

Each event stores ``hash = SHA-256(prev_hash || canonical JSON of its content)``, where the
content is every column but ``id`` and the two hashes. A writer first locks its chain's head
row, so concurrent transactions append one after the other and the chain never forks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.engine import Connection

from core.audit.models import AuditChain, AuditCheckpoint, AuditEvent, AuditHead

GENESIS = "0" * 64
HASHED_FIELDS = (
    "chain",
    "occurred_at",
    "actor_id",
    "on_behalf_of_id",
    "office_id",
    "origin",
    "ip",
    "user_agent",
    "request_id",
    "plugin",
    "type",
    "subject_key",
    "subject_id",
    "summary",
    "data",
)
EVENTS = AuditEvent.__table__
HEADS = AuditHead.__table__


class AuditChainError(RuntimeError):
    """The audit tables are missing their chain heads (the database is not migrated)."""


def plain(value: Any) -> Any:
    """A JSON value for anything a column holds; what is hashed is exactly what is stored."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)


def canonical(content: Mapping[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, content: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(content)).encode()).hexdigest()


def content_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """The hashed content of an event, from a row or the values about to be inserted."""
    content = {name: row[name] for name in HASHED_FIELDS}
    content["occurred_at"] = row["occurred_at"].isoformat(timespec="microseconds")
    return content


def append(connection: Connection, values: Mapping[str, Any]) -> int:
    """Insert one event at the end of its chain in the connection's transaction; return its id."""
    if connection.dialect.name == "postgresql":
        return _append_in_one_statement(connection, values)
    chain = values["chain"]
    # Updating the head row takes its lock until commit: the next writer waits here, then
    # reads the head this transaction leaves.
    prev_hash = connection.execute(
        update(HEADS).where(HEADS.c.chain == chain).values(last_id=HEADS.c.last_id).returning(HEADS.c.hash)
    ).scalar_one_or_none()
    if prev_hash is None:
        raise AuditChainError(f"the audit chain {chain!r} has no head: run `khet db upgrade`")
    digest = chain_hash(prev_hash, content_of(values))
    event_id = connection.execute(
        insert(EVENTS).values(**values, prev_hash=prev_hash, hash=digest).returning(EVENTS.c.id)
    ).scalar_one()
    connection.execute(update(HEADS).where(HEADS.c.chain == chain).values(last_id=event_id, hash=digest))
    return event_id


# PostgreSQL locks the head, hashes, inserts and moves the head in one round trip. A writer
# blocked on FOR UPDATE reads the head its predecessor committed, so the chain never forks;
# sha256 over the same UTF-8 text gives the hash ``chain_hash`` computes when verifying.
_COLUMNS = [name for name in HASHED_FIELDS if name != "data"]
_APPEND_SQL = text(
    f"""
    WITH head AS (SELECT hash FROM core_audit_heads WHERE chain = :chain FOR UPDATE),
    added AS (
        INSERT INTO core_audit_events ({", ".join(_COLUMNS)}, data, prev_hash, hash)
        SELECT {", ".join(":" + name for name in _COLUMNS)}, CAST(:data AS json), head.hash,
               encode(sha256(convert_to(head.hash || :content, 'UTF8')), 'hex')
        FROM head
        RETURNING id, hash
    )
    UPDATE core_audit_heads SET last_id = added.id, hash = added.hash
    FROM added WHERE core_audit_heads.chain = :chain
    RETURNING added.id
    """
)


def _append_in_one_statement(connection: Connection, values: Mapping[str, Any]) -> int:
    parameters = {name: values[name] for name in _COLUMNS}
    parameters |= {
        "data": json.dumps(values["data"], ensure_ascii=False),
        "content": canonical(content_of(values)),
    }
    event_id = connection.execute(_APPEND_SQL, parameters).scalar_one_or_none()
    if event_id is None:
        raise AuditChainError(f"the audit chain {values['chain']!r} has no head: run `khet db upgrade`")
    return event_id


@dataclass(frozen=True)
class Break:
    """The first event of a chain that does not verify, and why."""

    chain: str
    event_id: int | None
    reason: str

    def __str__(self) -> str:
        where = f"event {self.event_id}" if self.event_id is not None else "the end of the chain"
        return f"{self.chain} chain broken at {where}: {self.reason}"


@dataclass
class ChainReport:
    chain: str
    checked: int = 0
    last_id: int = 0
    head_hash: str = GENESIS
    problem: Break | None = None


BATCH = 2000


def _rows(connection: Connection, chain: str, after_id: int) -> Iterator[Mapping[str, Any]]:
    """Every event of a chain after ``after_id`` in order, a batch at a time (constant memory)."""
    while True:
        batch = (
            connection.execute(
                select(EVENTS)
                .where(EVENTS.c.chain == chain, EVENTS.c.id > after_id)
                .order_by(EVENTS.c.id)
                .limit(BATCH)
            )
            .mappings()
            .all()
        )
        yield from batch
        if len(batch) < BATCH:
            return
        after_id = batch[-1]["id"]


def starting_point(connection: Connection, chain: str) -> tuple[int, str]:
    """Where a chain's verifiable part begins: its last purge checkpoint, or the genesis."""
    checkpoint = connection.execute(
        select(AuditCheckpoint.last_id, AuditCheckpoint.hash)
        .where(AuditCheckpoint.chain == chain)
        .order_by(AuditCheckpoint.id.desc())
        .limit(1)
    ).first()
    return (checkpoint.last_id, checkpoint.hash) if checkpoint else (0, GENESIS)


def verify_chain(connection: Connection, chain: AuditChain) -> ChainReport:
    """Recompute every link of a chain; stop at the first event that does not match."""
    last_id, expected = starting_point(connection, chain)
    report = ChainReport(chain=chain, last_id=last_id, head_hash=expected)
    for row in _rows(connection, chain, last_id):
        if row["prev_hash"] != expected:
            report.problem = Break(chain, row["id"], "the event before it is missing, added or altered")
            return report
        if chain_hash(expected, content_of(row)) != row["hash"]:
            report.problem = Break(chain, row["id"], "its content was altered")
            return report
        expected, report.last_id = row["hash"], row["id"]
        report.checked += 1
    report.head_hash = expected
    head = connection.execute(select(HEADS.c.last_id, HEADS.c.hash).where(HEADS.c.chain == chain)).first()
    if head is None or (head.last_id, head.hash) != (report.last_id, expected):
        report.problem = Break(chain, None, "events after the last one found were removed")
    return report
