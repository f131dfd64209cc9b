"""Business events of the registers, for the audit trail (changes of letters are recorded by model)."""

from __future__ import annotations

from core.audit.types import AuditType
from core.i18n import N_

REGISTER_EXPORTED = AuditType("saraban.register.exported", N_("Register printed or exported"))

AUDIT_TYPES = (REGISTER_EXPORTED,)
