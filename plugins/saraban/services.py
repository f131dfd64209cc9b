"""Registering letters, cancelling mistaken entries, reading registers: no request globals here.

Numbers come from ``core.numbering``: one series per office, register and calendar year,
issued inside the registering transaction, so concurrent clerks get consecutive numbers and a
refused or rolled-back entry gives its number back. A number once committed is never reused:
a mistaken entry is cancelled with a reason and stays in the register as cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Row, Select, or_, select, union
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import FileStorage

from core.auth.models import User
from core.auth.permissions import can
from core.db import db, utcnow
from core.i18n import lazy_gettext as _l
from core.i18n.collation import thai_order
from core.i18n.thaidate import BANGKOK, arabic_digits, be_year, to_local
from core.numbering.models import NumberSeries
from core.numbering.service import next_number
from core.org.models import OrgUnit, OrgUnitKind
from core.search import MIN_INDEXED_TERM, SearchIndex
from core.uploads import DOCUMENTS, UploadRejected, store_upload
from plugins.saraban.models import (
    REGISTER_KINDS,
    SUBTYPES,
    AccessReason,
    Attachment,
    Letter,
    LetterAccess,
    LetterKind,
    LetterStatus,
    LetterSubtype,
    Register,
    RegisterStart,
    Retention,
    Secrecy,
    UnitPrefix,
    Urgency,
)

VIEW = "saraban.letter.view"
REGISTER = "saraban.letter.register"
SECRET = "saraban.letter.secret"
MANAGE = "saraban.manage"

PAGE_SIZE = 50
CIRCULAR_MARK = "ว"  # หนังสือเวียน: ``ศธ 04123/ว 99``
INTERNAL_UNITS = (OrgUnitKind.OFFICE, OrgUnitKind.GROUP, OrgUnitKind.WORK_UNIT)
MAX_ATTACHMENTS = 20  # a letter and its enclosures; AMSS++ allowed 5
ATTACHMENT_PURPOSE = "saraban.attachment"


class LetterError(ValueError):
    """An entry or a step that cannot be made; ``message`` is shown to the clerk."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class LetterEntry:
    """What the clerk writes into the register; the number, ที่ of outgoing letters and the
    time of registration are the system's."""

    register: Register
    subject: str
    kind: LetterKind = LetterKind.EXTERNAL
    subtype: LetterSubtype | None = None
    document_number: str = ""  # ที่ of a received letter, as printed on it
    dated: date | None = None
    sender: str = ""
    addressee: str = ""
    action: str = ""
    remarks: str = ""
    urgency: Urgency = Urgency.NORMAL
    urgent_by: datetime | None = None  # ด่วนภายใน, UTC
    secrecy: Secrecy = Secrecy.NONE
    unit_id: int | None = None
    retention: Retention = Retention.TEN_YEARS
    named_ids: tuple[int, ...] = field(default_factory=tuple)


# --- registering ---------------------------------------------------------------------------


def register_letter(office_id: int, entry: LetterEntry, clerk: User, at: datetime | None = None) -> Letter:
    """Write one entry into its register and give it the next number of the year.

    Everything is checked before the number is taken; the caller commits.
    """
    kind, subtype = _kind_of(entry)
    subject = entry.subject.strip()
    if not subject:
        raise LetterError(_l("Write the subject of the letter."))
    if entry.register is Register.RECEIVE and not entry.sender.strip():
        raise LetterError(_l("Write who the letter is from."))
    if entry.urgent_by is not None and entry.urgency is Urgency.NORMAL:
        raise LetterError(_l("A deadline (urgent within) needs an urgency above normal."))
    unit = _own_unit(office_id, entry.unit_id)
    named = _office_people(office_id, entry.named_ids)
    prefix = (
        document_prefix(office_id, unit) if entry.register in (Register.SEND, Register.CIRCULAR) else None
    )
    if entry.register in (Register.SEND, Register.CIRCULAR) and prefix is None:
        raise LetterError(
            _l("Set the document number prefix of the office first (settings of the registers).")
        )

    now = at or utcnow()
    year = to_local(now).year
    number = next_number(
        office_id, entry.register.series, year, start=configured_start(office_id, entry.register, year)
    )
    # Taken after the number: the series is locked until commit, so time follows number order.
    registered_at = at or utcnow()
    office = db.session.get(OrgUnit, office_id)
    letter = Letter(
        office_id=office_id,
        register=entry.register.value,
        year=year,
        number=number,
        registered_at=registered_at,
        registered_by=clerk,
        document_number=_document_number(entry, prefix, number, year),
        dated=entry.dated if entry.dated or not entry.register.outgoing else to_local(registered_at).date(),
        sender=entry.sender.strip() or (office.name if entry.register.outgoing and office else ""),
        addressee=entry.addressee.strip(),
        subject=subject,
        action=entry.action.strip(),
        remarks=entry.remarks.strip(),
        kind=kind.value,
        subtype=subtype.value if subtype else None,
        urgency=entry.urgency.value,
        urgent_by=entry.urgent_by,
        secrecy=entry.secrecy.value,
        unit=unit,
        retention=entry.retention.value,
        status=LetterStatus.REGISTERED,
        updated_at=registered_at,
    )
    letter.access.append(LetterAccess(user=clerk, reason=AccessReason.REGISTRAR, granted_at=registered_at))
    for person in named:
        if person.id != clerk.id:
            letter.access.append(
                LetterAccess(
                    user=person, reason=AccessReason.NAMED, granted_at=registered_at, granted_by=clerk
                )
            )
    db.session.add(letter)
    db.session.flush()
    return letter


