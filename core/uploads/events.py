"""Audit events of stored files (their creation is recorded by the model's ``__audit__``)."""

from core.audit.types import AuditType
from core.i18n import N_

FILE_DOWNLOADED = AuditType("core.file.downloaded", N_("File downloaded"))

AUDIT_TYPES = (FILE_DOWNLOADED,)
