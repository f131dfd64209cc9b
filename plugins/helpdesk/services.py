"""The life of a ticket: opening, receiving, working, waiting, finishing, reopening, merging.

Each ticket is measured as a service of ``core.standards``: receiving it marks the first
response, the waiting statuses stop the clock, "done" finishes the service (which invites the
requester's rating), and a reopened ticket is measured as a new service.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from core.approvals.engine import open_request_for
from core.approvals.inbox import can_view as can_view_approval
from core.approvals.views import latest_request
from core.auth.models import RoleAssignment, RolePermission, User
from core.auth.permissions import can
from core.db import db, utcnow
from core.i18n import N_
from core.i18n import lazy_gettext as _l
from core.i18n.fiscal import fiscal_year
from core.i18n.thaidate import to_local
from core.notifications import NotificationKind, notify
from core.numbering.service import next_number
from core.org.models import OrgUnit
from core.plugins.contributions import ServiceRequest
from core.plugins.offices import enabled_for_office
from core.search import SearchIndex
from core.standards import services as standards
from core.standards.models import ServiceRecord
from plugins.helpdesk.assets.services import find_by_number
from plugins.helpdesk.duties import route
from plugins.helpdesk.models import (
    FINISHED,
    OPEN_STATUSES,
    STATUS_LABELS,
    WAITING,
    AccountDetails,
    AccountRequest,
    EntryKind,
    PartsRequest,
    PartsStatus,
    RequestType,
    Step,
    Ticket,
    TicketEntry,
    TicketLabels,
    TicketStatus,
)
from plugins.helpdesk.permissions import ASSIGN, WORK

OPINION_SUBJECT = "helpdesk.service_request"  # the DLICT group director's opinion (``opinion``)
REOPEN_DAYS = 7
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read out over the phone
CODE_LENGTH = 8
S = TicketStatus

NEXT = {
    S.NEW: {S.ACCEPTED, S.IN_PROGRESS, S.WAITING_REQUESTER, S.CLOSED},  # incomplete on receipt
    S.ACCEPTED: {S.IN_PROGRESS, *WAITING, S.DONE},
    S.IN_PROGRESS: {*WAITING, S.DONE},
    S.WAITING_PARTS: {S.IN_PROGRESS, S.AT_VENDOR, S.DONE},
    S.AT_VENDOR: {S.IN_PROGRESS, S.WAITING_PARTS, S.DONE},
    S.WAITING_REQUESTER: {S.IN_PROGRESS, S.DONE, S.CLOSED},
    S.DONE: {S.HANDED_OVER, S.CLOSED},
    S.HANDED_OVER: {S.CLOSED},
    S.CLOSED: set(),
}

# What the requester is told; the status is in the message so that it reads in their language.
STATUS_MESSAGES = {
    S.ACCEPTED: N_("The ICT centre has received your request %(number)s “%(title)s”."),
    S.IN_PROGRESS: N_("Work on your request %(number)s “%(title)s” is under way."),
    S.WAITING_PARTS: N_("Your request %(number)s “%(title)s” is waiting for parts."),
    S.AT_VENDOR: N_("Your request %(number)s “%(title)s” has gone to the vendor."),
    S.WAITING_REQUESTER: N_("Your request %(number)s “%(title)s” needs more information from you."),
    S.DONE: N_("Your request %(number)s “%(title)s” is done."),
    S.HANDED_OVER: N_("Your request %(number)s “%(title)s” has been handed over to you."),
    S.CLOSED: N_("Your request %(number)s “%(title)s” has been closed."),
}
REPLY_MESSAGE = N_("New reply on request %(number)s “%(title)s”.")
ASSIGNED_MESSAGE = N_("Request %(number)s “%(title)s” has been assigned to you.")


class TicketError(ValueError):
    """A step that is not possible now; ``message`` is shown to the person."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class TicketRequest:
    """What a requester fills in (แบบฟอร์มขอใช้บริการ)."""

    request_type: RequestType
    title: str
    description: str = ""
    requester_name: str | None = None
    requester_phone: str | None = None
    requester_email: str | None = None
    requester_unit_id: int | None = None
    callback_at: datetime | None = None
    asset_number: str | None = None
    requester_position: str | None = None
    account: AccountDetails | None = None  # what an account request asks for
    service_at: datetime | None = None  # when a service request wants the service


