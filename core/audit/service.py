"""The one way to write the audit trail: ``record`` for business events, and the ORM listener
that records every insert, update and delete of a model declaring ``__audit__``.

The listener works at the mapper level, inside the flush, on the flush's own connection: a
change and its audit event commit or roll back together, whether the change came from a
staff page, the admin console, a CLI command or a background job.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper

from core.audit.chain import append, plain
from core.audit.context import current_context
from core.audit.models import AuditEvent
from core.audit.types import AuditSpec, AuditType, Change
from core.db import Base, db, utcnow

if TYPE_CHECKING:
    from core.auth.models import User

_UNSET: Any = object()


def record(
    event_type: AuditType,
    *,
    subject: tuple[str, object] | None = None,
    data: dict[str, Any] | None = None,
    actor: User | None = _UNSET,
    on_behalf_of_id: int | None = _UNSET,
    connection: Connection | None = None,
) -> int:
    """Append a business event in the current transaction; the caller commits it.

    ``actor`` overrides the signed-in person (sign-in records the person who has just signed in).
    """
    context = current_context()
    if actor is not _UNSET:
        context = replace(context, actor_id=actor and actor.id, office_id=actor and actor.office_id)
    subject_key, subject_id = subject if subject else (None, None)
    values = {
        "chain": event_type.chain.value,
        "occurred_at": utcnow(),
        "actor_id": context.actor_id,
        "on_behalf_of_id": context.on_behalf_of_id if on_behalf_of_id is _UNSET else on_behalf_of_id,
        "office_id": context.office_id,
        "origin": context.origin,
        "ip": context.ip,
        "user_agent": context.user_agent,
        "request_id": context.request_id,
        "plugin": event_type.plugin,
        "type": event_type.name,
        "subject_key": subject_key,
        "subject_id": None if subject_id is None else str(subject_id),
        "summary": event_type.summary,
        "data": plain(data or {}),
    }
    return append(connection or db.session.connection(), values)


# --- the ORM listener --------------------------------------------------------------------


def spec_of(target: object) -> AuditSpec | None:
    return getattr(type(target), "__audit__", None)


def _subject(spec: AuditSpec, target: object, mapper: Mapper) -> tuple[str, object]:
    if spec.parent is not None:
        return spec.parent(target)
    return spec.key, mapper.primary_key_from_instance(target)[0]


def _fields(spec: AuditSpec, mapper: Mapper) -> list[str]:
    return [attr.key for attr in mapper.column_attrs if attr.key not in spec.exclude]


def _snapshot(spec: AuditSpec, target: object, mapper: Mapper) -> dict[str, Any]:
    # The instance dict, not getattr: a deleted row cannot load what was never loaded.
    state = inspect(target)
    values = {key: state.dict.get(key) for key in _fields(spec, mapper) if key not in spec.redact}
    return {"values": {k: v for k, v in values.items() if v is not None}}


def _changes(spec: AuditSpec, target: object, mapper: Mapper) -> dict[str, Any] | None:
    attrs = inspect(target).attrs
    changes: dict[str, list[Any]] = {}
    hidden: list[str] = []
    for key in _fields(spec, mapper):
        history = attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        if key in spec.redact:
            hidden.append(key)
        else:
            changes[key] = [old, new]
    if not changes and not hidden:
        return None
    return {"changes": changes, "hidden": hidden} if hidden else {"changes": changes}


def _write(change: Change, mapper: Mapper, connection: Connection, target: object) -> None:
    spec = spec_of(target)
    if spec is None:
        return
    data = _snapshot(spec, target, mapper) if change is not Change.UPDATED else _changes(spec, target, mapper)
    if data is None:
        return
    if spec.label is not None:
        data["label"] = spec.label(target)
    if spec.parent is not None:
        data["record"] = spec.key
    record(spec.event_type(change), subject=_subject(spec, target, mapper), data=data, connection=connection)


@event.listens_for(Base, "after_insert", propagate=True)
def _after_insert(mapper: Mapper, connection: Connection, target: object) -> None:
    _write(Change.CREATED, mapper, connection, target)


@event.listens_for(Base, "after_update", propagate=True)
def _after_update(mapper: Mapper, connection: Connection, target: object) -> None:
    _write(Change.UPDATED, mapper, connection, target)


@event.listens_for(Base, "after_delete", propagate=True)
def _after_delete(mapper: Mapper, connection: Connection, target: object) -> None:
    _write(Change.DELETED, mapper, connection, target)


@event.listens_for(AuditEvent, "before_insert")
@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_orm_writes(mapper: Mapper, connection: Connection, target: object) -> None:
    raise PermissionError("audit events are written only by core.audit.record, never through the ORM")
