"""Receiving and routing letters: the receipt stamp, hand-offs, acknowledgements and reports.

The letter goes สารบรรณกลาง → สารบรรณกลุ่ม → person (the AMSS++ and OBEC e-office cascade):
each hand-off is a ``Routing``. A unit's hand-off is for whoever keeps that unit's registry
(people of the unit, or of a unit below it, who may route letters); a person's is for that
person. Every step writes a line into the register's การปฏิบัติ column, in Thai, so the
register shows where the letter went without anyone typing it. No request globals here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from sqlalchemy import case, event, func, or_, select
from sqlalchemy.orm import selectinload

from core.approvals.models import ApprovalAction
from core.auth.models import User
from core.auth.permissions import can
from core.db import db, utcnow
from core.i18n import N_
from core.i18n import lazy_gettext as _l
from core.i18n.thaidate import DateStyle, format_date
from core.jobs import UnknownJob, enqueue
from core.notifications import NotificationKind, mark_read_about, notify
from core.org.models import OrgUnit, OrgUnitKind
from core.uploads import FileKind, max_upload_bytes, read_stored, store_bytes
from plugins.saraban.models import (
    AccessReason,
    Attachment,
    Letter,
    LetterAccess,
    LetterStatus,
    Register,
    Urgency,
)
from plugins.saraban.routing.models import ROUTING_KIND_THAI, Routing, RoutingKind, StampedCopy
from plugins.saraban.services import REGISTER, LetterError, can_read
from plugins.saraban.stamps import PdfRefused, ReceiptStamp, stamp_receipt

log = logging.getLogger(__name__)

ROUTE = "saraban.letter.route"  # keep a registry: send letters on to units and people
RECEIVE = "saraban.letter.receive"  # have "letters to me"
STAMP_JOB = "saraban.stamp_receipt"
STAMPED_PURPOSE = "saraban.stamped"
ROUTABLE_UNITS = (OrgUnitKind.GROUP, OrgUnitKind.WORK_UNIT)
INBOX_SIZE = 100
INSTRUCTION_LENGTH = 2000
SHORT_NAME = 30  # a unit's name longer than this is written "กลุ่มส่งเสริมการศึกษาทางไกลฯ" in the register
URGENCY_RANK = {Urgency.MOST_URGENT: 3, Urgency.VERY_URGENT: 2, Urgency.URGENT: 1}
SECRET_TITLE = N_("a secret letter")  # what notifications call a secret letter instead of its subject

ROUTED_MESSAGE = N_("Letter %(number)s, “%(title)s”, was sent to you: %(instruction)s")
DONE_MESSAGE = N_("%(name)s reported letter %(number)s, “%(title)s”, done: %(note)s")


# --- who may do what -----------------------------------------------------------------------


def acts_for(user: User, routing: Routing) -> bool:
    """Whether the hand-off is the person's to acknowledge and report: sent to them, or to a
    unit whose registry they keep (they belong to it or to a unit below it, and route letters)."""
    if routing.to_user_id is not None:
        return routing.to_user_id == user.id
    unit = user.org_unit
    return unit is not None and unit.is_within(routing.to_unit_id) and can(user, ROUTE)


def may_route(user: User, letter: Letter) -> bool:
    """The central registry routes any letter of its office; anyone a letter was handed to
    passes it on (a group's registry to the person who does the work)."""
    if not is_live(letter) or not can_read(user, letter):
        return False
    return can(user, REGISTER) or any(acts_for(user, routing) for routing in routings_of(letter))


def is_live(letter: Letter) -> bool:
    """Registered, neither cancelled nor destroyed: a letter that is still worked on."""
    return letter.status == LetterStatus.REGISTERED


def routings_of(letter: Letter) -> list[Routing]:
    """The letter's hand-offs in the order they were made."""
    return list(
        db.session.scalars(
            select(Routing)
            .where(Routing.letter_id == letter.id)
            .order_by(Routing.id)
            .options(selectinload(Routing.to_user), selectinload(Routing.to_unit))
        )
    )


# --- routing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    """A unit (its registry) or a person, of the letter's office."""

    unit: OrgUnit | None = None
    user: User | None = None

    @property
    def name(self) -> str:
        return self.user.name if self.user is not None else self.unit.name


def recipient(office_id: int, unit_id: int | None, user_id: int | None) -> Recipient:
    """The unit or person a letter may be handed to; a clear refusal for anything else."""
    if (unit_id is None) == (user_id is None):
        raise LetterError(_l("Choose one unit or one person to send the letter to."))
    if unit_id is not None:
        unit = db.session.get(OrgUnit, unit_id)
        if unit is None or unit.office_id != office_id or unit.kind not in ROUTABLE_UNITS or not unit.active:
            raise LetterError(_l("Choose a group or a work unit of the office."))
        return Recipient(unit=unit)
    person = db.session.get(User, user_id)
    if person is None or not person.active or person.office_id != office_id or _at_school(person):
        raise LetterError(_l("Choose a person of the office."))
    return Recipient(user=person)


def _at_school(person: User) -> bool:
    return person.org_unit is not None and person.org_unit.kind == OrgUnitKind.SCHOOL


def registry_keepers(unit: OrgUnit) -> list[User]:
    """Who keeps a unit's registry: active people of the unit or a unit below it who route letters."""
    below = select(OrgUnit.id).where(OrgUnit.parent_id == unit.id)
    people = db.session.scalars(
        select(User)
        .where(User.active.is_(True), or_(User.org_unit_id == unit.id, User.org_unit_id.in_(below)))
        .order_by(User.id)
    )
    return [person for person in people if can(person, ROUTE)]


def check_route(
    letter: Letter, sender: User, to: Recipient, instruction: str, kind: RoutingKind
) -> list[User]:
    """Refuse a hand-off that cannot be made, before anything changes; the people it reaches.

    A secret letter goes to a named person only, so that exactly that person is added to its
    readers; a unit's hand-off reaches whoever keeps its registry.
    """
    if not is_live(letter):
        raise LetterError(_l("A cancelled or destroyed entry is not routed."))
    if len(instruction) > INSTRUCTION_LENGTH:
        raise LetterError(_l("The instruction is too long."))
    if to.unit is not None and letter.is_secret:
        raise LetterError(
            _l("A secret letter goes to a named person only: choose the person who will read it.")
        )
    if to.user is not None and to.user.id == sender.id and kind is RoutingKind.SEND:
        raise LetterError(_l("Send the letter to someone else."))
    keepers = registry_keepers(to.unit) if to.unit is not None else [to.user]
    if not keepers:
        raise LetterError(
            _l("Nobody keeps the registry of %(unit)s yet: send the letter to a person.", unit=to.unit.name)
        )
    if any(_same_recipient(r, to) and not r.is_acknowledged for r in routings_of(letter)):
        raise LetterError(_l("The letter already waits for %(name)s.", name=to.name))
    return keepers


def route(
    letter: Letter,
    sender: User,
    to: Recipient,
    instruction: str = "",
    *,
    kind: RoutingKind = RoutingKind.SEND,
    action: ApprovalAction | None = None,
) -> Routing:
    """Hand the letter to a unit's registry or a person, who may read it from now on and is told.

    The sender's own hand-off of the letter, if they pass it on, counts as acknowledged. The
    caller commits.
    """
    instruction = (instruction or "").strip()
    keepers = check_route(letter, sender, to, instruction, kind)
    passed_on = next(
        (r for r in reversed(routings_of(letter)) if acts_for(sender, r) and not r.is_done), None
    )
    now = utcnow()
    if passed_on is not None and not passed_on.is_acknowledged:
        _acknowledge(passed_on, sender, now)
    routing = Routing(
        office_id=letter.office_id,
        letter=letter,
        parent=passed_on,
        kind=kind.value,
        sent_by=sender,
        sent_at=now,
        to_unit=to.unit,
        to_user=to.user,
        instruction=instruction,
        approval_action=action,
    )
    db.session.add(routing)
    for person in keepers:
        grant_reading(letter, person, sender)
    _log(letter, f"{ROUTING_KIND_THAI[kind]} {short_name(to.name)} {thai_day(now)}")
    db.session.flush()
    for person in keepers:
        if person.id == sender.id:
            continue
        notify(
            person,
            NotificationKind.ASSIGNED,
            ROUTED_MESSAGE,
            {**letter_params(letter), "instruction": instruction or "—"},
            url=letter_url(letter),
            subject=("saraban.routing", routing.id),
        )
    return routing


def _same_recipient(routing: Routing, to: Recipient) -> bool:
    if to.user is not None:
        return routing.to_user_id == to.user.id
    return routing.to_unit_id == to.unit.id


def grant_reading(letter: Letter, person: User, by: User | None) -> None:
    """Add the person to the letter's readers (for a secret letter, the only ones besides the
    head of the office), once."""
    if any(access.user_id == person.id for access in letter.access):
        return
    letter.access.append(
        LetterAccess(user=person, reason=AccessReason.ROUTED, granted_at=utcnow(), granted_by=by)
    )


def acknowledge(routing: Routing, person: User) -> None:
    """รับทราบ: the recipient has the letter; it leaves their "letters to me"."""
    if not acts_for(person, routing):
        raise LetterError(_l("This letter was not sent to you."))
    if routing.is_acknowledged:
        raise LetterError(_l("The letter is already acknowledged."))
    _acknowledge(routing, person, utcnow())
    db.session.flush()


def _acknowledge(routing: Routing, person: User, now: datetime) -> None:
    routing.acknowledged_at, routing.acknowledged_by = now, person
    _log(routing.letter, f"{person.name} รับทราบ {thai_day(now)}")
    mark_read_about(("saraban.routing", routing.id), [NotificationKind.ASSIGNED])


def report_done(routing: Routing, person: User, note: str) -> None:
    """ดำเนินการแล้ว: what the recipient did (for an opinion asked, the opinion), acknowledged on
    the way if it was not yet; the sender is told."""
    note = (note or "").strip()
    if not acts_for(person, routing):
        raise LetterError(_l("This letter was not sent to you."))
    if routing.is_done:
        raise LetterError(_l("What was done is already reported."))
    if not note:
        raise LetterError(_l("Write what was done."))
    if len(note) > INSTRUCTION_LENGTH:
        raise LetterError(_l("The report is too long."))
    now = utcnow()
    if not routing.is_acknowledged:
        _acknowledge(routing, person, now)
    routing.done_at, routing.done_by, routing.done_note = now, person, note
    done = "ให้ความเห็นแล้ว" if routing.kind == RoutingKind.CONSULT else "ดำเนินการแล้ว"
    _log(routing.letter, f"{done} {thai_day(now)}")
    db.session.flush()
    if routing.sent_by_id != person.id:
        notify(
            routing.sent_by,
            NotificationKind.UPDATE,
            DONE_MESSAGE,
            {**letter_params(routing.letter), "name": person.name, "note": note[:200]},
            url=letter_url(routing.letter),
            subject=("saraban.routing", routing.id),
        )


# --- "letters to me" -----------------------------------------------------------------------


def _waiting_for(person: User):
    """Hand-offs of the person's office waiting for their acknowledgement, on live letters."""
    mine = [Routing.to_user_id == person.id]
    if person.org_unit is not None and can(person, ROUTE):
        units = [person.org_unit.id, *(unit.id for unit in person.org_unit.ancestors())]
        mine.append(Routing.to_unit_id.in_(units))
    return (
        select(Routing)
        .join(Letter, Letter.id == Routing.letter_id)
        .where(
            or_(*mine),
            Routing.sent_by_id != person.id,  # a clerk sending to their own unit leaves it to the others
            Routing.acknowledged_at.is_(None),
            Routing.office_id == person.office_id,
            Letter.status == LetterStatus.REGISTERED,
        )
    )


def inbox(person: User, limit: int = INBOX_SIZE) -> list[Routing]:
    """หนังสือถึงฉัน: letters sent to the person or to a unit whose registry they keep, not yet
    acknowledged; the most urgent first, then the newest."""
    if person.office_id is None:
        return []
    rank = case(
        {urgency.value: rank for urgency, rank in URGENCY_RANK.items()}, value=Letter.urgency, else_=0
    )
    query = (
        _waiting_for(person)
        .order_by(rank.desc(), Routing.sent_at.desc(), Routing.id.desc())
        .limit(limit)
        .options(selectinload(Routing.letter), selectinload(Routing.sent_by), selectinload(Routing.to_unit))
    )
    return list(db.session.scalars(query))


def waiting_count(person: User, at_most: int = INBOX_SIZE) -> int:
    """How many letters wait for the person, counted up to ``at_most`` (no count over a long history)."""
    if person.office_id is None:
        return 0
    waiting = _waiting_for(person).with_only_columns(Routing.id).limit(at_most).subquery()
    return db.session.scalar(select(func.count()).select_from(waiting)) or 0


# --- the register's การปฏิบัติ column --------------------------------------------------------


def thai_day(moment: datetime) -> str:
    """``3 ม.ค. 69``: a day in Bangkok as the register writes it, whatever the reader's language."""
    return format_date(moment, DateStyle.SHORT, "th")


def short_name(name: str) -> str:
    """A long unit name as Thai registers abbreviate it: its first word and ไปยาลน้อย."""
    if len(name) > SHORT_NAME and " " in name:
        return f"{name.split(' ', 1)[0]}ฯ"
    return name


def _log(letter: Letter, line: str) -> None:
    """Add a line to the letter's การปฏิบัติ, read under a row lock so that two steps taken at
    once both stay (what the clerk wrote at registration stays first)."""
    db.session.flush()
    current = db.session.scalar(select(Letter.action).where(Letter.id == letter.id).with_for_update())
    letter.action = f"{current} · {line}" if current else line
    letter.updated_at = utcnow()


def log_step(letter: Letter, line: str) -> None:
    """A step of the letter taken elsewhere (a proposal, a decision) in its การปฏิบัติ."""
    _log(letter, line)


def letter_params(letter: Letter) -> dict[str, str]:
    """How a notification names a letter: never a secret letter's subject (it may go by e-mail)."""
    title = SECRET_TITLE if letter.is_secret else letter.subject
    return {"number": f"{letter.number}/{letter.be_year}", "title": title}


def letter_url(letter: Letter) -> str:
    return f"/saraban/letters/{letter.id}"


# --- the receipt stamp ---------------------------------------------------------------------


def letter_pdf(letter: Letter) -> Attachment | None:
    """The letter itself among its files: the first PDF."""
    return next((a for a in letter.attachments if a.file.kind == FileKind.PDF), None)


def stamped_copy(letter: Letter) -> StampedCopy | None:
    return db.session.scalar(select(StampedCopy).where(StampedCopy.letter_id == letter.id).limit(1))


def stamp(letter: Letter, actor: User | None = None) -> StampedCopy | None:
    """The received letter's PDF with the receipt stamp (agency, เลขรับ, วันที่, เวลา) at the top
    right of its first page, kept beside the file as received; made once. None for a letter that
    is not received or has no PDF; ``LetterError`` for a PDF that cannot be drawn on."""
    if letter.register != Register.RECEIVE or not is_live(letter):
        return None
    existing = stamped_copy(letter)
    attachment = letter_pdf(letter)
    if existing is not None or attachment is None:
        return existing
    office = letter.office
    receipt = ReceiptStamp(office.name, letter.number, letter.registered_at, thai_digits=office.thai_digits)
    try:
        data = stamp_receipt(read_stored(attachment.file), receipt)
    except PdfRefused as refused:
        raise LetterError(str(refused)) from None
    stem = PurePath(attachment.file.name).stem or "letter"
    stored = store_bytes(
        data,
        f"{stem}-ตรารับ-{letter.number}.pdf",
        office_id=letter.office_id,
        kinds={FileKind.PDF},
        purpose=STAMPED_PURPOSE,
        uploaded_by=actor,
        max_bytes=max(max_upload_bytes(), len(data)),  # the stamp adds a little to a file let in
    )
    copy = StampedCopy(
        letter_id=letter.id,
        attachment=attachment,
        file=stored,
        stamped_at=utcnow(),
        stamped_by_id=actor and actor.id,
    )
    db.session.add(copy)
    db.session.flush()
    return copy


def stamp_in_background(letter_id: int) -> None:
    """The job that stamps a letter once its registration (or a file added later) commits."""
    letter = db.session.get(Letter, letter_id)
    if letter is None:
        return
    try:
        stamp(letter)
    except LetterError as refused:  # a protected or damaged PDF: the letter page says so
        db.session.rollback()
        log.info("letter %s: no receipt stamp drawn: %s", letter_id, refused)
        return
    db.session.commit()


@event.listens_for(Attachment, "after_insert")
def _stamp_when_committed(_mapper, _connection, attachment: Attachment) -> None:
    """A received letter's first PDF gets its receipt stamp once the registration commits:
    drawing takes a moment, so it is done in the background and the clerk does not wait."""
    letter = attachment.letter
    if letter is None or letter.register != Register.RECEIVE or attachment.file.kind != FileKind.PDF:
        return
    try:
        enqueue(STAMP_JOB, letter_id=attachment.letter_id)
    except UnknownJob:  # an application without the saraban plugin's jobs: the letter page stamps it
        log.warning("the receipt stamp job is not registered")