def open_ticket(
    office_id: int,
    request: TicketRequest,
    requester: User | None,
    actor: User | None,
    at: datetime | None = None,
    *,
    assign_duty: bool = True,
) -> tuple[Ticket, str]:
    """Register a request; returns the ticket and its access code (shown once, kept hashed).

    ``at`` is when it arrived, for a request written down after the fact (a phone call). The
    ticket joins the queue of the unit on duty for its type and, with ``assign_duty``, goes to
    the least busy technician on duty.
    """
    now = at or utcnow()
    year = fiscal_year(to_local(now).date())
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    name = request.requester_name or (requester.name if requester else None)
    if not name:
        raise TicketError(_l("Give the requester's name."))
    asset = find_by_number(office_id, request.asset_number) if request.asset_number else None
    if request.asset_number and asset is None:
        raise TicketError(_l("The office has no asset numbered %(number)s.", number=request.asset_number))
    account = request.account if request.request_type == RequestType.ACCOUNT else None
    if account is not None and account.missing():
        raise TicketError(_l("The account request lacks details its kind needs."))
    ticket = Ticket(
        office_id=office_id,
        number=f"{year}-{next_number(office_id, 'helpdesk.ticket', year):05d}",
        access_code_hash=_hash(code),
        request_type=request.request_type.value,
        title=request.title.strip()[:200],
        description=request.description.strip(),
        requester=requester,
        requester_name=name,
        requester_phone=request.requester_phone,
        requester_position=clean_text(request.requester_position)
        or (requester.position if requester else None),
        requester_email=request.requester_email or (requester.email if requester else None),
        requester_unit_id=request.requester_unit_id or (requester.org_unit_id if requester else None),
        status=TicketStatus.NEW,
        callback_at=request.callback_at,
        asset=asset,
        account=AccountRequest(**account.values()) if account is not None else None,
        service_at=request.service_at,
        created_at=now,
        updated_at=now,
    )
    ticket.entries.append(TicketEntry(kind=EntryKind.CREATED, author=actor, created_at=now))
    db.session.add(ticket)
    db.session.flush()
    ticket.service_record_id = _measure(ticket, now, actor).id
    unit, technician = route(office_id, ticket.request_type)
    ticket.unit = unit
    if technician is not None and assign_duty:
        assign(ticket, technician, None, at=now)
    return ticket, code


def _measure(ticket: Ticket, received_at: datetime, actor: User | None) -> ServiceRecord:
    return standards.open_service(
        office_id=ticket.office_id,
        service_key=RequestType(ticket.request_type).service_key,
        title=ticket.title,
        requester=ticket.requester,
        requester_unit_id=ticket.requester_unit_id,  # the school a phone call or a plugin named
        requester_name=ticket.requester_name,
        requester_email=ticket.requester_email,
        received_at=received_at,
        reference=ticket.number,
        url=f"/helpdesk/{ticket.number}",
        subject=("helpdesk.ticket", ticket.id),
        actor=actor,
    )


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def find_with_code(office_id: int | None, number: str, code: str) -> Ticket | None:
    """The ticket a number and its access code open, for the public tracking page."""
    query = select(Ticket).where(Ticket.number == number.strip())
    if office_id is not None:
        query = query.where(Ticket.office_id == office_id)
    for ticket in db.session.scalars(query):
        if hmac.compare_digest(ticket.access_code_hash, _hash(code)):
            return ticket
    return None


