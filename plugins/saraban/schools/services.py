"""The schools' side: letters from the office in a school's inbox, acknowledged (รับทราบ), and
letters a school sends to its office, registered there on arrival. No request globals here.

A school's people (teachers, the school director, the school's clerk) read only their own
school's deliveries, never the office's registers; the office's central registry gives a school's
letter its receipt number, the school never numbers anything in the office's books.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from core.auth.models import RoleAssignment, RolePermission, User
from core.auth.permissions import can
from core.db import db, utcnow
from core.i18n import N_
from core.i18n import lazy_gettext as _l
from core.notifications import NotificationKind, notify
from core.org.models import OrgUnit, OrgUnitKind
from plugins.saraban.models import Attachment, Letter, LetterStatus, Register, Retention, Urgency
from plugins.saraban.outgoing.files import keep_document
from plugins.saraban.outgoing.models import DeliveryChannel, LetterDelivery
from plugins.saraban.routing.services import log_step, thai_day
from plugins.saraban.schools.models import SchoolLetter, SchoolLetterFile, SchoolLetterStatus
from plugins.saraban.services import (
    MAX_ATTACHMENTS,
    REGISTER,
    LetterEntry,
    LetterError,
    is_office_staff,
    register_letter,
)

READ = "saraban.school.read"  # a school's people: the letters the office sent to their school
SEND = "saraban.school.send"  # a school's people: send letters to the office
SCHOOL_CLERK = "saraban_school_clerk"  # เจ้าหน้าที่ธุรการโรงเรียน
SCHOOL_FILE_PURPOSE = "saraban.school_letter"
PAGE_SIZE = 50
TEXT_LENGTH = 2000

ARRIVED_MESSAGE = N_("A letter from %(office)s has arrived: %(number)s “%(title)s”.")
ALL_ACKNOWLEDGED_MESSAGE = N_(
    "Every school has acknowledged letter %(number)s “%(title)s” (%(count)s schools)."
)
SENT_IN_MESSAGE = N_("%(school)s sent a letter to the office: %(number)s “%(title)s”.")
REGISTERED_MESSAGE = N_("The office registered your letter “%(title)s” as received number %(number)s.")
RETURNED_MESSAGE = N_("The office returned your letter “%(title)s”: %(reason)s")


def school_of(user: User) -> OrgUnit | None:
    """The school the person works at, or None for office staff and administrators."""
    unit = user.org_unit
    return unit if unit is not None and unit.kind == OrgUnitKind.SCHOOL and unit.active else None


def may_read_inbox(user: User) -> bool:
    school = school_of(user)
    return school is not None and can(user, READ, school)


def may_send_to_office(user: User) -> bool:
    school = school_of(user)
    return school is not None and can(user, SEND, school)


# --- the school's inbox --------------------------------------------------------------------


def inbox(user: User, before: int | None = None, waiting_only: bool = False) -> list[LetterDelivery]:
    """The letters the office sent to the person's school in the system, newest first, a page at a
    time (keyset on id); ``waiting_only`` keeps those nobody at the school has acknowledged."""
    if not may_read_inbox(user):
        return []
    query = select(LetterDelivery).where(
        LetterDelivery.school_id == user.org_unit_id, LetterDelivery.channel == DeliveryChannel.SYSTEM
    )
    if waiting_only:
        query = query.where(LetterDelivery.acknowledged_at.is_(None))
    if before is not None:
        query = query.where(LetterDelivery.id < before)
    query = query.order_by(LetterDelivery.id.desc()).limit(PAGE_SIZE)
    return list(db.session.scalars(query.options(selectinload(LetterDelivery.letter))))


def find_delivery(user: User, delivery_id: int) -> LetterDelivery | None:
    """A letter in the person's own school's inbox; None for any other (another school's, another
    office's, or one sent by post)."""
    delivery = db.session.get(LetterDelivery, delivery_id)
    if delivery is None or not delivery.in_system or not may_read_inbox(user):
        return None
    return delivery if delivery.school_id == user.org_unit_id else None


def delivery_file(user: User, delivery_id: int, attachment_id: int) -> Attachment | None:
    delivery = find_delivery(user, delivery_id)
    if delivery is None:
        return None
    return next((a for a in delivery.letter.attachments if a.id == attachment_id), None)


def acknowledge(delivery: LetterDelivery, user: User) -> None:
    """รับทราบ for the school: who and when. When the last school in the system acknowledges, the
    people who sent the letter are told. The caller commits."""
    if find_delivery(user, delivery.id) is None:
        raise LetterError(_l("This letter is not in your school's inbox."))
    if delivery.letter.status == LetterStatus.CANCELLED:
        raise LetterError(_l("The office cancelled this letter: there is nothing to acknowledge."))
    # One acknowledgement at a time per letter, so that the last one sees every other and two
    # people of a school acknowledging at once do not both count.
    db.session.execute(select(Letter.id).where(Letter.id == delivery.letter_id).with_for_update())
    done = db.session.scalar(select(LetterDelivery.acknowledged_at).where(LetterDelivery.id == delivery.id))
    if done is not None:
        raise LetterError(_l("Your school has already acknowledged this letter."))
    delivery.acknowledged_at, delivery.acknowledged_by = utcnow(), user
    db.session.flush()
    deliveries = db.session.scalars(
        select(LetterDelivery).where(
            LetterDelivery.letter_id == delivery.letter_id, LetterDelivery.channel == DeliveryChannel.SYSTEM
        )
    ).all()
    if all(d.is_acknowledged for d in deliveries):
        letter = delivery.letter
        log_step(letter, f"โรงเรียนรับทราบครบ {len(deliveries)} แห่ง {thai_day(delivery.acknowledged_at)}")
        for sender in {d.sent_by_id: d.sent_by for d in deliveries}.values():
            notify(
                sender,
                NotificationKind.UPDATE,
                ALL_ACKNOWLEDGED_MESSAGE,
                {**_letter_params(letter), "count": len(deliveries)},
                url=f"/saraban/letters/{letter.id}#deliveries",
                subject=("saraban.letter", letter.id),
            )


def tell_schools(letter: Letter, school_ids: Iterable[int]) -> None:
    """Tell the people of each school who read its letters that the letter has arrived."""
    params = {**_letter_params(letter), "office": letter.office.name}
    deliveries = {
        d.school_id: d.id
        for d in db.session.scalars(select(LetterDelivery).where(LetterDelivery.letter_id == letter.id))
    }
    for person in holders(READ, User.org_unit_id.in_(set(school_ids))):
        notify(
            person,
            NotificationKind.UPDATE,
            ARRIVED_MESSAGE,
            params,
            url=f"/saraban/schools/inbox/{deliveries[person.org_unit_id]}",
            subject=("saraban.letter", letter.id),
        )


def holders(permission: str, *where: ColumnElement[bool]) -> list[User]:
    """The active people ``where`` selects who hold a role with the permission: one query, for a
    letter sent to hundreds of schools or an office of a thousand people."""
    return list(
        db.session.scalars(
            select(User)
            .join(RoleAssignment, RoleAssignment.user_id == User.id)
            .join(RolePermission, RolePermission.role_id == RoleAssignment.role_id)
            .where(User.active.is_(True), RolePermission.permission == permission, *where)
            .distinct()
            .order_by(User.id)
        )
    )


def _letter_params(letter: Letter) -> dict[str, str]:
    """How a notification names a letter: its ที่ and subject. Secret letters never reach a school
    in the system, but a notification may go by e-mail, so a secret one keeps its subject out."""
    title = N_("a secret letter") if letter.is_secret else letter.subject
    return {"number": letter.document_number or f"{letter.number}/{letter.be_year}", "title": title}


# --- letters from a school to the office ---------------------------------------------------


@dataclass(frozen=True)
class SchoolLetterText:
    """What the school writes: its own ที่, the subject, to whom, and a note to the registry."""

    document_number: str
    subject: str
    addressee: str
    dated: date | None = None
    urgency: Urgency = Urgency.NORMAL
    note: str = ""


def send_to_office(user: User, text: SchoolLetterText, uploads: list[FileStorage]) -> SchoolLetter:
    """The school's letter goes into the central registry's queue, unnumbered; the registry's clerks
    are told. At least one file (the letter itself). The caller commits."""
    school = school_of(user)
    if school is None or not may_send_to_office(user):
        raise LetterError(_l("Letters to the office are sent by the people of a school."))
    number, subject, addressee = (
        " ".join(value.split()) for value in (text.document_number, text.subject, text.addressee)
    )
    if not number or not subject or not addressee:
        raise LetterError(
            _l("Write the document number of your school, the subject and to whom it is addressed.")
        )
    if len(text.note) > TEXT_LENGTH:
        raise LetterError(_l("The note holds at most %(count)d characters.", count=TEXT_LENGTH))
    if not uploads:
        raise LetterError(_l("Attach the letter (a PDF or a scan)."))
    if len(uploads) > MAX_ATTACHMENTS:
        raise LetterError(_l("A letter holds at most %(count)d files.", count=MAX_ATTACHMENTS))
    letter = SchoolLetter(
        office_id=school.office_id,
        school=school,
        sent_by=user,
        sent_at=utcnow(),
        document_number=number[:100],
        dated=text.dated,
        subject=subject[:500],
        addressee=addressee[:300],
        urgency=text.urgency.value,
        note=text.note.strip(),
        status=SchoolLetterStatus.WAITING,
    )
    for upload in uploads:
        stored = keep_document(upload, office_id=school.office_id, purpose=SCHOOL_FILE_PURPOSE, actor=user)
        letter.files.append(SchoolLetterFile(file=stored))
    db.session.add(letter)
    db.session.flush()
    params = {"school": school.name, "number": letter.document_number, "title": letter.subject}
    for clerk in registry_clerks(school.office_id):
        notify(
            clerk,
            NotificationKind.UPDATE,
            SENT_IN_MESSAGE,
            params,
            url=f"/saraban/schools/letters/{letter.id}",
            subject=("saraban.school_letter", letter.id),
        )
    return letter


def registry_clerks(office_id: int) -> list[User]:
    """The office's people who register letters (the central registry), not a school's."""
    schools = select(OrgUnit.id).where(OrgUnit.office_id == office_id, OrgUnit.kind == OrgUnitKind.SCHOOL)
    return holders(
        REGISTER,
        User.office_id == office_id,
        or_(User.org_unit_id.is_(None), User.org_unit_id.not_in(schools)),
    )


def letters_of_school(user: User, before: int | None = None) -> list[SchoolLetter]:
    """What the person's school sent to the office, newest first (keyset on id)."""
    school = school_of(user)
    if school is None or not (may_send_to_office(user) or may_read_inbox(user)):
        return []
    query = select(SchoolLetter).where(SchoolLetter.school_id == school.id)
    if before is not None:
        query = query.where(SchoolLetter.id < before)
    return list(db.session.scalars(query.order_by(SchoolLetter.id.desc()).limit(PAGE_SIZE)))


def may_register(user: User, office_id: int) -> bool:
    return user.office_id == office_id and is_office_staff(user) and can(user, REGISTER)


def find_school_letter(user: User, letter_id: int) -> SchoolLetter | None:
    """A school's letter for the people of that school and for the office's central registry."""
    found = db.session.get(SchoolLetter, letter_id)
    if found is None:
        return None
    school = school_of(user)
    if school is not None and school.id == found.school_id:
        return found if may_send_to_office(user) or may_read_inbox(user) else None
    return found if may_register(user, found.office_id) else None


def arrivals(office_id: int, after: int | None = None) -> list[SchoolLetter]:
    """The central registry's queue: schools' letters waiting to be registered, oldest first."""
    query = select(SchoolLetter).where(
        SchoolLetter.office_id == office_id, SchoolLetter.status == SchoolLetterStatus.WAITING
    )
    if after is not None:
        query = query.where(SchoolLetter.id > after)
    query = query.order_by(SchoolLetter.id).limit(PAGE_SIZE)
    return list(db.session.scalars(query.options(selectinload(SchoolLetter.school))))


def register_arrival(
    school_letter: SchoolLetter,
    clerk: User,
    unit_id: int | None = None,
    retention: Retention = Retention.TEN_YEARS,
) -> Letter:
    """Register the school's letter in the receive register (its receipt number, date and time
    are given now), with its files, and tell the school. The caller commits."""
    _check_waiting(school_letter, clerk)
    letter = register_letter(
        school_letter.office_id,
        LetterEntry(
            register=Register.RECEIVE,
            subject=school_letter.subject,
            document_number=school_letter.document_number,
            dated=school_letter.dated,
            sender=school_letter.school.name,
            addressee=school_letter.addressee,
            urgency=Urgency(school_letter.urgency),
            unit_id=unit_id,
            retention=retention,
        ),
        clerk,
    )
    now = utcnow()
    for row in school_letter.files:
        letter.attachments.append(Attachment(file=row.file, added_at=now, added_by=clerk))
    _handled(school_letter, clerk, SchoolLetterStatus.REGISTERED)
    school_letter.letter = letter
    db.session.flush()
    notify(
        school_letter.sent_by,
        NotificationKind.UPDATE,
        REGISTERED_MESSAGE,
        {"title": school_letter.subject, "number": f"{letter.number}/{letter.be_year}"},
        url=f"/saraban/schools/letters/{school_letter.id}",
        subject=("saraban.school_letter", school_letter.id),
    )
    return letter


def return_to_school(school_letter: SchoolLetter, clerk: User, reason: str) -> None:
    """Send the letter back unregistered (not the office's, incomplete), saying why."""
    _check_waiting(school_letter, clerk)
    reason = reason.strip()
    if not reason:
        raise LetterError(_l("Say why the letter goes back to the school."))
    _handled(school_letter, clerk, SchoolLetterStatus.RETURNED)
    school_letter.return_reason = reason[:TEXT_LENGTH]
    db.session.flush()
    notify(
        school_letter.sent_by,
        NotificationKind.RETURNED,
        RETURNED_MESSAGE,
        {"title": school_letter.subject, "reason": school_letter.return_reason},
        url=f"/saraban/schools/letters/{school_letter.id}",
        subject=("saraban.school_letter", school_letter.id),
    )


def _check_waiting(school_letter: SchoolLetter, clerk: User) -> None:
    if not may_register(clerk, school_letter.office_id):
        raise LetterError(_l("The office's central registry registers letters from schools."))
    # Read under a row lock: two clerks registering the same letter at once do not both number it.
    status = db.session.scalar(
        select(SchoolLetter.status).where(SchoolLetter.id == school_letter.id).with_for_update()
    )
    if status != SchoolLetterStatus.WAITING:
        raise LetterError(_l("This letter has already been registered or returned."))


def _handled(school_letter: SchoolLetter, clerk: User, status: SchoolLetterStatus) -> None:
    school_letter.status = status
    school_letter.handled_by, school_letter.handled_at = clerk, utcnow()