def _kind_of(entry: LetterEntry) -> tuple[LetterKind, LetterSubtype | None]:
    """The kind and sub-type the entry may have: fixed for orders and announcements."""
    if entry.register in REGISTER_KINDS:
        return REGISTER_KINDS[entry.register]
    allowed = SUBTYPES.get(entry.kind, ())
    if (entry.subtype is None and allowed) or (entry.subtype is not None and entry.subtype not in allowed):
        raise LetterError(_l("Choose the kind of letter with its sub-type."))
    return entry.kind, entry.subtype


def _own_unit(office_id: int, unit_id: int | None) -> OrgUnit | None:
    if unit_id is None:
        return None
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None or unit.office_id != office_id or unit.kind not in INTERNAL_UNITS:
        raise LetterError(_l("Choose a unit of the office."))
    return unit


def _office_people(office_id: int, user_ids: tuple[int, ...]) -> list[User]:
    if not user_ids:
        return []
    people = list(
        db.session.scalars(
            select(User).where(User.id.in_(user_ids), User.office_id == office_id, User.active.is_(True))
        )
    )
    if len(people) != len(set(user_ids)):
        raise LetterError(_l("Name only people of the office."))
    return people


def _document_number(entry: LetterEntry, prefix: str | None, number: int, year: int) -> str:
    """ที่: as printed on a received letter; ``<prefix>/<n>`` sent, ``<prefix>/ว <n>`` circulated,
    ``<n>/<พ.ศ.>`` for orders (ข้อ 16.2) and announcements. The year is never in a sent number."""
    if entry.register is Register.RECEIVE:
        return entry.document_number.strip()
    if entry.register is Register.SEND:
        return f"{prefix}/{number}"
    if entry.register is Register.CIRCULAR:
        return f"{prefix}/{CIRCULAR_MARK} {number}"
    return f"{number}/{be_year(year)}"


def cancel_letter(letter: Letter, actor: User, reason: str) -> None:
    """Void a mistaken entry: its number stays used and the entry stays in the register."""
    reason = (reason or "").strip()
    if letter.is_cancelled:
        raise LetterError(_l("This entry is already cancelled."))
    if letter.status == LetterStatus.DESTROYED:
        raise LetterError(_l("A destroyed letter's entry stays as it is."))
    if not reason:
        raise LetterError(_l("Say why the entry is cancelled."))
    now = utcnow()
    letter.status = LetterStatus.CANCELLED
    letter.cancelled_at = letter.updated_at = now
    letter.cancelled_by = actor
    letter.cancel_reason = reason
    db.session.flush()


def attach(letter: Letter, upload: FileStorage, actor: User) -> Attachment:
    """Keep a file of the letter: PDF, a picture or an Office document, checked by its bytes and
    size by ``core.uploads``. ลับที่สุด never has a stored file; a cancelled entry takes none."""
    if not letter.may_hold_files:
        raise LetterError(_l("A top secret letter is kept on paper only: the system stores no file of it."))
    if letter.is_cancelled:
        raise LetterError(_l("A cancelled entry takes no files."))
    if letter.status == LetterStatus.DESTROYED:
        raise LetterError(_l("A destroyed letter takes no files."))
    if len(letter.attachments) >= MAX_ATTACHMENTS:
        raise LetterError(_l("A letter holds at most %(count)d files.", count=MAX_ATTACHMENTS))
    try:
        stored = store_upload(
            upload, office_id=letter.office_id, kinds=DOCUMENTS, purpose=ATTACHMENT_PURPOSE, uploaded_by=actor
        )
    except UploadRejected as rejected:
        raise LetterError(str(rejected)) from None
    attachment = Attachment(file=stored, added_at=utcnow(), added_by=actor)
    letter.attachments.append(attachment)
    db.session.flush()
    return attachment


