"""Duty assignments (มอบหมายหน้าที่): which unit and which technicians handle each request type.

A new ticket goes to the unit on duty for its type and to the duty technician with the fewest
open tickets (ties go to the one listed first); without a technician on duty it waits in the
unit's queue for a dispatcher. The assignment list offers the technicians on duty first.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.auth.models import User
from core.auth.permissions import can
from core.db import db
from core.i18n.collation import thai_order
from core.org.models import OrgUnit
from plugins.helpdesk.models import OPEN_STATUSES, DutyAssignment, Ticket
from plugins.helpdesk.permissions import WORK


def duties_for(office_id: int, request_type: str) -> list[DutyAssignment]:
    """The office's duties for a request type, in the order they were given."""
    return list(
        db.session.scalars(
            select(DutyAssignment)
            .where(DutyAssignment.office_id == office_id, DutyAssignment.request_type == request_type)
            .order_by(DutyAssignment.id)
            .options(selectinload(DutyAssignment.technician), selectinload(DutyAssignment.unit))
        )
    )


def on_duty(duties: list[DutyAssignment]) -> list[User]:
    """The duties' technicians who may work on tickets now, once each, in the duties' order."""
    people: dict[int, User] = {}
    for duty in duties:
        person = duty.technician
        if person is not None and person.active and person.office_id == duty.office_id and can(person, WORK):
            people.setdefault(person.id, person)
    return list(people.values())


def open_counts(people: list[User]) -> dict[int, int]:
    """How many open tickets each person holds, in one query on the assignee index."""
    if not people:
        return {}
    rows = db.session.execute(
        select(Ticket.assignee_id, func.count())
        .where(Ticket.assignee_id.in_([p.id for p in people]), Ticket.status.in_(OPEN_STATUSES))
        .group_by(Ticket.assignee_id)
    )
    return dict(rows.all())


def route(office_id: int, request_type: str) -> tuple[OrgUnit | None, User | None]:
    """The unit and technician a new ticket of the type goes to (either may be None)."""
    duties = duties_for(office_id, request_type)
    if not duties:
        return None, None
    people = on_duty(duties)
    if not people:
        return duties[0].unit, None
    counts = open_counts(people)
    chosen = min(people, key=lambda person: counts.get(person.id, 0))  # min keeps the first of ties
    unit = next(duty.unit for duty in duties if duty.technician_id == chosen.id)
    return unit, chosen


def queue_units(office_id: int) -> list[OrgUnit]:
    """The units that hold a queue: those named in the office's duties, in Thai order."""
    named = select(DutyAssignment.unit_id).where(DutyAssignment.office_id == office_id)
    return list(
        db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(named)).order_by(thai_order(OrgUnit.name)))
    )


def duty_first(people: list[User], office_id: int, request_type: str) -> tuple[list[User], list[User]]:
    """``people`` split into those on duty for the request type and the others."""
    duty_ids = {person.id for person in on_duty(duties_for(office_id, request_type))}
    return [p for p in people if p.id in duty_ids], [p for p in people if p.id not in duty_ids]
