"""The audit trail's tables: events in two hash chains, their heads, and purge checkpoints.

Rows of ``core_audit_events`` are written only by ``core.audit.chain.append`` and never
changed: on PostgreSQL triggers refuse UPDATE, DELETE and TRUNCATE (a purge of old traffic
events excepted, see ``core.audit.retention``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base

BigId = BigInteger().with_variant(Integer, "sqlite")  # SQLite numbers rows only with INTEGER


class AuditChain(StrEnum):
    """Each chain is hashed on its own, so that traffic data can be purged without a gap."""

    RECORD = "record"  # changes of records and business actions: kept for good
    TRAFFIC = "traffic"  # computer traffic data (sign-ins, denials): kept for the retention period


class AuditEvent(Base):
    """One thing that happened: who, on whose behalf, from where, to what, and the change."""

    __tablename__ = "core_audit_events"
    __table_args__ = (
        Index("ix_core_audit_events_chain_id", "chain", "id"),
        Index("ix_core_audit_events_actor_id", "actor_id", "id"),
        Index("ix_core_audit_events_office_id", "office_id", "id"),
        Index("ix_core_audit_events_type", "type", "id"),
        Index("ix_core_audit_events_plugin", "plugin", "id"),
        Index("ix_core_audit_events_subject", "subject_key", "subject_id", "id"),
        Index("ix_core_audit_events_occurred_at", "occurred_at"),
        Index("ix_core_audit_events_request_id", "request_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    chain: Mapped[str] = mapped_column(String(10))
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    # The actor's office: an office's administrators read their own office's events.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id"))
    origin: Mapped[str] = mapped_column(String(60))  # web, cli:<command>, job:<name>, system
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    request_id: Mapped[str] = mapped_column(String(32))
    plugin: Mapped[str] = mapped_column(String(40))
    type: Mapped[str] = mapped_column(String(120))
    subject_key: Mapped[str | None] = mapped_column(String(80))
    subject_id: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(String(300))  # untranslated; translated on display
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The newest event of a chain. Writers lock this row, so the chain never forks."""

    __tablename__ = "core_audit_heads"

    chain: Mapped[str] = mapped_column(String(10), primary_key=True)
    last_id: Mapped[int] = mapped_column(BigId)
    hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """Where a purge cut the traffic chain: verification starts again from this hash."""

    __tablename__ = "core_audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    chain: Mapped[str] = mapped_column(String(10))
    last_id: Mapped[int] = mapped_column(BigId)  # the newest purged event
    hash: Mapped[str] = mapped_column(String(64))  # its hash
    removed: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
