"""Retention and destruction of letters (ข้อ 57, 66–69 of the Correspondence Regulation).

A letter kept one year (routine) may be destroyed after 31 December of ``year + 1``, one kept
ten years after 31 December of ``year + 10``; a permanent one never. After the end of each
calendar year the records staff draft the year's list (บัญชีหนังสือขอทำลาย), take off what
should not go, and send it to the destruction committee through ``core.approvals``; every
member decides, and may first keep items (their retention is extended). Once the chain has
approved, the staff record the National Archives' agreement, and only then mark the remaining
letters destroyed: each stays in its register marked destroyed, its files' bytes are deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, exists, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from core.approvals.contributions import (
    APPROVE,
    REJECT,
    ApprovalSubject,
    ChainTemplate,
    Decision,
    DecisionVocabulary,
    StepTemplate,
)
from core.approvals.engine import ApprovalError, act, capacity, open_request_for, submit
from core.approvals.messages import refusal
from core.approvals.models import (
    ActionKind,
    ApprovalAction,
    ApprovalRequest,
    ApproverRule,
    Quorum,
    RequestStatus,
)
from core.approvals.rules import role_holders
from core.audit import record as audit
from core.auth.models import User
from core.auth.permissions import can
from core.db import db, utcnow
from core.i18n import N_
from core.i18n import lazy_gettext as _l
from core.i18n.thaidate import be_year, to_local
from core.i18n.thaidate import today as local_today
from core.jobs import enqueue
from core.notifications import NotificationKind, notify
from core.org.models import OrgUnit, OrgUnitKind
from core.plugins.models import OfficePlugin
from core.uploads import StoredFile, discard_stored
from plugins.saraban.models import Attachment, Letter, LetterStatus, Retention
from plugins.saraban.retention.events import ARCHIVES_RECORDED, LETTERS_DESTROYED
from plugins.saraban.retention.models import DestructionItem, DestructionList, ItemStatus, ListStatus

MANAGE = "saraban.retention.manage"  # the records staff: draft, take off, send, record, destroy
REVIEW = "saraban.retention.review"  # the committee and the head of the office: read the lists
COMMITTEE_ROLE = "saraban_destruction_committee"
SUBJECT = "saraban.destruction_list"
CHAIN = "saraban.destruction"
VOCABULARY = "saraban.destruction_committee"
JOB = "saraban.destruction_lists"
DESTROY_JOB = "saraban.destroy_list"
DESTROY_BATCH = 500  # letters per transaction: about a second of audited changes
STALLED = timedelta(minutes=30)  # a destruction this long without progress has stopped
COMMITTEE_SIZE = 3  # a chair and at least two members (Regulation No. 3, B.E. 2560)
PAGE_SIZE = 100
KEEP_YEARS = 10  # the committee extends by up to this many years, or keeps for good
DRAFTED_MESSAGE = N_("The destruction list of %(year)s is drafted: check it and send it to the committee.")

COMMITTEE_VOCABULARY = DecisionVocabulary(
    VOCABULARY,
    (
        Decision("destroy", _l("Agree to destroy the listed letters"), "เห็นควรทำลาย", APPROVE),
        Decision("refuse", _l("Do not destroy"), "ไม่เห็นควรทำลาย", REJECT),
    ),
)

CHAIN_TEMPLATE = ChainTemplate(
    CHAIN,
    "บัญชีหนังสือขอทำลาย",
    (
        StepTemplate(
            "คณะกรรมการทำลายหนังสือพิจารณา",
            ApproverRule.ROLE_IN_OFFICE,
            role_name=COMMITTEE_ROLE,
            quorum=Quorum.ALL,
            vocabulary=VOCABULARY,
            sla_hours=5 * 7,
        ),
        # ข้อ 68: the committee reports to the head of the office, who sends the list on.
        StepTemplate(
            "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาพิจารณา",
            ApproverRule.ROLE_IN_OFFICE,
            role_name="office_director",
            vocabulary="core.endorse",
            sla_hours=2 * 7,
        ),
    ),
)


class RetentionError(ValueError):
    """A step that cannot be taken; ``message`` is shown to the person."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


# --- when retention ends -------------------------------------------------------------------


def retention_ends(letter: Letter) -> int | None:
    """The last calendar year (C.E.) the letter must be kept; None for a permanent one."""
    if letter.retention == Retention.ONE_YEAR:
        return letter.year + 1
    if letter.retention == Retention.TEN_YEARS:
        return letter.year + 10
    return None


