"""Warning before a service standard is missed, and when it has been (every few minutes).

Each open ticket's service record says when each standard falls due (in working time, the
clock stopped while waiting); the technician, or when nobody has the ticket the people who
assign work, hear once when it is due within ``WARN_AHEAD`` and once when it is missed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from core.auth.models import User
from core.calendar.holidays import calendar_for
from core.db import db, utcnow
from core.i18n import N_
from core.notifications import NotificationKind, notify
from core.standards.models import ServiceRecord
from core.standards.services import progress
from plugins.helpdesk.models import OPEN, WAITING, Ticket
from plugins.helpdesk.services import ASSIGN, people_who_may

JOB = "helpdesk.sla_warnings"
EVERY = timedelta(minutes=10)
WARN_AHEAD = timedelta(hours=1)
SOON, LATE = "soon", "late"
MESSAGES = {
    SOON: (NotificationKind.DUE_SOON, N_("Request %(number)s “%(title)s” falls due within the hour.")),
    LATE: (NotificationKind.OVERDUE, N_("Request %(number)s “%(title)s” has missed its service standard.")),
}
WORKED = sorted(s.value for s in OPEN - WAITING)


def warn_due_tickets(now: datetime | None = None) -> int:
    """Send the warnings that are due; returns how many were sent."""
    now = now or utcnow()
    sent, calendars = 0, {}
    tickets = db.session.scalars(
        select(Ticket)
        .where(Ticket.status.in_(WORKED), Ticket.service_record_id.is_not(None))
        .order_by(Ticket.id)
    )
    for ticket in tickets:
        record = db.session.get(ServiceRecord, ticket.service_record_id)
        calendar = calendars.setdefault(ticket.office_id, calendar_for(ticket.office_id))
        warned = set(filter(None, ticket.sla_warnings.split(",")))
        for measurement in progress(record, now, calendar=calendar):
            level = _level(measurement, now)
            key = f"{level}:{measurement.standard.key}"
            if level is None or key in warned:
                continue
            warned.add(key)
            sent += _tell(ticket, level)
        ticket.sla_warnings = ",".join(sorted(warned))
    db.session.commit()
    return sent


def _level(measurement, now: datetime) -> str | None:
    if measurement.met is False:
        return LATE
    if measurement.met is None and measurement.due_at is not None and measurement.due_at - now <= WARN_AHEAD:
        return SOON
    return None


def _tell(ticket: Ticket, level: str) -> int:
    kind, message = MESSAGES[level]
    people = [ticket.assignee] if ticket.assignee else _dispatchers(ticket.office_id)
    for person in people:
        notify(person, kind, message, {"number": ticket.number, "title": ticket.title},
               url=f"/helpdesk/{ticket.number}", subject=("helpdesk.ticket", ticket.id))  # fmt: skip
    return len(people)


def _dispatchers(office_id: int) -> list[User]:
    return people_who_may(office_id, ASSIGN)
