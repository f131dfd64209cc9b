"""Keeping the trail provable over time: seals of the chain heads, and purging old traffic data.

A seal (the head hash of each chain) is written outside the database every day; a later
``khet audit verify --seals`` proves that no sealed event was rewritten since, even by
someone able to recompute the whole chain. Purging removes the oldest traffic events (a
prefix of the traffic chain) and leaves a checkpoint from which the rest still verifies.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.engine import Connection

from core.audit.chain import EVENTS, HEADS, Break, starting_point, verify_chain
from core.audit.models import AuditChain, AuditCheckpoint
from core.audit.service import record
from core.audit.types import AUDIT_PURGED, AUDIT_SEALED
from core.db import utcnow

SEAL_FORMAT = "khet-audit-seal/1"


class AuditIntegrityError(RuntimeError):
    """The chain does not verify; nothing is sealed or purged until it is looked into."""

    def __init__(self, problem: Break):
        super().__init__(str(problem))
        self.problem = problem


def verify(connection: Connection) -> list[Break]:
    return [r.problem for r in (verify_chain(connection, c) for c in AuditChain) if r.problem]


def _require_intact(connection: Connection) -> None:
    problems = verify(connection)
    if problems:
        raise AuditIntegrityError(problems[0])


# --- seals -------------------------------------------------------------------------------


def make_seal(connection: Connection) -> dict[str, Any]:
    """The head of each chain, after checking that the chains verify; records that it sealed."""
    _require_intact(connection)
    heads = connection.execute(select(HEADS.c.chain, HEADS.c.last_id, HEADS.c.hash)).all()
    seal = {
        "format": SEAL_FORMAT,
        "sealed_at": utcnow().isoformat(timespec="seconds") + "Z",
        "chains": {row.chain: {"last_id": row.last_id, "hash": row.hash} for row in heads},
    }
    record(AUDIT_SEALED, data={"chains": seal["chains"]}, connection=connection)
    return seal


def write_seal(seal: Mapping[str, Any], directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = seal["sealed_at"].replace(":", "").replace("-", "")
    path = directory / f"audit-seal-{stamp}.json"
    path.write_text(json.dumps(seal, indent=2, sort_keys=True) + "\n")
    return path


def read_seals(paths: Iterable[Path]) -> list[dict[str, Any]]:
    """Seal files, oldest first; a file that is not a seal raises ValueError naming it."""
    seals = []
    for path in paths:
        try:
            seal = json.loads(path.read_text())
            if seal.get("format") != SEAL_FORMAT or not isinstance(seal.get("chains"), dict):
                raise ValueError
        except (OSError, ValueError):
            raise ValueError(f"{path} is not an audit seal") from None
        seal["file"] = str(path)
        seals.append(seal)
    return sorted(seals, key=lambda s: s["sealed_at"])


def check_seals(connection: Connection, seals: Iterable[Mapping[str, Any]]) -> Break | None:
    """The first sealed event that is missing or whose hash differs from its seal."""
    for seal in seals:
        for chain, head in seal["chains"].items():
            problem = _check_sealed_head(connection, chain, head["last_id"], head["hash"], seal["file"])
            if problem:
                return problem
    return None


def _check_sealed_head(
    connection: Connection, chain: str, last_id: int, sealed: str, file: str
) -> Break | None:
    if last_id == 0:
        return None
    stored = connection.execute(select(EVENTS.c.hash).where(EVENTS.c.id == last_id)).scalar_one_or_none()
    if stored is None:
        purged_up_to, checkpoint_hash = starting_point(connection, chain)
        if last_id < purged_up_to or (last_id == purged_up_to and checkpoint_hash == sealed):
            return None  # purged after the seal, as retention allows
        return Break(chain, last_id, f"the event sealed in {file} is missing")
    if stored != sealed:
        return Break(chain, last_id, f"the event differs from its seal in {file}")
    return None


# --- purging traffic data ----------------------------------------------------------------


@dataclass(frozen=True)
class PurgeResult:
    removed: int
    up_to_id: int | None
    cutoff: datetime


def purge_traffic(connection: Connection, retention_days: int, *, dry_run: bool = False) -> PurgeResult:
    """Delete traffic events older than the retention period, oldest first, in one transaction.

    Only a prefix of the traffic chain goes, so the rest verifies from the checkpoint left at
    the cut. Refuses when the chains do not verify: a purge must not destroy evidence.
    """
    cutoff = utcnow() - timedelta(days=retention_days)
    traffic = EVENTS.c.chain == AuditChain.TRAFFIC.value
    first_kept = connection.execute(
        select(func.min(EVENTS.c.id)).where(traffic, EVENTS.c.occurred_at >= cutoff)
    ).scalar()
    old = traffic if first_kept is None else traffic & (EVENTS.c.id < first_kept)
    last = connection.execute(
        select(EVENTS.c.id, EVENTS.c.hash).where(old).order_by(EVENTS.c.id.desc()).limit(1)
    ).first()
    if last is None:
        return PurgeResult(0, None, cutoff)
    removed = connection.execute(select(func.count()).select_from(EVENTS).where(old)).scalar_one()
    if dry_run:
        return PurgeResult(removed, last.id, cutoff)
    _require_intact(connection)
    connection.execute(
        insert(AuditCheckpoint).values(
            chain=AuditChain.TRAFFIC.value,
            last_id=last.id,
            hash=last.hash,
            removed=removed,
            created_at=utcnow(),
        )
    )
    if connection.dialect.name == "postgresql":
        # The append-only trigger lets this transaction, and only it, delete traffic events.
        connection.execute(text("SELECT set_config('khet.audit_purge', 'on', true)"))
    connection.execute(delete(EVENTS).where(old))
    record(
        AUDIT_PURGED,
        data={"removed": removed, "up_to_id": last.id, "cutoff": cutoff, "retention_days": retention_days},
        connection=connection,
    )
    return PurgeResult(removed, last.id, cutoff)