def _ended_by(year: int) -> ColumnElement[bool]:
    """Letters whose retention ended by 31 December of ``year`` (the SQL of ``retention_ends``)."""
    return or_(
        and_(Letter.retention == Retention.ONE_YEAR, Letter.year <= year - 1),
        and_(Letter.retention == Retention.TEN_YEARS, Letter.year <= year - 10),
    )


def _held(year: int) -> ColumnElement[bool]:
    """Letters already on a live list, destroyed, or kept by a committee beyond ``year``."""
    live = select(DestructionList.id).where(DestructionList.status != ListStatus.REJECTED)
    return exists().where(
        DestructionItem.letter_id == Letter.id,
        or_(
            and_(DestructionItem.status == ItemStatus.LISTED, DestructionItem.list_id.in_(live)),
            DestructionItem.status == ItemStatus.DESTROYED,
            and_(
                DestructionItem.status == ItemStatus.KEPT,
                or_(DestructionItem.kept_until.is_(None), DestructionItem.kept_until > year),
            ),
        ),
    )


def due_letters(office_id: int, year: int) -> list[int]:
    """Ids of the office's letters due for the list of ``year``, in register order."""
    query = (
        select(Letter.id)
        .where(
            Letter.office_id == office_id,
            Letter.year <= year - 1,  # the index's prefix; ``_ended_by`` says the rest
            Letter.status == LetterStatus.REGISTERED,  # not cancelled, not destroyed
            _ended_by(year),
            ~_held(year),
        )
        .order_by(Letter.year, Letter.register, Letter.number)
    )
    return list(db.session.scalars(query))


# --- drafting ------------------------------------------------------------------------------


class Drafted(StrEnum):
    DRAFTED = "drafted"
    EXISTS = "exists"  # the year has its list already: nothing changed
    NOTHING = "nothing"  # no letter is due: no list


@dataclass(frozen=True)
class DraftOutcome:
    outcome: Drafted
    destruction_list: DestructionList | None = None
    count: int = 0


def closed_year(today: date | None = None) -> int:
    """The last calendar year that has ended, in Bangkok."""
    return (today or local_today()).year - 1


def draft_list(
    office_id: int, year: int, actor: User | None = None, today: date | None = None
) -> DraftOutcome:
    """Draft the office's list of ``year`` (after 31 December only); the caller commits.

    Running it again for the same year changes nothing and says so.
    """
    if year > closed_year(today):
        raise RetentionError(
            _l(
                "The year %(year)s has not ended: its destruction list is drafted after 31 December.",
                year=be_year(year),
            )
        )
    existing = list_of_year(office_id, year)
    if existing is not None:
        return DraftOutcome(Drafted.EXISTS, existing, _count(existing, ItemStatus.LISTED))
    letter_ids = due_letters(office_id, year)
    if not letter_ids:
        return DraftOutcome(Drafted.NOTHING)
    now = utcnow()
    drafted = DestructionList(
        office_id=office_id,
        year=year,
        status=ListStatus.DRAFT,
        drafted_at=now,
        drafted_by=actor,
        updated_at=now,
    )
    db.session.add(drafted)
    try:
        with db.session.begin_nested():  # another process drafting the same list at once
            db.session.flush()
    except IntegrityError:
        return DraftOutcome(Drafted.EXISTS, list_of_year(office_id, year))
    # One statement, not one audited row per letter: the list's own row is the drafting's record,
    # and each later change of an item is audited (20,000 items: 3 s instead of 25 s).
    db.session.execute(
        insert(DestructionItem),
        [
            {"list_id": drafted.id, "letter_id": letter_id, "position": position, "status": ItemStatus.LISTED}
            for position, letter_id in enumerate(letter_ids, start=1)
        ],
    )
    return DraftOutcome(Drafted.DRAFTED, drafted, len(letter_ids))


def draft_due_lists(today: date | None = None) -> int:
    """The yearly job: draft last year's list of every office that uses saraban and has none yet,
    and tell its records staff. Returns how many lists were drafted."""
    resume_destruction()
    year = closed_year(today)
    drafted = 0
    for office_id in saraban_offices():
        outcome = draft_list(office_id, year, today=today)
        if outcome.outcome is Drafted.DRAFTED:
            _tell_records_staff(outcome.destruction_list)
            drafted += 1
        db.session.commit()
    return drafted