def change_status(
    ticket: Ticket,
    new: TicketStatus,
    actor: User,
    note: str | None = None,
    at: datetime | None = None,
    *,
    step: Step | None = None,
    moment: datetime | None = None,
) -> TicketEntry:
    """Move the ticket on, keeping its service record's clock in step.

    ``step`` names the step of the procedure that caused the change (a call answered is done).
    """
    old = TicketStatus(ticket.status)
    if old == S.WAITING_PARTS and parts_pending(ticket):
        raise TicketError(_l("The parts request of this ticket is waiting for a decision."))
    if old == S.NEW and new != S.CLOSED and opinion_pending(ticket):
        raise TicketError(_l("The DLICT group director has not given an opinion on this request yet."))
    if new not in NEXT[old]:
        raise TicketError(
            _l(
                "A ticket that is “%(old)s” cannot become “%(new)s”.",
                old=STATUS_LABELS[old],
                new=STATUS_LABELS[new],
            )
        )
    record = _record(ticket)
    now = at or utcnow()
    if record is not None:
        _move_clock(record, old, new, actor, now)
    ticket.status = new
    ticket.updated_at = now
    if new == S.CLOSED:
        ticket.closed_at = now
    entry = TicketEntry(
        kind=EntryKind.STATUS,
        status=new,
        step=step,
        moment=moment,
        body=clean_text(note),
        author=actor,
        created_at=now,
    )
    ticket.entries.append(entry)
    db.session.flush()
    tell_requester(ticket, actor, STATUS_MESSAGES[new])
    return entry


def add_step(
    ticket: Ticket, step: Step, actor: User, note: str | None = None, *, moment: datetime | None = None
) -> TicketEntry:
    """Record a step of the procedure that leaves the status as it is."""
    now = utcnow()
    entry = TicketEntry(
        kind=EntryKind.STEP, step=step, moment=moment, body=clean_text(note), author=actor, created_at=now
    )
    ticket.entries.append(entry)
    ticket.updated_at = now
    db.session.flush()
    return entry


def _move_clock(
    record: ServiceRecord, old: TicketStatus, new: TicketStatus, actor: User, now: datetime
) -> None:
    if old == S.NEW and new == S.CLOSED:
        standards.cancel(record, actor)  # never worked on: a duplicate or a mistake, not a service
        return
    if old in FINISHED:
        return
    standards.start(record, now, actor)
    if new in WAITING and old not in WAITING:
        standards.pause(record, now, actor)
    elif old in WAITING and new not in WAITING and new != S.DONE:
        standards.resume(record, now, actor)
    if new == S.DONE:
        standards.finish(record, now, actor)


def assign(ticket: Ticket, assignee: User, actor: User | None, at: datetime | None = None) -> TicketEntry:
    """Give the ticket to a technician of the office (ตามคำสั่งมอบหมายงาน); no ``actor`` when
    the duty assignments chose them."""
    if assignee.office_id != ticket.office_id or not can(assignee, WORK):
        raise TicketError(_l("%(name)s does not work on tickets of this office.", name=assignee.name))
    ticket.assignee = assignee
    ticket.updated_at = at or utcnow()
    entry = TicketEntry(
        kind=EntryKind.ASSIGNED, body=assignee.name, author=actor, created_at=ticket.updated_at
    )
    ticket.entries.append(entry)
    db.session.flush()
    if actor is None or assignee.id != actor.id:
        notify(
            assignee,
            NotificationKind.ASSIGNED,
            ASSIGNED_MESSAGE,
            params_of(ticket),
            url=url_of(ticket),
            subject=("helpdesk.ticket", ticket.id),
        )
    return entry


