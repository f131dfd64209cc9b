"""The audit events of approval actions."""

from __future__ import annotations

from core.approvals.models import ActionKind
from core.audit import AuditType
from core.i18n import N_

AUDIT_TYPES = {
    ActionKind.SUBMIT: AuditType("core.approval.submit", N_("Submitted for approval")),
    ActionKind.APPROVE: AuditType("core.approval.approve", N_("Approved a step")),
    ActionKind.REJECT: AuditType("core.approval.reject", N_("Rejected")),
    ActionKind.RETURN: AuditType("core.approval.return", N_("Returned for revision")),
    ActionKind.RESUBMIT: AuditType("core.approval.resubmit", N_("Resubmitted")),
    ActionKind.WITHDRAW: AuditType("core.approval.withdraw", N_("Withdrawn")),
    ActionKind.COMMENT: AuditType("core.approval.comment", N_("Commented")),
    ActionKind.REASSIGN: AuditType("core.approval.reassign", N_("Passed to another person")),
}