def find_attachment(viewer: User, letter_id: int, attachment_id: int) -> Attachment | None:
    """A file of a letter the viewer may read; None otherwise (also for another letter's file)."""
    letter = find_letter(viewer, letter_id)
    if letter is None:
        return None
    return next((a for a in letter.attachments if a.id == attachment_id), None)


# --- settings: prefixes and starting numbers -----------------------------------------------


def document_prefix(office_id: int, unit: OrgUnit | None) -> str | None:
    """The prefix of ที่ for a letter of ``unit``: its own, its nearest parent's, or the office's."""
    prefixes = office_prefixes(office_id)
    for candidate in [unit, *unit.ancestors()] if unit is not None else []:
        if candidate.id in prefixes:
            return prefixes[candidate.id]
    return prefixes.get(office_id)


def office_prefixes(office_id: int) -> dict[int, str]:
    rows = db.session.execute(
        select(UnitPrefix.unit_id, UnitPrefix.prefix).where(UnitPrefix.office_id == office_id)
    )
    return {unit_id: prefix for unit_id, prefix in rows}


def set_prefix(office_id: int, unit_id: int, prefix: str) -> None:
    """Set (or, with an empty prefix, remove) the code a unit writes before its numbers."""
    unit = _own_unit(office_id, unit_id)
    assert unit is not None
    row = db.session.scalar(select(UnitPrefix).where(UnitPrefix.unit_id == unit.id))
    prefix = " ".join(prefix.split())
    if "/" in prefix:
        raise LetterError(_l("A prefix holds no slash: the system adds “/” and the number."))
    if not prefix:
        if row is not None:
            db.session.delete(row)
        return
    if row is None:
        row = UnitPrefix(office_id=office_id, unit_id=unit.id, prefix=prefix)
        db.session.add(row)
    row.prefix = prefix
    db.session.flush()


def configured_start(office_id: int, register: Register, year: int) -> int:
    start = db.session.scalar(
        select(RegisterStart.start).where(
            RegisterStart.office_id == office_id,
            RegisterStart.register == register.value,
            RegisterStart.year == year,
        )
    )
    return start or 1


def issued_so_far(office_id: int, register: Register, year: int) -> int | None:
    """The last number issued in the register that year, or None before the first."""
    return db.session.scalar(
        select(NumberSeries.last).where(
            NumberSeries.office_id == office_id,
            NumberSeries.series == register.series,
            NumberSeries.year == year,
        )
    )


def set_start(office_id: int, register: Register, year: int, start: int) -> None:
    """Continue a paper book: the year's first number, settable only before the first entry."""
    if start < 1:
        raise LetterError(_l("The first number is 1 or more."))
    if issued_so_far(office_id, register, year) is not None:
        raise LetterError(
            _l("Numbers of this register have already been issued this year: its series cannot restart.")
        )
    row = db.session.scalar(
        select(RegisterStart).where(
            RegisterStart.office_id == office_id,
            RegisterStart.register == register.value,
            RegisterStart.year == year,
        )
    )
    if row is None:
        row = RegisterStart(office_id=office_id, register=register.value, year=year, start=start)
        db.session.add(row)
    row.start = start
    db.session.flush()


def office_units(office_id: int) -> list[Row[tuple[int, str, OrgUnitKind]]]:
    """The office and its groups and work units (not its schools), in Thai order: their ``id``,
    ``name`` and ``kind``. Plain rows, not units: the register's filter lists them on every page."""
    return list(
        db.session.execute(
            select(OrgUnit.id, OrgUnit.name, OrgUnit.kind)
            .where(OrgUnit.office_id == office_id, OrgUnit.active.is_(True), OrgUnit.kind.in_(INTERNAL_UNITS))
            .order_by(thai_order(OrgUnit.name))
        )
    )