def add_entry(ticket: Ticket, actor: User | None, body: str, *, internal: bool) -> TicketEntry:
    """A reply the requester sees, or a note for staff only."""
    text = clean_text(body)
    if not text:
        raise TicketError(_l("Write something first."))
    now = utcnow()
    entry = TicketEntry(
        kind=EntryKind.NOTE if internal else EntryKind.REPLY,
        body=text,
        internal=internal,
        author=actor,
        created_at=now,
    )
    ticket.entries.append(entry)
    ticket.updated_at = now
    db.session.flush()
    if not internal:
        from_requester = actor is not None and actor.id == ticket.requester_id
        if from_requester and ticket.assignee is not None:
            notify(
                ticket.assignee,
                NotificationKind.UPDATE,
                REPLY_MESSAGE,
                params_of(ticket),
                url=url_of(ticket),
                subject=("helpdesk.ticket", ticket.id),
            )
        elif not from_requester:
            tell_requester(ticket, actor, REPLY_MESSAGE)
    return entry


def reopen(ticket: Ticket, actor: User, reason: str, now: datetime | None = None) -> TicketEntry:
    """The problem came back within ``REOPEN_DAYS``: the ticket returns to the queue, measured anew."""
    now = now or utcnow()
    finished_at = ticket.closed_at or _finished_at(ticket)
    if TicketStatus(ticket.status) not in FINISHED or ticket.merged_into_id is not None:
        raise TicketError(_l("Only a finished ticket can be reopened."))
    if finished_at is None or now - finished_at > timedelta(days=REOPEN_DAYS):
        raise TicketError(
            _l("A ticket can be reopened within %(days)d days; please open a new one.", days=REOPEN_DAYS)
        )
    if not clean_text(reason):
        raise TicketError(_l("Say what is still wrong."))
    ticket.status = S.NEW
    ticket.closed_at = None
    ticket.updated_at = now
    ticket.service_record_id = _measure(ticket, now, actor).id
    entry = TicketEntry(
        kind=EntryKind.STATUS,
        status=S.NEW,
        step=Step.REOPENED,
        body=clean_text(reason),
        author=actor,
        created_at=now,
    )
    ticket.entries.append(entry)
    db.session.flush()
    return entry


def merge(duplicate: Ticket, into: Ticket, actor: User) -> None:
    """Close a duplicate into the ticket that is being worked on; it is not counted as a service."""
    if duplicate.id == into.id or duplicate.office_id != into.office_id:
        raise TicketError(_l("Choose another ticket of the same office."))
    if TicketStatus(duplicate.status) in FINISHED or into.merged_into_id is not None:
        raise TicketError(_l("Only an open ticket can be merged into another that is not merged itself."))
    now = utcnow()
    record = _record(duplicate)
    if record is not None:
        standards.cancel(record, actor)
    duplicate.status = S.CLOSED
    duplicate.closed_at = duplicate.updated_at = now
    duplicate.merged_into = into
    duplicate.entries.append(
        TicketEntry(kind=EntryKind.MERGED, body=into.number, author=actor, created_at=now)
    )
    into.entries.append(
        TicketEntry(kind=EntryKind.MERGED, body=duplicate.number, author=actor, created_at=now, internal=True)
    )
    db.session.flush()
    tell_requester(duplicate, actor, STATUS_MESSAGES[S.CLOSED])


def can_work(user: User, ticket: Ticket) -> bool:
    return can(user, WORK) and (user.office_id is None or user.office_id == ticket.office_id)


def can_view(user: User, ticket: Ticket) -> bool:
    """The requester, the office's technicians, and whoever may read the opinion asked on it."""
    return ticket.requester_id == user.id or can_work(user, ticket) or _reviews(user, ticket)


def _reviews(user: User, ticket: Ticket) -> bool:
    if ticket.request_type != RequestType.GENERAL:
        return False
    request = latest_request(OPINION_SUBJECT, ticket.id)
    return request is not None and can_view_approval(request, user)


def opinion_pending(ticket: Ticket) -> bool:
    """A service request waits for the DLICT group director's opinion before anyone works on it."""
    return (
        ticket.request_type == RequestType.GENERAL
        and open_request_for(OPINION_SUBJECT, ticket.id) is not None
    )


