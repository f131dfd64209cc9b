"""Business events of routing and endorsing (the hand-offs and notes are recorded by model)."""

from __future__ import annotations

from core.audit.types import AuditType
from core.i18n import N_

ENDORSED_PDF_DOWNLOADED = AuditType(
    "saraban.endorsements.downloaded", N_("Letter with its endorsements downloaded")
)

AUDIT_TYPES = (ENDORSED_PDF_DOWNLOADED,)
