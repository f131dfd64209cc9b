"""What can be audited: event types for business actions, and specs for audited models."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from core.audit.models import AuditChain
from core.i18n import N_


@dataclass(frozen=True)
class AuditType:
    """A kind of event, e.g. ``core.auth.signed_in``; ``summary`` is an ``N_`` message id."""

    name: str
    summary: str
    chain: AuditChain = AuditChain.RECORD

    @property
    def plugin(self) -> str:
        return self.name.split(".", 1)[0]


class Change(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"


DEFAULT_SUMMARIES = {
    Change.CREATED: N_("Record created"),
    Change.UPDATED: N_("Record changed"),
    Change.DELETED: N_("Record deleted"),
}


@dataclass(frozen=True)
class AuditSpec:
    """Declared on a model as ``__audit__``: every insert, update and delete is then recorded.

    ``key`` names the kind of record (``core.user``, ``helpdesk.ticket``). Rows that only make
    sense as part of another record (a role's permissions) name that record with ``parent``,
    so that its history shows them.
    """

    key: str
    label: Callable[[Any], str] | None = None  # a name for the record, stored untranslated
    exclude: frozenset[str] = frozenset()  # fields not worth a history entry (last sign-in time)
    redact: frozenset[str] = frozenset()  # fields recorded as changed, their values hidden
    parent: Callable[[Any], tuple[str, object]] | None = None
    labels: Mapping[str, object] = field(default_factory=dict)  # field titles for display
    summaries: Mapping[Change, str] = field(default_factory=dict)

    def event_type(self, change: Change) -> AuditType:
        summary = self.summaries.get(change, DEFAULT_SUMMARIES[change])
        return AuditType(f"{self.key}.{change.value}", summary)

    def event_types(self) -> list[AuditType]:
        return [self.event_type(change) for change in Change]


# Business events of core. Traffic events are the Computer Crime Act's traffic data.
SIGNED_IN = AuditType("core.auth.signed_in", N_("Signed in"), AuditChain.TRAFFIC)
SIGNED_OUT = AuditType("core.auth.signed_out", N_("Signed out"), AuditChain.TRAFFIC)
SIGN_IN_FAILED = AuditType("core.auth.sign_in_failed", N_("Sign-in failed"), AuditChain.TRAFFIC)
PASSWORD_CONFIRM_FAILED = AuditType(
    "core.auth.confirm_failed", N_("Password confirmation failed"), AuditChain.TRAFFIC
)
LOCKED_OUT = AuditType("core.auth.locked_out", N_("Locked out after failed attempts"), AuditChain.TRAFFIC)
IDLE_SIGNED_OUT = AuditType(
    "core.auth.idle_signed_out", N_("Signed out after inactivity"), AuditChain.TRAFFIC
)
ACCESS_DENIED = AuditType("core.access.denied", N_("Access denied"), AuditChain.TRAFFIC)
AUDIT_EXPORTED = AuditType("core.audit.exported", N_("Audit trail exported"))
AUDIT_PURGED = AuditType("core.audit.purged", N_("Old traffic events purged"))
AUDIT_SEALED = AuditType("core.audit.sealed", N_("Audit trail sealed"))

CORE_AUDIT_TYPES = (
    SIGNED_IN,
    SIGNED_OUT,
    SIGN_IN_FAILED,
    PASSWORD_CONFIRM_FAILED,
    LOCKED_OUT,
    IDLE_SIGNED_OUT,
    ACCESS_DENIED,
    AUDIT_EXPORTED,
    AUDIT_PURGED,
    AUDIT_SEALED,
)