def deciders(office_id: int, permission: str, ticket: Ticket | None) -> list[User]:
    """Holders of ``permission`` in the office; when the ticket has a queue, those whose grant
    covers it (its group's director) if there are any."""
    people = people_who_may(office_id, permission)
    unit = ticket.unit if ticket is not None else None
    covering = [person for person in people if unit is not None and can(person, permission, unit)]
    return covering or people


def parts_pending(ticket: Ticket) -> PartsRequest | None:
    """The ticket's parts request that waits for its approval, if any (one at a time)."""
    return db.session.scalar(
        select(PartsRequest)
        .where(PartsRequest.ticket_id == ticket.id, PartsRequest.status == PartsStatus.PENDING)
        .limit(1)
    )


def _record(ticket: Ticket) -> ServiceRecord | None:
    return db.session.get(ServiceRecord, ticket.service_record_id) if ticket.service_record_id else None


def _finished_at(ticket: Ticket) -> datetime | None:
    record = _record(ticket)
    return record.finished_at if record else None


def tell_requester(ticket: Ticket, actor: User | None, message: str) -> None:
    if ticket.requester is not None and (actor is None or actor.id != ticket.requester_id):
        notify(
            ticket.requester,
            NotificationKind.UPDATE,
            message,
            params_of(ticket),
            url=url_of(ticket),
            subject=("helpdesk.ticket", ticket.id),
        )


def tell_workers(ticket: Ticket, kind: NotificationKind, message: str, actor: User | None = None) -> int:
    """Tell the technician who has the ticket or, when nobody has it, the people who assign work;
    returns how many were told (never the person who caused it)."""
    people = [ticket.assignee] if ticket.assignee else people_who_may(ticket.office_id, ASSIGN)
    told = [person for person in people if actor is None or person.id != actor.id]
    for person in told:
        notify(
            person,
            kind,
            message,
            params_of(ticket),
            url=url_of(ticket),
            subject=("helpdesk.ticket", ticket.id),
        )
    return len(told)


def params_of(ticket: Ticket) -> dict[str, str]:
    return {"number": ticket.number, "title": ticket.title}


def url_of(ticket: Ticket) -> str:
    return f"/helpdesk/{ticket.number}"


def clean_text(value: str | None) -> str | None:
    return (value or "").strip() or None


QUEUE_VIEWS = {
    "open": OPEN_STATUSES,
    "waiting": sorted(s.value for s in WAITING),
    "finished": sorted(s.value for s in FINISHED),
}
PAGE_SIZE = 50
TICKET_SEARCH = SearchIndex(
    "helpdesk_tickets",
    ("number", "title", "requester_name"),
    numbers=("number",),
    vocabularies=("requester_name",),  # a few thousand people file an office's tickets
)


@dataclass(frozen=True, slots=True)
class QueueRow(TicketLabels):
    """A ticket as a list shows it, read as plain columns rather than as a loaded ``Ticket``:
    building fifty Tickets, each with its unit and assignee, cost more than writing the page."""

    id: int
    number: str
    title: str
    request_type: str
    requester_name: str
    requester_unit_name: str | None
    status: str
    assignee_name: str | None
    created_at: datetime


