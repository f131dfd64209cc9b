"""Business events of the service standards, for the audit trail."""

from __future__ import annotations

from core.audit.types import AuditType
from core.i18n import N_

REPORT_EXPORTED = AuditType("core.standards.report_exported", N_("Service report exported"))

AUDIT_TYPES = (REPORT_EXPORTED,)
