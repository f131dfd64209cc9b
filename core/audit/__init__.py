"""The audit trail: append-only, hash-chained, and complete.

``record(event_type, ...)`` writes a business event; models that declare
``__audit__ = AuditSpec(...)`` have every insert, update and delete recorded by one ORM
listener. Nothing else writes the trail.
"""

from core.audit.context import audit_context
from core.audit.models import AuditChain
from core.audit.service import record
from core.audit.types import AuditSpec, AuditType

__all__ = ["AuditChain", "AuditSpec", "AuditType", "audit_context", "record"]