def saraban_offices() -> list[int]:
    """Offices that have switched saraban on."""
    return list(
        db.session.scalars(
            select(OfficePlugin.office_id)
            .where(OfficePlugin.plugin == "saraban", OfficePlugin.enabled.is_(True))
            .order_by(OfficePlugin.office_id)
        )
    )


def office_by_code(code: str) -> OrgUnit | None:
    return db.session.scalar(select(OrgUnit).where(OrgUnit.code == code, OrgUnit.kind == OrgUnitKind.OFFICE))


def _tell_records_staff(drafted: DestructionList) -> None:
    people = db.session.scalars(
        select(User).where(User.office_id == drafted.office_id, User.active.is_(True)).order_by(User.id)
    )
    for person in people:
        if can(person, MANAGE):
            notify(
                person,
                NotificationKind.UPDATE,
                DRAFTED_MESSAGE,
                {"year": be_year(drafted.year)},
                url=list_url(drafted.id),
                subject=(SUBJECT, drafted.id),
            )


# --- the records staff's changes -----------------------------------------------------------


def take_off(item: DestructionItem, actor: User, reason: str = "") -> None:
    """Take an item off a draft list: the letter stays and is listed again another year."""
    _lock_list(item.destruction_list, ListStatus.DRAFT)
    if item.status != ItemStatus.LISTED:
        raise RetentionError(_l("This letter is no longer on the list."))
    item.status = ItemStatus.REMOVED
    item.reason = reason.strip() or None
    item.decided_by, item.decided_at = actor, utcnow()
    db.session.flush()


def put_back(item: DestructionItem, actor: User) -> None:
    _lock_list(item.destruction_list, ListStatus.DRAFT)
    if item.status != ItemStatus.REMOVED:
        raise RetentionError(_l("Only a letter taken off the list can be put back."))
    item.status, item.reason = ItemStatus.LISTED, None
    item.decided_by, item.decided_at = actor, utcnow()
    db.session.flush()


def send_to_committee(
    destruction_list: DestructionList, actor: User, chair_id: int | None
) -> ApprovalRequest:
    """Send the draft up its chain (or again, after the committee returned it)."""
    _lock_list(destruction_list, ListStatus.DRAFT)
    if not _count(destruction_list, ItemStatus.LISTED):
        raise RetentionError(_l("The list holds no letter: there is nothing to send."))
    committee = committee_members(destruction_list.office_id)
    chair = next((person for person in committee if person.id == chair_id), None)
    if chair is None:
        raise RetentionError(_l("Choose the chair among the members of the destruction committee."))
    destruction_list.chair = chair
    request = open_request_for(SUBJECT, destruction_list.id)
    try:
        if request is None:
            request = submit(SUBJECT, destruction_list.id, str(destruction_list), actor)
        elif request.requester_id == actor.id:
            act(request, ActionKind.RESUBMIT, actor, expected_version=request.version)
        else:
            raise RetentionError(
                _l("%(name)s sent this list: only they can send it again.", name=request.requester.name)
            )
    except ApprovalError as error:
        raise RetentionError(refusal(error)) from None
    _check_committee(request, chair)
    return request


def _check_committee(request: ApprovalRequest, chair: User) -> None:
    """The committee step needs a chair and at least two members, the sender not among them."""
    step = request.current_step
    if step is None or step.vocabulary != VOCABULARY:
        return
    deciders = {candidate.user_id for candidate in step.candidates}
    if len(deciders) < COMMITTEE_SIZE:
        raise RetentionError(
            _l(
                "The destruction committee needs a chair and at least two members besides you "
                "(%(count)d now): ask the administrator to give the committee role to them.",
                count=len(deciders),
            )
        )
    if chair.id not in deciders:
        raise RetentionError(_l("The chair must be a member of the committee other than you."))


def committee_members(office_id: int) -> list[User]:
    """Holders of the committee role over the office (appointed by the head of the office)."""
    office = db.session.get(OrgUnit, office_id)
    return role_holders(COMMITTEE_ROLE, office) if office is not None else []