def queue(
    office_id: int,
    view: str,
    *,
    assignee_id: int | None = None,
    unit_id: int | None = None,
    before: int | None = None,
    search: str | None = None,
) -> list[QueueRow]:
    """A page of the office's queue, newest first, read through an index (no count, no offset).

    A search reads the matches newest first through the search indexes (``SearchIndex.newest``),
    stopping with the page; computing every match first, as ``SearchIndex.conditions`` does for
    lists in another order, would cost every match of a common word before 50 are kept. A search
    joins the requester's unit and the assignee to the page once it is cut, not to each of its
    matches before the cut (a surname in 1,054 tickets: 4.6 ms instead of 7.1 on PostgreSQL).
    """
    query = select(Ticket.id).where(Ticket.office_id == office_id)
    if view in QUEUE_VIEWS:
        query = query.where(Ticket.status.in_(QUEUE_VIEWS[view]))
    if assignee_id is not None:
        query = query.where(Ticket.assignee_id == assignee_id)
    if unit_id is not None:
        query = query.where(Ticket.unit_id == unit_id)
    connection = db.session.connection()  # on PostgreSQL a search may first ask a vocabulary
    page = TICKET_SEARCH.newest(query, Ticket.id, search or "", connection, before=before, limit=PAGE_SIZE)
    if search:
        return _queue_rows(select(Ticket.id).where(Ticket.id.in_(page)).order_by(Ticket.id.desc()))
    return _queue_rows(page)


def requests_of(user: User, limit: int = 20) -> list[QueueRow]:
    query = select(Ticket.id).where(Ticket.requester_id == user.id).order_by(Ticket.id.desc()).limit(limit)
    return _queue_rows(query)


# Made once: a new alias adapts each of its columns anew, which cost more than the query.
_ROW_UNIT = aliased(OrgUnit, name="requester_unit")
_ROW_ASSIGNEE = aliased(User, name="assignee")


def _queue_rows(query: Select) -> list[QueueRow]:
    """The rows of ``query`` (a select of ticket ids) as a list shows them."""
    unit, assignee = _ROW_UNIT, _ROW_ASSIGNEE
    columns = (
        Ticket.id,
        Ticket.number,
        Ticket.title,
        Ticket.request_type,
        Ticket.requester_name,
        unit.name,
        Ticket.status,
        assignee.name,
        Ticket.created_at,
    )
    query = (
        query.with_only_columns(*columns)
        .outerjoin(unit, unit.id == Ticket.requester_unit_id)
        .outerjoin(assignee, assignee.id == Ticket.assignee_id)
    )
    return [QueueRow(*row) for row in db.session.execute(query)]


def technicians(office_id: int) -> list[User]:
    """People of the office who may work on tickets, for the assignment list."""
    return people_who_may(office_id, WORK)


def people_who_may(office_id: int, permission: str) -> list[User]:
    """Active people of the office who hold ``permission``.

    Only those granted a role that includes it are read (an office has thousands of people with
    its schools' staff); ``can`` then checks each grant's scope, as everywhere else.
    """
    holders = (
        select(RoleAssignment.user_id)
        .join(RolePermission, RolePermission.role_id == RoleAssignment.role_id)
        .where(RolePermission.permission == permission)
    )
    people = db.session.scalars(
        select(User).where(User.office_id == office_id, User.active.is_(True), User.id.in_(holders))
    )
    return [person for person in people if can(person, permission)]


def find(number: str, viewer: User) -> Ticket | None:
    """The ticket of that number the person may see (numbers repeat across offices)."""
    query = select(Ticket).where(Ticket.number == number)
    if viewer.office_id is not None:
        query = query.where(Ticket.office_id == viewer.office_id)
    return next((t for t in db.session.scalars(query) if can_view(viewer, t)), None)


def open_for_plugin(request: ServiceRequest) -> str | None:
    """A request another plugin files for a school or a person (``resolve_service_request``)."""
    if "helpdesk" not in enabled_for_office(request.office_id):
        return None
    known = {k.value for k in RequestType}
    kind = RequestType(request.kind) if request.kind in known else RequestType.GENERAL
    ticket, _code = open_ticket(
        request.office_id,
        TicketRequest(
            kind,
            request.title,
            request.description,
            requester_name=request.requester_name,
            requester_unit_id=request.requester_unit_id,
        ),
        request.requester,
        None,
    )
    ticket.entries[0].body = request.origin or None  # which plugin asked, on the timeline
    return ticket.number