def staff_choices(office_id: int) -> list[tuple[int, str]]:
    """(id, "name · position") of the active people of the office itself (not of its schools),
    in Thai order: who may be named on a letter, sent it or sign it. Plain rows, not people: an
    office has hundreds, and a form lists them on every request."""
    school = select(OrgUnit.id).where(OrgUnit.office_id == office_id, OrgUnit.kind == OrgUnitKind.SCHOOL)
    rows = db.session.execute(
        select(User.id, User.name, User.position)
        .where(
            User.office_id == office_id,
            User.active.is_(True),
            or_(User.org_unit_id.is_(None), User.org_unit_id.not_in(school)),
        )
        .order_by(thai_order(User.name))
    )
    return [(id, f"{name} · {position}" if position else name) for id, name, position in rows]


# --- who may read what ---------------------------------------------------------------------


def readable(viewer: User) -> ColumnElement[bool]:
    """Letters of the viewer's office they may read: every letter that is not secret, and a
    secret one only when they are listed on it or hold ``saraban.letter.secret``."""
    office = Letter.office_id == viewer.office_id
    if can(viewer, SECRET):
        return office
    # Looked up per secret row (the access table's unique index), not as the list of every
    # letter the viewer is on: a registering clerk is on every letter they registered.
    listed = (
        select(LetterAccess.id)
        .where(LetterAccess.letter_id == Letter.id, LetterAccess.user_id == viewer.id)
        .exists()
    )
    return office & or_(Letter.secrecy == Secrecy.NONE, listed)


def is_office_staff(user: User) -> bool:
    """People of the office itself, not of its schools: the registers are the office's books,
    whatever role a school's own clerk holds there. A school reads the letters it is on."""
    unit = user.org_unit
    return user.office_id is not None and (unit is None or unit.kind != OrgUnitKind.SCHOOL)


def can_read(viewer: User, letter: Letter) -> bool:
    if viewer.office_id is None or letter.office_id != viewer.office_id:
        return False
    listed = any(access.user_id == viewer.id for access in letter.access)
    if listed:
        return True
    if not is_office_staff(viewer) or not can(viewer, VIEW):
        return False
    return not letter.is_secret or can(viewer, SECRET)


def find_letter(viewer: User, letter_id: int) -> Letter | None:
    """The letter if the viewer may read it; None for another office's or a secret one."""
    letter = db.session.get(Letter, letter_id)
    return letter if letter is not None and can_read(viewer, letter) else None


# --- reading registers ---------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilter:
    """What the register page shows: one register of one calendar year (C.E.), narrowed."""

    register: Register
    year: int
    urgency: Urgency | None = None
    secrecy: Secrecy | None = None
    unit_id: int | None = None
    since: date | None = None
    until: date | None = None

    def describe(self) -> dict[str, object]:
        """The filters as plain values, for the audit trail of an export."""
        return {
            "register": self.register.value,
            "year": self.year,
            **{
                name: str(value)
                for name in ("urgency", "secrecy", "unit_id", "since", "until")
                if (value := getattr(self, name)) is not None
            },
        }


def register_page(viewer: User, wanted: RegisterFilter, before: int | None = None) -> list[Letter]:
    """A page of the register, newest number first, from ``before`` on (keyset: no offset, no count)."""
    query = _register_query(viewer, wanted)
    if query is None:
        return []
    if before is not None:
        query = query.where(Letter.number < before)
    return list(db.session.scalars(query.order_by(Letter.number.desc()).limit(PAGE_SIZE)))


def register_rows(viewer: User, wanted: RegisterFilter, limit: int) -> list[Letter]:
    """The register in number order, for printing and export: at most ``limit`` + 1 rows, so the
    caller can tell that there are more."""
    query = _register_query(viewer, wanted)
    if query is None:
        return []
    return list(db.session.scalars(query.order_by(Letter.number).limit(limit + 1)))


def _register_query(viewer: User, wanted: RegisterFilter) -> Select | None:
    if viewer.office_id is None:
        return None
    query = select(Letter).where(
        Letter.office_id == viewer.office_id,
        Letter.register == wanted.register.value,
        Letter.year == wanted.year,
        readable(viewer),
    )
    if wanted.urgency is not None:
        query = query.where(Letter.urgency == wanted.urgency.value)
    if wanted.secrecy is not None:
        query = query.where(Letter.secrecy == wanted.secrecy.value)
    if wanted.unit_id is not None:
        query = query.where(Letter.unit_id == wanted.unit_id)
    if wanted.since is not None or wanted.until is not None:
        numbers = _numbers_between(viewer.office_id, wanted)
        if numbers is None:
            return None
        query = query.where(Letter.number.between(*numbers))
    return query.options(joinedload(Letter.unit))


