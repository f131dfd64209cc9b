"""Turning stored events into readable, translated lines: what changed, from what, to what.

Events keep untranslated summaries and raw values; this is the only place that reads them
for people. Field titles come from the model's ``AuditSpec.labels``, references to other
records are shown by their current names, and times in Asia/Bangkok.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, inspect, select
from sqlalchemy.orm import RelationshipDirection

from core.audit.models import AuditEvent
from core.audit.types import AuditSpec, Change
from core.auth.models import User
from core.db import db
from core.i18n import gettext as _
from core.i18n import lazy_gettext as _l
from core.i18n.filters import date_filter, datetime_filter
from core.state import khet

# Titles of the data that core's business events carry.
DATA_LABELS = {
    "email": _l("E-mail"),
    "method": _l("Method"),
    "path": _l("Page"),
    "removed": _l("Events removed"),
    "up_to_id": _l("Up to event"),
    "cutoff": _l("Older than"),
    "retention_days": _l("Kept for (days)"),
    "filters": _l("Filters"),
    "chains": _l("Chain heads"),
}


@dataclass(frozen=True)
class Detail:
    label: str
    old: str | None = None
    new: str | None = None
    changed: bool = False  # shown as "old → new"
    hidden: bool = False  # a secret that changed: the values are not kept


@dataclass(frozen=True)
class EventView:
    event: AuditEvent
    summary: str
    record: str | None  # the record's name when the event was recorded, else its name now
    actor: User | None
    source: str  # who acted when no person did: the command line, a background job
    on_behalf_of: User | None
    details: list[Detail] = field(default_factory=list)


def describe(events: Iterable[AuditEvent]) -> list[EventView]:
    """Readable views of a page of events; the records they name are read once per kind."""
    events = list(events)
    people = _people({e.actor_id for e in events} | {e.on_behalf_of_id for e in events})
    names = _Names()
    for event in events:
        names.want_mentions(event)
    names.load()
    return [
        EventView(
            event=event,
            summary=_(event.summary),
            record=event.data.get("label") or names.record(event),
            actor=people.get(event.actor_id),
            source="" if event.actor_id else _source(event.origin),  # shown only when nobody acted
            on_behalf_of=people.get(event.on_behalf_of_id),
            details=_details(event, names),
        )
        for event in events
    ]


def _source(origin: str) -> str:
    kind, __, name = origin.partition(":")
    if kind == "cli":
        return _("Command line (khet %(command)s)", command=name)
    if kind == "job":
        return _("Background job (%(name)s)", name=name)
    return _("System")


def _people(ids: set[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(wanted)))}


def audited_model(event_type: str) -> type | None:
    """The model whose changes an event type records (``core.user.updated`` → User)."""
    key, __, change = event_type.rpartition(".")
    if change not in set(Change):
        return None
    return khet().registry.audited_models.get(key)


class _Names:
    """The current names of the records a page of events mentions, one query per kind."""

    def __init__(self) -> None:
        self.wanted: dict[type, set[int]] = defaultdict(set)
        self.found: dict[tuple[type, int], str] = {}

    def want(self, model: type | None, value: object) -> None:
        if model is not None and (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
            self.wanted[model].add(int(value))

    def want_mentions(self, event: AuditEvent) -> None:
        if not (event.data or {}).get("label"):
            self.want(khet().registry.audited_models.get(event.subject_key or ""), event.subject_id)
        model = audited_model(event.type)
        if model is None:
            return
        fields = fields_of(model)
        data = event.data or {}
        for key, (old, new) in data.get("changes", {}).items():
            self.want(fields.targets.get(key), old)
            self.want(fields.targets.get(key), new)
        for key, value in data.get("values", {}).items():
            self.want(fields.targets.get(key), value)

    def load(self) -> None:
        for model, ids in self.wanted.items():
            key = inspect(model).primary_key[0]
            for found in db.session.scalars(select(model).where(key.in_(ids))):
                self.found[(model, getattr(found, key.key))] = str(found)

    def name(self, model: type, value: object) -> str | None:
        return self.found.get((model, int(value))) if str(value).isdigit() else None

    def record(self, event: AuditEvent) -> str | None:
        model = khet().registry.audited_models.get(event.subject_key or "")
        return self.name(model, event.subject_id) if model is not None and event.subject_id else None


def _details(event: AuditEvent, names: _Names) -> list[Detail]:
    model = audited_model(event.type)
    data = event.data or {}
    if model is None:
        return [
            Detail(str(DATA_LABELS.get(k, k)), new=_plain_text(v)) for k, v in data.items() if k != "label"
        ]
    fields = fields_of(model)
    details = [
        Detail(fields.label(k), old=fields.text(k, old, names), new=fields.text(k, new, names), changed=True)
        for k, (old, new) in data.get("changes", {}).items()
    ]
    details += [Detail(fields.label(k), hidden=True) for k in data.get("hidden", ())]
    details += [
        Detail(fields.label(k), new=fields.text(k, v, names))
        for k, v in data.get("values", {}).items()
        if k != "id"
    ]
    return details


class _Fields:
    """Titles and value formatting for the columns of one audited model."""

    def __init__(self, model: type):
        self.spec: AuditSpec = model.__audit__
        mapper = inspect(model)
        self.columns = {attr.key: attr.columns[0] for attr in mapper.column_attrs}
        self.targets = {
            next(iter(rel.local_columns)).key: rel.mapper.class_
            for rel in mapper.relationships
            if rel.direction is RelationshipDirection.MANYTOONE and len(rel.local_columns) == 1
        }

    def label(self, key: str) -> str:
        title = self.spec.labels.get(key) or self.spec.labels.get(key.removesuffix("_id"))
        return str(title) if title else key.replace("_", " ")

    def text(self, key: str, value: Any, names: _Names) -> str | None:
        if value is None:
            return None
        if key in self.targets:
            return names.name(self.targets[key], value) or _("#%(id)s (deleted)", id=value)
        column_type = self.columns[key].type if key in self.columns else None
        if isinstance(column_type, Boolean):
            return _("Yes") if value else _("No")
        if isinstance(column_type, DateTime):
            return datetime_filter(datetime.fromisoformat(value))
        if isinstance(column_type, Date):
            return date_filter(date.fromisoformat(value))
        return _plain_text(value)


@cache
def fields_of(model: type) -> _Fields:
    return _Fields(model)


def _plain_text(value: Any) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {_plain_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_plain_text(v) for v in value)
    return str(value)