def on_transition(request: ApprovalRequest, action: ApprovalAction) -> None:
    """The chain moves the list (inside the approval's transaction)."""
    destruction_list = db.session.get(DestructionList, int(request.subject_id))
    if destruction_list is None:
        return
    status = {
        RequestStatus.IN_PROGRESS: ListStatus.WITH_COMMITTEE,
        RequestStatus.RETURNED: ListStatus.DRAFT,
        RequestStatus.WITHDRAWN: ListStatus.DRAFT,
        RequestStatus.APPROVED: ListStatus.APPROVED,
        RequestStatus.REJECTED: ListStatus.REJECTED,
    }[RequestStatus(request.status)]
    if destruction_list.status != status:
        destruction_list.status = status
        destruction_list.updated_at = utcnow()


SUBJECT_SPEC = ApprovalSubject(
    SUBJECT,
    _l("Records destruction list"),
    CHAIN,
    url=lambda list_id: list_url(list_id),
    on_transition=on_transition,
)


# --- the committee -------------------------------------------------------------------------


def may_keep(destruction_list: DestructionList, person: User) -> bool:
    """Whether the person decides the committee's step now (and so may keep items)."""
    if destruction_list.status != ListStatus.WITH_COMMITTEE:
        return False
    request = open_request_for(SUBJECT, destruction_list.id)
    step = request.current_step if request is not None else None
    return step is not None and step.vocabulary == VOCABULARY and capacity(request, person) is not None


def keep(item: DestructionItem, member: User, until: int | None, reason: str) -> None:
    """The committee keeps a letter (ข้อ 67): it leaves the list and is kept until the end of
    ``until``, or for good (None), and the reason is written in the column การพิจารณา."""
    destruction_list = item.destruction_list
    _lock_list(destruction_list, ListStatus.WITH_COMMITTEE)
    if not may_keep(destruction_list, member):
        raise RetentionError(_l("Only a member of the committee who has not decided yet can keep letters."))
    if item.status != ItemStatus.LISTED:
        raise RetentionError(_l("This letter is no longer on the list."))
    if not reason.strip():
        raise RetentionError(_l("Say why the letter is kept."))
    if until is not None and not destruction_list.year < until <= destruction_list.year + KEEP_YEARS:
        raise RetentionError(_l("Choose how long the letter is kept."))
    item.status, item.kept_until, item.reason = ItemStatus.KEPT, until, reason.strip()
    item.decided_by, item.decided_at = member, utcnow()
    if until is None:
        item.letter.retention = Retention.PERMANENT
        item.letter.updated_at = item.decided_at
    db.session.flush()


# --- after the chain: the National Archives, then destruction ------------------------------


def record_archives(destruction_list: DestructionList, actor: User, agreed_on: date, reference: str) -> None:
    """The National Archives (หอจดหมายเหตุแห่งชาติ) agreed to the list: their letter's date and ที่."""
    _lock_list(destruction_list, ListStatus.APPROVED)
    reference = " ".join((reference or "").split())
    if not reference or len(reference) > 200:
        raise RetentionError(_l("Write the number (ที่) of the National Archives' letter."))
    approved = _approved_on(destruction_list)
    if agreed_on > local_today() or (approved is not None and agreed_on < approved):
        raise RetentionError(_l("The date of the agreement falls between the approval and today."))
    destruction_list.status = ListStatus.ARCHIVES_AGREED
    destruction_list.archives_agreed_on = agreed_on
    destruction_list.archives_reference = reference
    destruction_list.archives_recorded_by = actor
    destruction_list.archives_recorded_at = destruction_list.updated_at = utcnow()
    audit(
        ARCHIVES_RECORDED,
        subject=(SUBJECT, destruction_list.id),
        data={"agreed_on": agreed_on.isoformat(), "reference": reference},
    )
    db.session.flush()


def destroy(destruction_list: DestructionList, actor: User) -> None:
    """Order the destruction, only once the chain approved and the National Archives agreed.

    The letters are marked destroyed by a background job (``carry_out``) once this commits: a
    year's list may hold thousands, more than a page can wait for.
    """
    _lock_list(destruction_list, ListStatus.ARCHIVES_AGREED)
    destruction_list.status = ListStatus.DESTROYING
    destruction_list.destroyed_by = actor
    destruction_list.updated_at = utcnow()
    db.session.flush()
    enqueue(DESTROY_JOB, list_id=destruction_list.id)


