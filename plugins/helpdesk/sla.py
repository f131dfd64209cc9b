"""Warning before a service standard or a promised call-back is missed, and when it has been.

Each open ticket's service record says when each standard falls due (in working time, the
clock stopped while waiting); a phone consultation not answered at once also has the call-back
promised to the caller, a deadline of its own on the clock of the wall. The technician, or when
nobody has the ticket the people who assign work, hear once when either is due within
``WARN_AHEAD`` and once when it is missed. The job runs every few minutes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from core.calendar.holidays import calendar_for
from core.db import db, utcnow
from core.i18n import N_
from core.notifications import NotificationKind
from core.standards.models import ServiceRecord
from core.standards.services import progress
from plugins.helpdesk.models import OPEN, OPEN_STATUSES, WAITING, Ticket
from plugins.helpdesk.services import tell_workers

JOB = "helpdesk.sla_warnings"
EVERY = timedelta(minutes=10)
WARN_AHEAD = timedelta(hours=1)
SOON, LATE = "soon", "late"
CALLBACK = "callback"  # the key of the call-back's warnings, beside the standards' keys
MESSAGES = {
    SOON: (NotificationKind.DUE_SOON, N_("Request %(number)s “%(title)s” falls due within the hour.")),
    LATE: (NotificationKind.OVERDUE, N_("Request %(number)s “%(title)s” has missed its service standard.")),
}
CALLBACK_MESSAGES = {
    SOON: (
        NotificationKind.DUE_SOON,
        N_("The call-back promised on request %(number)s “%(title)s” is due within the hour."),
    ),
    LATE: (
        NotificationKind.OVERDUE,
        N_("The call-back promised on request %(number)s “%(title)s” is late: call the requester now."),
    ),
}
WORKED = sorted(s.value for s in OPEN - WAITING)


def warn_due_tickets(now: datetime | None = None) -> int:
    """Send the warnings that are due; returns how many were sent."""
    now = now or utcnow()
    sent = _warn_standards(now) + _warn_callbacks(now)
    db.session.commit()
    return sent


def _warn_standards(now: datetime) -> int:
    sent, calendars = 0, {}
    tickets = db.session.scalars(
        select(Ticket)
        .where(Ticket.status.in_(WORKED), Ticket.service_record_id.is_not(None))
        .order_by(Ticket.id)
    )
    for ticket in tickets:
        record = db.session.get(ServiceRecord, ticket.service_record_id)
        calendar = calendars.setdefault(ticket.office_id, calendar_for(ticket.office_id))
        warned = _warned(ticket)
        for measurement in progress(record, now, calendar=calendar):
            level = _level(measurement, now)
            key = f"{level}:{measurement.standard.key}"
            if level is None or key in warned:
                continue
            warned.add(key)
            sent += _tell(ticket, level)
        ticket.sla_warnings = ",".join(sorted(warned))
    return sent


def _warn_callbacks(now: datetime) -> int:
    """Call-backs due within ``WARN_AHEAD`` or already late, read through the call-back index."""
    sent = 0
    tickets = db.session.scalars(
        select(Ticket)
        .where(
            Ticket.callback_at <= now + WARN_AHEAD,
            Ticket.called_back_at.is_(None),
            Ticket.status.in_(OPEN_STATUSES),
        )
        .order_by(Ticket.callback_at)
    )
    for ticket in tickets:
        level = LATE if ticket.callback_at <= now else SOON
        warned = _warned(ticket)
        key = f"{level}:{CALLBACK}"
        if key in warned:
            continue
        warned.add(key)
        sent += _tell(ticket, level, CALLBACK_MESSAGES)
        ticket.sla_warnings = ",".join(sorted(warned))
    return sent


def forget_callback_warnings(ticket: Ticket) -> None:
    """A call-back moved to another time is warned about again."""
    ticket.sla_warnings = ",".join(sorted(key for key in _warned(ticket) if not key.endswith(f":{CALLBACK}")))


def _warned(ticket: Ticket) -> set[str]:
    return set(filter(None, ticket.sla_warnings.split(",")))


def _level(measurement, now: datetime) -> str | None:
    if measurement.met is False:
        return LATE
    if measurement.met is None and measurement.due_at is not None and measurement.due_at - now <= WARN_AHEAD:
        return SOON
    return None


def _tell(ticket: Ticket, level: str, messages=MESSAGES) -> int:
    kind, message = messages[level]
    return tell_workers(ticket, kind, message)
