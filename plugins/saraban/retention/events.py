"""Business events of retention and destruction (changes of lists and letters are recorded by model)."""

from __future__ import annotations

from core.audit.types import AuditType
from core.i18n import N_

ARCHIVES_RECORDED = AuditType(
    "saraban.destruction.archives_agreed", N_("National Archives' agreement to a destruction list recorded")
)
LETTERS_DESTROYED = AuditType(
    "saraban.destruction.carried_out", N_("Letters of a destruction list destroyed")
)
LIST_EXPORTED = AuditType("saraban.destruction.exported", N_("Destruction list printed or exported"))

AUDIT_TYPES = (ARCHIVES_RECORDED, LETTERS_DESTROYED, LIST_EXPORTED)