def carry_out(list_id: int) -> tuple[int, int]:
    """The job: mark the listed letters destroyed and delete their files' bytes, a batch per
    transaction (the bytes go when it commits), then close the list; a run that stopped is
    resumed by the next. The register entries stay, marked destroyed; the files' rows stay with
    their SHA-256. Returns the list's (letters, files) destroyed."""
    while _destroy_batch(list_id):
        db.session.commit()
    destruction_list = db.session.get(DestructionList, list_id, with_for_update=True)
    if destruction_list is None or destruction_list.status != ListStatus.DESTROYING:
        db.session.rollback()
        return 0, 0
    letters, files = _destroyed_counts(list_id)
    destruction_list.status = ListStatus.DESTROYED
    destruction_list.destroyed_at = destruction_list.updated_at = utcnow()
    audit(LETTERS_DESTROYED, subject=(SUBJECT, list_id), data={"letters": letters, "files": files})
    db.session.commit()
    return letters, files


def _destroy_batch(list_id: int) -> bool:
    """Destroy the next batch of listed letters; False when none is left (or the list is not
    being destroyed). The list's row lock keeps two runs from taking the same batch."""
    destruction_list = db.session.get(DestructionList, list_id, with_for_update=True, populate_existing=True)
    if destruction_list is None or destruction_list.status != ListStatus.DESTROYING:
        return False
    items = db.session.scalars(
        select(DestructionItem)
        .where(DestructionItem.list_id == list_id, DestructionItem.status == ItemStatus.LISTED)
        .options(
            selectinload(DestructionItem.letter)
            .selectinload(Letter.attachments)
            .selectinload(Attachment.file)
        )
        .order_by(DestructionItem.position)
        .limit(DESTROY_BATCH)
    ).all()
    if not items:
        return False
    now = utcnow()
    for item in items:
        letter = item.letter
        if letter.status == LetterStatus.REGISTERED:  # a letter cancelled meanwhile is left as it is
            letter.status, letter.updated_at = LetterStatus.DESTROYED, now  # audited, one row a letter
            for attachment in letter.attachments:
                discard_stored(attachment.file)
    # The items follow in one statement: each letter's own change is the record.
    db.session.execute(
        update(DestructionItem)
        .where(DestructionItem.id.in_([item.id for item in items]))
        .values(status=ItemStatus.DESTROYED, decided_by_id=destruction_list.destroyed_by_id, decided_at=now)
    )
    destruction_list.updated_at = now
    return True


def _destroyed_counts(list_id: int) -> tuple[int, int]:
    destroyed = select(DestructionItem.letter_id).where(
        DestructionItem.list_id == list_id, DestructionItem.status == ItemStatus.DESTROYED
    )
    letters = db.session.scalar(
        select(func.count())
        .select_from(Letter)
        .where(Letter.id.in_(destroyed), Letter.status == LetterStatus.DESTROYED)
    )
    files = db.session.scalar(
        select(func.count())
        .select_from(Attachment)
        .join(StoredFile, StoredFile.id == Attachment.file_id)
        .where(Attachment.letter_id.in_(destroyed), StoredFile.discarded_at.is_not(None))
    )
    return letters or 0, files or 0


def resume_destruction(stalled_after: timedelta = STALLED) -> int:
    """Lists whose destruction stopped (the job died): carry on. Returns how many."""
    stalled = db.session.scalars(
        select(DestructionList.id).where(
            DestructionList.status == ListStatus.DESTROYING,
            DestructionList.updated_at < utcnow() - stalled_after,
        )
    ).all()
    for list_id in stalled:
        carry_out(list_id)
    return len(stalled)


def _approved_on(destruction_list: DestructionList) -> date | None:
    closed = db.session.scalar(
        select(ApprovalRequest.closed_at)
        .where(
            ApprovalRequest.subject_key == SUBJECT,
            ApprovalRequest.subject_id == str(destruction_list.id),
            ApprovalRequest.status == RequestStatus.APPROVED,
        )
        .order_by(ApprovalRequest.id.desc())
        .limit(1)
    )
    return to_local(closed).date() if closed else None


def _lock_list(destruction_list: DestructionList, expected: ListStatus) -> None:
    """Re-read the list's status under a row lock: two clerks acting at once cannot both act."""
    db.session.refresh(destruction_list, with_for_update=True)
    if destruction_list.status != expected:
        raise RetentionError(
            _l("The list has moved on (%(status)s): reload the page.", status=destruction_list.status_label)
        )


