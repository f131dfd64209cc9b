"""Translated words of the approval pages: action names, statuses and refusals."""

from __future__ import annotations

from core.approvals.engine import ApprovalError
from core.approvals.models import ActionKind, RequestStatus, StepStatus
from core.i18n import gettext as _
from core.i18n import lazy_gettext as _l

ACTION_LABELS = {
    ActionKind.SUBMIT: _l("Submitted"),
    # The endorsement says what was decided (เห็นชอบ, อนุมัติ, ไม่อนุมัติ); an opinion on the
    # way up is not an approval of the request.
    ActionKind.APPROVE: _l("Decided"),
    ActionKind.REJECT: _l("Decided"),
    ActionKind.RETURN: _l("Returned for revision"),
    ActionKind.RESUBMIT: _l("Resubmitted"),
    ActionKind.WITHDRAW: _l("Withdrawn"),
    ActionKind.COMMENT: _l("Comment"),
    ActionKind.REASSIGN: _l("Passed to"),
}

REQUEST_STATUS_LABELS = {
    RequestStatus.IN_PROGRESS: _l("Under consideration"),
    RequestStatus.RETURNED: _l("Returned for revision"),
    RequestStatus.APPROVED: _l("Approved"),
    RequestStatus.REJECTED: _l("Not approved"),
    RequestStatus.WITHDRAWN: _l("Withdrawn"),
}

STEP_STATUS_LABELS = {
    StepStatus.WAITING: _l("Not reached"),
    StepStatus.PENDING: _l("Waiting for a decision"),
    StepStatus.APPROVED: _l("Passed"),
    StepStatus.REJECTED: _l("Not approved"),
    StepStatus.RETURNED: _l("Returned"),
    StepStatus.SKIPPED: _l("Skipped (the requester holds this post)"),
}

DONE_MESSAGES = {
    ActionKind.APPROVE: _l("Your decision is signed and recorded."),
    ActionKind.REJECT: _l("Your decision is signed and recorded."),
    ActionKind.RETURN: _l("Returned for revision."),
    ActionKind.RESUBMIT: _l("Sent up again."),
    ActionKind.WITHDRAW: _l("The request is withdrawn."),
    ActionKind.COMMENT: _l("Your comment is recorded."),
    ActionKind.REASSIGN: _l("Passed on."),
}


def refusal(error: ApprovalError) -> str:
    """Why an action was not taken, in the reader's language; nothing was changed."""
    reason, params = error.reason, error.params
    if reason == "stale":
        return _(
            "Someone else acted on this request a moment ago. The page now shows where it stands; "
            "nothing you sent was applied."
        )
    if reason == "comment_required":
        return _("Write a comment: this action needs one.")
    if reason == "signature_required":
        return _("Type your password to sign your decision.")
    if reason == "no_approver":
        return _(
            "No one can decide the step “%(step)s”: nobody holds the role it names for your unit. "
            "Ask your office's administrator to grant it.",
            step=params.get("step", ""),
        )
    if reason == "already_submitted":
        return _("This has already been submitted and is still under consideration.")
    if reason in ("no_chain", "unknown_subject"):
        return _("There is no approval chain for this kind of record.")
    if reason == "bad_target":
        return _("Choose an active person of the same office, other than the requester.")
    if reason == "already_candidate":
        return _("That person can already decide this step.")
    return _("You cannot do that on this request now.")
