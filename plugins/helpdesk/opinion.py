"""The service request form (แบบฟอร์มขอใช้บริการ, seed 001): requester, position, group or
school, purpose, date and time → the DLICT group director's opinion → the performer's record.

A general request filed by a person goes up the chain ``helpdesk.service_request`` before anyone
works on it. Its step offers the form's own words, อนุญาต / ไม่อนุญาต; it is decided by the
holders of ``helpdesk.request.review`` (the group director by default; those whose grant covers
the ticket's queue first). Permitted, the request waits in the queue to be worked on; not
permitted or withdrawn, it is closed and not counted as a service given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.approvals.contributions import (
    APPROVE,
    REJECT,
    ApprovalSubject,
    ChainTemplate,
    Decision,
    DecisionVocabulary,
    StepTemplate,
)
from core.approvals.engine import ApprovalError, submit
from core.approvals.messages import refusal
from core.approvals.models import (
    ActionKind,
    ApprovalAction,
    ApprovalRequest,
    ApproverRule,
    RequestStatus,
)
from core.approvals.views import latest_request
from core.auth.models import User
from core.db import db
from core.i18n import N_
from core.i18n import lazy_gettext as _l
from core.notifications import NotificationKind
from plugins.helpdesk.models import RequestType, Step, Ticket, TicketStatus
from plugins.helpdesk.services import (
    OPINION_SUBJECT,
    TicketError,
    add_step,
    change_status,
    deciders,
    tell_requester,
    tell_workers,
)

SUBJECT = OPINION_SUBJECT
REVIEW = "helpdesk.request.review"
VOCABULARY = "helpdesk.permit"
PERMITTED_MESSAGE = N_("The DLICT group director permits your request %(number)s “%(title)s”.")
READY_MESSAGE = N_("Request %(number)s “%(title)s” is permitted: it can be worked on.")

PERMIT = DecisionVocabulary(
    VOCABULARY,
    (
        Decision("permit", _l("Permit"), "อนุญาต", APPROVE),
        Decision("refuse", _l("Do not permit"), "ไม่อนุญาต", REJECT),
    ),
)
CHAIN = ChainTemplate(
    SUBJECT,
    "แบบฟอร์มขอใช้บริการ: ความเห็นของผู้อำนวยการกลุ่ม DLICT",
    (
        StepTemplate(
            "ความเห็นของผู้อำนวยการกลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร",
            ApproverRule.RESOLVER,
            sla_hours=7,
            vocabulary=VOCABULARY,
        ),
    ),
)


@dataclass(frozen=True)
class Opinion:
    """The director's opinion as the form prints it."""

    pending: bool
    permitted: bool | None = None
    endorsement: str | None = None
    comment: str | None = None
    by: User | None = None
    on_behalf_of: User | None = None
    delegation_kind: str | None = None
    at: datetime | None = None


def needs_opinion(ticket: Ticket) -> bool:
    return ticket.request_type == RequestType.GENERAL and ticket.requester is not None


def ask(ticket: Ticket) -> ApprovalRequest:
    """Send a service request to the DLICT group director for an opinion, in its requester's name."""
    try:
        return submit(SUBJECT, ticket.id, f"{ticket.number} {ticket.title}", ticket.requester)
    except ApprovalError as error:
        raise TicketError(refusal(error)) from None


def on_decision(request: ApprovalRequest, action: ApprovalAction) -> None:
    """The opinion, in the approval's own transaction, on the ticket's timeline."""
    ticket = db.session.get(Ticket, int(request.subject_id))
    if ticket is None or action.kind in (ActionKind.SUBMIT, ActionKind.COMMENT, ActionKind.REASSIGN):
        return
    status = RequestStatus(request.status)
    if status == RequestStatus.APPROVED:
        add_step(ticket, Step.PERMITTED, action.actor, action.comment)
        tell_requester(ticket, action.actor, PERMITTED_MESSAGE)
        tell_workers(ticket, NotificationKind.UPDATE, READY_MESSAGE, actor=action.actor)
    elif status == RequestStatus.RETURNED:
        add_step(ticket, Step.OPINION_RETURNED, action.actor, action.comment)
    elif status in (RequestStatus.REJECTED, RequestStatus.WITHDRAWN):
        step = Step.NOT_PERMITTED if status == RequestStatus.REJECTED else Step.WITHDRAWN
        if ticket.status == TicketStatus.NEW:  # never worked on: closed, not a service given
            change_status(ticket, TicketStatus.CLOSED, action.actor, action.comment, step=step)
        else:
            add_step(ticket, step, action.actor, action.comment)


def opinion_of(ticket: Ticket) -> Opinion | None:
    """The latest opinion asked on the ticket, or None when none was asked."""
    request = latest_request(SUBJECT, ticket.id)
    if request is None:
        return None
    decided = [a for a in request.actions if a.kind in (ActionKind.APPROVE, ActionKind.REJECT)]
    if not decided:
        return Opinion(pending=request.is_open)
    action = decided[-1]
    return Opinion(
        pending=False,
        permitted=action.kind == ActionKind.APPROVE,
        endorsement=action.endorsement,
        comment=action.comment,
        by=action.actor,
        on_behalf_of=action.on_behalf_of,
        delegation_kind=action.delegation_kind,
        at=action.created_at,
    )


def approvers(request: ApprovalRequest) -> list[User] | None:
    if request.subject_key != SUBJECT:
        return None
    return deciders(request.office_id, REVIEW, db.session.get(Ticket, int(request.subject_id)))


SUBJECT_SPEC = ApprovalSubject(
    SUBJECT,
    _l("ICT service request"),
    SUBJECT,
    url=lambda ticket_id: _ticket_url(ticket_id),
    on_transition=on_decision,
)


def _ticket_url(ticket_id: str) -> str | None:
    ticket = db.session.get(Ticket, int(ticket_id))
    return f"/helpdesk/{ticket.number}" if ticket is not None else None