# --- reading -------------------------------------------------------------------------------


def list_url(list_id: object) -> str:
    return f"/saraban/retention/{list_id}"


def may_see_lists(viewer: User) -> bool:
    return viewer.office_id is not None and (can(viewer, MANAGE) or can(viewer, REVIEW))


def find_list(viewer: User, list_id: int) -> DestructionList | None:
    """The list if the viewer's office owns it and they may read lists; None otherwise."""
    found = db.session.get(DestructionList, list_id)
    return (
        found if found is not None and found.office_id == viewer.office_id and may_see_lists(viewer) else None
    )


def find_item(destruction_list: DestructionList, item_id: int) -> DestructionItem | None:
    item = db.session.get(DestructionItem, item_id)
    return item if item is not None and item.list_id == destruction_list.id else None


def lists_of(office_id: int) -> list[DestructionList]:
    """The office's lists, newest year first (one a year: a short list)."""
    return list(
        db.session.scalars(
            select(DestructionList)
            .where(DestructionList.office_id == office_id)
            .order_by(DestructionList.year.desc())
        )
    )


def list_of_year(office_id: int, year: int) -> DestructionList | None:
    return db.session.scalar(
        select(DestructionList).where(DestructionList.office_id == office_id, DestructionList.year == year)
    )


def counts(destruction_list: DestructionList) -> dict[ItemStatus, int]:
    """How many items of each status (read from the index on list, status, position)."""
    rows = db.session.execute(
        select(DestructionItem.status, func.count())
        .where(DestructionItem.list_id == destruction_list.id)
        .group_by(DestructionItem.status)
    )
    found = {ItemStatus(status): number for status, number in rows}
    return {status: found.get(status, 0) for status in ItemStatus}


def _count(destruction_list: DestructionList, status: ItemStatus) -> int:
    return counts(destruction_list)[status]


def items_page(
    destruction_list: DestructionList, status: ItemStatus, after: int = 0, limit: int = PAGE_SIZE
) -> list[DestructionItem]:
    """Items of one status in list order from ``after`` on (keyset: no offset, no count)."""
    return list(
        db.session.scalars(
            select(DestructionItem)
            .where(
                DestructionItem.list_id == destruction_list.id,
                DestructionItem.status == status,
                DestructionItem.position > after,
            )
            .options(selectinload(DestructionItem.letter), selectinload(DestructionItem.decided_by))
            .order_by(DestructionItem.position)
            .limit(limit)
        )
    )


PRINTED = (ItemStatus.LISTED, ItemStatus.KEPT, ItemStatus.DESTROYED)  # on the form; taken-off ones are not


def part_count(destruction_list: DestructionList, size: int) -> int:
    """How many printed parts of ``size`` positions the list makes (at least one)."""
    last = db.session.scalar(
        select(func.max(DestructionItem.position)).where(DestructionItem.list_id == destruction_list.id)
    )
    return max(1, -(-(last or 0) // size))


def printed_part(
    destruction_list: DestructionList, part: int, size: int
) -> tuple[int, list[DestructionItem]]:
    """One part of the form, the items of positions ``(part - 1) * size + 1`` to ``part * size``
    in list order, with the ลำดับที่ of its first row: the kept ones stay in their place, the
    committee's extension in their การพิจารณา (ข้อ 67)."""
    start = (part - 1) * size
    same = (DestructionItem.list_id == destruction_list.id, DestructionItem.status.in_(PRINTED))
    before = db.session.scalar(
        select(func.count()).select_from(DestructionItem).where(*same, DestructionItem.position <= start)
    )
    items = db.session.scalars(
        select(DestructionItem)
        .where(*same, DestructionItem.position > start, DestructionItem.position <= start + size)
        .options(selectinload(DestructionItem.letter))
        .order_by(DestructionItem.position)
    )
    return (before or 0) + 1, list(items)


def destroyed_under(letter: Letter) -> DestructionList | None:
    """The list under which a destroyed letter was destroyed (for its register entry)."""
    return db.session.scalar(
        select(DestructionList)
        .join(DestructionItem, DestructionItem.list_id == DestructionList.id)
        .where(DestructionItem.letter_id == letter.id, DestructionItem.status == ItemStatus.DESTROYED)
        .limit(1)
    )