def _numbers_between(office_id: int, wanted: RegisterFilter) -> tuple[int, int] | None:
    """The register numbers registered within the dates, as a range: numbers are issued in time
    order, so two index look-ups replace a scan of the dates (None when nothing falls within)."""
    same = (
        Letter.office_id == office_id,
        Letter.register == wanted.register.value,
        Letter.year == wanted.year,
    )
    first = select(Letter.number).where(*same).order_by(Letter.registered_at, Letter.number).limit(1)
    last = (
        select(Letter.number)
        .where(*same)
        .order_by(Letter.registered_at.desc(), Letter.number.desc())
        .limit(1)
    )
    if wanted.since is not None:
        first = first.where(Letter.registered_at >= _utc_midnight(wanted.since))
    if wanted.until is not None:
        last = last.where(Letter.registered_at < _utc_midnight(wanted.until + timedelta(days=1)))
    low, high = db.session.scalar(first), db.session.scalar(last)
    if low is None or high is None or low > high:
        return None
    return low, high


def _utc_midnight(day: date) -> datetime:
    """The start of a day in Bangkok, as a stored (naive UTC) time."""
    return datetime.combine(day, time(), BANGKOK).astimezone(UTC).replace(tzinfo=None)


LETTER_SEARCH = SearchIndex(
    "saraban_letters", ("document_number", "subject", "sender", "addressee"), codes=("document_number",)
)
SEARCH_WORDS = 5


def search_letters(viewer: User, text: str, before: int | None = None) -> list[Letter]:
    """Letters of every register and year whose ที่, subject, sender or addressee hold each word
    (any fragment: Thai has no spaces), or whose register number is a word; newest first. Thai
    digits are read as digits.

    Words of text are found as in the helpdesk's queue (``SearchIndex.narrowed``). A number is a
    fragment or a register number; a short one a register number only ("2" would find every ที่
    with a 2 in it). On PostgreSQL the matches of a word with a digit (a number, a date) are
    gathered from the index first: such letters cluster in time, as a series runs through its
    year, so walking back from the newest letter would read a long way before a page fills,
    while a word of text is spread over the years.
    """
    words = arabic_digits(text).split()[:SEARCH_WORDS]
    if viewer.office_id is None or not words:
        return []
    dialect = db.engine.dialect.name
    text_words = " ".join(word for word in words if not word.isdigit())
    query, newest_first = LETTER_SEARCH.narrowed(
        select(Letter).where(readable(viewer)), Letter.id, text_words, dialect
    )
    for number, word in enumerate(word for word in words if word.isdigit()):
        if len(word) < MIN_INDEXED_TERM:
            query = query.where(Letter.number == int(word))
            continue
        by_number = select(Letter.id.label("id")).where(
            Letter.office_id == viewer.office_id, Letter.number == int(word)
        )
        matches = union(LETTER_SEARCH.matching_ids(Letter.id, word, dialect), by_number).subquery(
            f"number_{number}"
        )
        query = query.join(matches, matches.c.id == Letter.id)
        newest_first = matches.c.id if newest_first is Letter.id else newest_first
    if before is not None:
        query = query.where(newest_first < before)
    if dialect == "postgresql" and any(_clusters_in_time(word) for word in words):
        matched = query.with_only_columns(Letter.id).cte("matched").prefix_with("MATERIALIZED")
        page = select(matched.c.id).order_by(matched.c.id.desc()).limit(PAGE_SIZE)
        query = select(Letter).where(Letter.id.in_(page)).order_by(Letter.id.desc())
    else:
        query = query.order_by(newest_first.desc()).limit(PAGE_SIZE)
    return list(db.session.scalars(query.options(joinedload(Letter.unit))))


def _clusters_in_time(word: str) -> bool:
    """A number or date long enough to be looked up in the index (its letters cluster in time)."""
    return len(word) >= MIN_INDEXED_TERM and any(character.isdigit() for character in word)


def register_years(office_id: int, today: date) -> list[int]:
    """The calendar years (C.E.) that have a register, newest first, always with this year."""
    years = db.session.scalars(
        select(NumberSeries.year)
        .where(NumberSeries.office_id == office_id, NumberSeries.series.like("saraban.%"))
        .distinct()
    )
    return sorted({today.year, *years}, reverse=True)


def this_year(now: datetime | None = None) -> int:
    return to_local(now or utcnow()).year
