"""Phone consultation (การรับบริการขอคำปรึกษาทางโทรศัพท์, seed 002 §6.1).

A call is answered at once, with what was advised, and closed on the spot; or the caller is
told when they will be called back, which puts the ticket in the call-back queue with that
time as its own deadline (the SLA job warns before it passes). Calling back with the answer
closes it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.auth.models import User
from core.db import db, utcnow
from core.i18n import N_
from core.i18n import lazy_gettext as _l
from plugins.helpdesk.models import (
    FINISHED,
    OPEN_STATUSES,
    WAITING,
    RequestType,
    Step,
    Ticket,
    TicketStatus,
)
from plugins.helpdesk.services import (
    TicketError,
    TicketRequest,
    add_step,
    assign,
    can_work,
    change_status,
    clean_text,
    open_ticket,
    tell_requester,
)
from plugins.helpdesk.sla import forget_callback_warnings

S = TicketStatus
CALLBACK_MESSAGE = N_("The ICT centre will call you back about your request %(number)s “%(title)s”.")
QUEUE_LIMIT = 200


@dataclass(frozen=True)
class PhoneCall:
    """A call taken by a technician: who called, about what, and how it was answered."""

    caller_name: str
    question: str
    details: str = ""
    caller_phone: str | None = None
    caller_unit_id: int | None = None
    advice: str | None = None  # answered at once
    callback_at: datetime | None = None  # or a call-back promised for then


def record_call(
    office_id: int, call: PhoneCall, taken_by: User, caller: User | None = None, at: datetime | None = None
) -> tuple[Ticket, str]:
    """Register a call; the technician who took it has the ticket. Returns it and its access code."""
    advice = clean_text(call.advice)
    if (advice is None) == (call.callback_at is None):
        raise TicketError(_l("Either write what you advised or promise a time to call back."))
    if call.callback_at is not None:
        _check_future(call.callback_at, at)
    ticket, code = open_ticket(
        office_id,
        TicketRequest(
            RequestType.PHONE,
            call.question,
            call.details,
            requester_name=call.caller_name,
            requester_phone=call.caller_phone,
            requester_unit_id=call.caller_unit_id,
        ),
        caller,
        taken_by,
        at=at,
        assign_duty=False,  # the one who took the call keeps it
    )
    if ticket.assignee_id != taken_by.id and can_work(taken_by, ticket):
        assign(ticket, taken_by, taken_by)
    if advice is not None:
        answer(ticket, taken_by, advice, at=at)
    else:
        promise_callback(ticket, taken_by, call.callback_at, now=at)
    return ticket, code


def answer(ticket: Ticket, actor: User, advice: str, at: datetime | None = None) -> None:
    """Tell the caller the solution (at once, or on the call-back): the consultation is done and closed."""
    _check_open_phone(ticket)
    text = clean_text(advice)
    if text is None:
        raise TicketError(_l("Write what you advised."))
    now = at or utcnow()
    step = Step.ANSWERED
    if ticket.callback_pending:
        ticket.called_back_at, step = now, Step.CALLED_BACK
    if ticket.status == S.NEW:
        change_status(ticket, S.ACCEPTED, actor, at=now)
    change_status(ticket, S.DONE, actor, text, at=now, step=step)
    change_status(ticket, S.CLOSED, actor, at=now)


def promise_callback(
    ticket: Ticket, actor: User, when: datetime, reason: str | None = None, *, now=None
) -> None:
    """Promise (or move) the call-back; the ticket joins the call-back queue with it as deadline."""
    _check_open_phone(ticket)
    _check_future(when, now)
    moved = ticket.callback_pending
    ticket.callback_at, ticket.called_back_at = when, None
    forget_callback_warnings(ticket)
    step = Step.CALLBACK_MOVED if moved else Step.CALLBACK_PROMISED
    if ticket.status == S.NEW:
        change_status(ticket, S.ACCEPTED, actor, reason, at=now, step=step, moment=when)
    else:
        add_step(ticket, step, actor, reason, moment=when)
        tell_requester(ticket, actor, CALLBACK_MESSAGE)


def callbacks_due(office_id: int, assignee_id: int | None = None, limit: int = QUEUE_LIMIT) -> list[Ticket]:
    """The promised call-backs not yet made, soonest first (read through the call-back index)."""
    query = select(Ticket).where(
        Ticket.office_id == office_id,
        Ticket.callback_at.is_not(None),
        Ticket.called_back_at.is_(None),
        Ticket.status.in_(OPEN_STATUSES),
    )
    if assignee_id is not None:
        query = query.where(Ticket.assignee_id == assignee_id)
    query = query.order_by(Ticket.callback_at, Ticket.id).limit(limit)
    return list(
        db.session.scalars(query.options(joinedload(Ticket.requester_unit), joinedload(Ticket.assignee)))
    )


def _check_open_phone(ticket: Ticket) -> None:
    if ticket.request_type != RequestType.PHONE:
        raise TicketError(_l("Only a phone consultation is answered or called back."))
    if TicketStatus(ticket.status) in FINISHED | WAITING:
        raise TicketError(_l("This consultation is not open for an answer now."))


def _check_future(when: datetime, now: datetime | None) -> None:
    if when <= (now or utcnow()):
        raise TicketError(_l("The call-back time has already passed: choose a later time."))
