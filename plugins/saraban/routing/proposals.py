"""Proposing a letter to the superiors and their endorsements (เกษียนหนังสือ), through core.approvals.

A clerk or an officer writes the note (บันทึกเสนอ) and sends the letter up the chain
``saraban.proposal``: the group director of the group that holds the matter, a deputy director,
then the director of the office. Each decides in the office's words (ทราบ, ดำเนินการ, เห็นชอบ,
อนุมัติ, ไม่อนุมัติ, มอบ …), signed with their password; คืนเรื่อง is the engine's return and
ขอความเห็น a comment that hands the letter to the person asked. มอบ hands the letter on to the
person or unit named, as routing does. Only ``core.approvals`` changes the request; this module
keeps the note, writes the letter's การปฏิบัติ and draws the endorsements for print.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from core.approvals.contributions import (
    APPROVE,
    REJECT,
    ApprovalSubject,
    ChainTemplate,
    Decision,
    DecisionVocabulary,
    StepTemplate,
)
from core.approvals.engine import act, capacity, submit, vocabulary_of
from core.approvals.models import (
    ActionKind,
    ApprovalAction,
    ApprovalRequest,
    ApproverRule,
    DelegationKind,
    RequestStatus,
)
from core.approvals.notices import deciders
from core.approvals.rules import role_holders
from core.auth.models import User
from core.auth.permissions import can
from core.db import db, utcnow
from core.i18n import lazy_gettext as _l
from core.i18n.thaidate import to_local
from core.org.models import OrgUnit, OrgUnitKind
from core.uploads import read_stored
from plugins.saraban.documents import Signatory
from plugins.saraban.models import Letter
from plugins.saraban.routing.models import ROUTING_KIND_THAI, Proposal, Routing, RoutingKind
from plugins.saraban.routing.services import (
    Recipient,
    check_route,
    grant_reading,
    is_live,
    letter_pdf,
    log_step,
    route,
    short_name,
    stamp,
    thai_day,
)
from plugins.saraban.services import LetterError, can_read
from plugins.saraban.stamps import Endorsement, PdfRefused
from plugins.saraban.stamps import endorse as draw_endorsements

SUBJECT = "saraban.proposal"
PROPOSE = "saraban.letter.propose"
VOCABULARY = "saraban.endorse"
NOTE_LENGTH = 5000

# The choices of the endorsement form besides the vocabulary's decisions.
ASSIGN = "assign"  # มอบ: a decision that also hands the letter on
RETURN = "return"  # คืนเรื่อง: back to the proposer to revise
CONSULT = "consult"  # ขอความเห็น: the step stays with the superior; the letter goes to the person asked

DECISIONS = DecisionVocabulary(
    VOCABULARY,
    (
        Decision("acknowledge", _l("Noted"), "ทราบ", APPROVE),
        Decision("proceed", _l("Proceed"), "ดำเนินการ", APPROVE),
        Decision("agree", _l("Agree"), "เห็นชอบ", APPROVE),
        Decision("approve", _l("Approve"), "อนุมัติ", APPROVE),
        Decision(ASSIGN, _l("Assign to"), ROUTING_KIND_THAI[RoutingKind.ASSIGN], APPROVE),
        Decision("reject", _l("Do not approve"), "ไม่อนุมัติ", REJECT),
    ),
)

CHAIN = ChainTemplate(
    SUBJECT,
    "เสนอหนังสือ (เกษียนหนังสือ)",
    (
        # The director of the group that holds the matter (``resolve_approvers``), not the
        # proposer's own: the central registry proposes for every group.
        StepTemplate("ผู้อำนวยการกลุ่ม", ApproverRule.RESOLVER, vocabulary=VOCABULARY, sla_hours=7),
        StepTemplate(
            "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
            ApproverRule.ROLE_IN_OFFICE,
            "deputy_director",
            vocabulary=VOCABULARY,
            sla_hours=7,
        ),
        StepTemplate(
            "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
            ApproverRule.ROLE_IN_OFFICE,
            "office_director",
            vocabulary=VOCABULARY,
            sla_hours=7,
        ),
    ),
)

# What the endorsement form asks the engine to hand the letter to, read by ``on_transition``.
_assignee: ContextVar[Recipient | None] = ContextVar("saraban_assignee", default=None)


@dataclass(frozen=True)
class Note:
    """บันทึกเสนอ: the three parts of a staff endorsement."""

    background: str  # เรื่องเดิม
    facts: str  # ข้อเท็จจริง
    proposal: str  # ข้อเสนอ

    def checked(self) -> Note:
        note = Note(self.background.strip(), self.facts.strip(), self.proposal.strip())
        if not note.facts or not note.proposal:
            raise LetterError(_l("Write the facts and what you propose."))
        if max(len(note.background), len(note.facts), len(note.proposal)) > NOTE_LENGTH:
            raise LetterError(
                _l("Each part of the note holds at most %(count)d characters.", count=NOTE_LENGTH)
            )
        return note


@dataclass(frozen=True)
class Choice:
    """What a superior writes: a decision of the step's vocabulary, ``return`` or ``consult``,
    a comment, and for มอบ / ขอความเห็น the unit or person."""

    decision: str
    comment: str = ""
    to: Recipient | None = None


# --- proposing -----------------------------------------------------------------------------


def proposals_of(letter: Letter) -> list[Proposal]:
    return list(
        db.session.scalars(select(Proposal).where(Proposal.letter_id == letter.id).order_by(Proposal.id))
    )


def open_proposal(letter: Letter) -> Proposal | None:
    """The letter's proposal still with the superiors or returned to its proposer."""
    return next(
        (p for p in reversed(proposals_of(letter)) if p.request is not None and _is_pending(p.request)), None
    )


def _is_pending(request: ApprovalRequest) -> bool:
    return request.status in (RequestStatus.IN_PROGRESS, RequestStatus.RETURNED)


def may_propose(user: User, letter: Letter) -> bool:
    return can(user, PROPOSE) and is_live(letter) and can_read(user, letter) and open_proposal(letter) is None


def office_groups(office_id: int) -> list[OrgUnit]:
    return list(
        db.session.scalars(
            select(OrgUnit)
            .where(
                OrgUnit.office_id == office_id, OrgUnit.kind == OrgUnitKind.GROUP, OrgUnit.active.is_(True)
            )
            .order_by(OrgUnit.name)
        )
    )


def matter_group(letter: Letter, proposer: User) -> OrgUnit | None:
    """The group that holds the matter, to propose to its director: the letter's unit's, else the
    group it was last sent to, else the proposer's."""
    sent_to = db.session.scalars(
        select(Routing)
        .where(Routing.letter_id == letter.id, Routing.to_unit_id.is_not(None))
        .order_by(Routing.id.desc())
    ).first()
    for unit in (letter.unit, sent_to.to_unit if sent_to else None, proposer.org_unit):
        group = _group_of(unit)
        if group is not None:
            return group
    return None


def _group_of(unit: OrgUnit | None) -> OrgUnit | None:
    while unit is not None and unit.kind != OrgUnitKind.GROUP:
        unit = unit.parent if unit.kind == OrgUnitKind.WORK_UNIT else None
    return unit


def propose(letter: Letter, proposer: User, group_id: int, note: Note) -> Proposal:
    """Send the letter up the chain with the note; refused with a message before anything changes
    (``core.approvals.engine.ApprovalError`` when the chain cannot start). The caller commits."""
    if not may_propose(proposer, letter):
        raise LetterError(_l("You cannot propose this letter now."))
    note = note.checked()
    group = db.session.get(OrgUnit, group_id)
    if group is None or group.office_id != letter.office_id or group.kind != OrgUnitKind.GROUP:
        raise LetterError(_l("Choose a group of the office."))
    now = utcnow()
    proposal = Proposal(
        office_id=letter.office_id,
        letter=letter,
        proposer=proposer,
        unit=group,
        background=note.background,
        facts=note.facts,
        proposal=note.proposal,
        created_at=now,
        updated_at=now,
    )
    db.session.add(proposal)
    db.session.flush()
    proposal.request = submit(SUBJECT, proposal.id, _title(letter), proposer)
    return proposal


def revise(proposal: Proposal, proposer: User, note: Note, expected_version: int) -> ApprovalAction:
    """The proposer rewrites a returned note and sends it up again, from the first step."""
    if proposal.proposer_id != proposer.id:
        raise LetterError(_l("Only the proposer revises the note."))
    note = note.checked()
    proposal.background, proposal.facts, proposal.proposal = note.background, note.facts, note.proposal
    proposal.updated_at = utcnow()
    return act(proposal.request, ActionKind.RESUBMIT, proposer, expected_version=expected_version)


def _title(letter: Letter) -> str:
    """The request's title in the inbox and its notices: a secret letter's subject stays out."""
    where = f"{letter.number}/{letter.be_year}"
    return f"เสนอหนังสือลับ ที่ {where}" if letter.is_secret else f"เสนอหนังสือ {where} {letter.subject}"


# --- endorsing -----------------------------------------------------------------------------


def may_endorse(user: User, proposal: Proposal) -> bool:
    request = proposal.request
    return request is not None and capacity(request, user) is not None and user.id != request.requester_id


def choices(proposal: Proposal) -> list[Decision]:
    """The decisions the pending step offers (an office may give a step other wording)."""
    step = proposal.request.current_step if proposal.request else None
    return list(vocabulary_of(step).decisions) if step is not None else []


def endorse(
    proposal: Proposal, actor: User, choice: Choice, *, expected_version: int, signed: bool
) -> ApprovalAction:
    """Apply a superior's endorsement through the engine, which checks that they decide the step
    (or act for the one who does) and signs decisions. Nothing changes when it is refused
    (``LetterError`` or ``ApprovalError``); the caller commits."""
    request = proposal.request
    letter = proposal.letter
    comment = choice.comment.strip()
    if choice.decision == RETURN:
        return act(request, ActionKind.RETURN, actor, expected_version=expected_version, comment=comment)
    if choice.decision == CONSULT:
        if choice.to is None or choice.to.user is None:
            raise LetterError(_l("Choose the person whose opinion you ask."))
        check_route(letter, actor, choice.to, comment, RoutingKind.CONSULT)
        asked = f"{ROUTING_KIND_THAI[RoutingKind.CONSULT]} {choice.to.name}" + (
            f": {comment}" if comment else ""
        )
        action = act(request, ActionKind.COMMENT, actor, expected_version=expected_version, comment=asked)
        route(letter, actor, choice.to, comment, kind=RoutingKind.CONSULT, action=action)
        return action
    decision = next((d for d in choices(proposal) if d.key == choice.decision), None)
    if decision is None:
        raise LetterError(_l("Choose one of the decisions offered."))
    if decision.key == ASSIGN:
        if choice.to is None:
            raise LetterError(_l("Choose the unit or the person you assign the letter to."))
        check_route(letter, actor, choice.to, comment, RoutingKind.ASSIGN)
    kind = ActionKind.APPROVE if decision.outcome == APPROVE else ActionKind.REJECT
    with _assigning(choice.to if decision.key == ASSIGN else None):
        return act(
            request,
            kind,
            actor,
            expected_version=expected_version,
            decision=decision.key,
            comment=comment,
            signed=signed,
        )


@contextmanager
def _assigning(to: Recipient | None) -> Iterator[None]:
    token = _assignee.set(to)
    try:
        yield
    finally:
        _assignee.reset(token)


def on_transition(request: ApprovalRequest, action: ApprovalAction) -> None:
    """Run by the engine in the action's transaction: the next superiors may read the letter (a
    secret one too), มอบ hands it on, and the register's การปฏิบัติ follows the proposal."""
    proposal = db.session.get(Proposal, int(request.subject_id))
    if proposal is None:
        return
    letter = proposal.letter
    step = request.current_step
    if step is not None and request.is_open:
        for person in deciders(request, step):
            grant_reading(letter, person, action.actor)
    when = thai_day(action.created_at)
    if action.kind in (ActionKind.SUBMIT, ActionKind.RESUBMIT):
        log_step(letter, f"เสนอ {when}")
    assignee = _assignee.get()
    if action.decision == ASSIGN and assignee is not None:
        route(letter, action.actor, assignee, action.comment or "", kind=RoutingKind.ASSIGN, action=action)
    elif action.kind in (ActionKind.APPROVE, ActionKind.REJECT) and not request.is_open:
        log_step(letter, f"{action.endorsement} {when}")
    elif action.kind == ActionKind.RETURN:
        log_step(letter, f"คืนเรื่อง {when}")


def group_directors(request: ApprovalRequest) -> list[User] | None:
    """The deciders of the first step: the group director of the group the proposal names."""
    if request.subject_key != SUBJECT:
        return None
    proposal = db.session.get(Proposal, int(request.subject_id))
    return role_holders("group_director", proposal.unit) if proposal is not None else []


SUBJECT_SPEC = ApprovalSubject(
    SUBJECT,
    _l("Letter proposed to the superiors"),
    SUBJECT,
    url=lambda proposal_id: _url(int(proposal_id)),
    on_transition=on_transition,
)


def _url(proposal_id: int) -> str:
    proposal = db.session.get(Proposal, proposal_id)
    return f"/saraban/letters/{proposal.letter_id}#proposal-{proposal_id}" if proposal else "/saraban/"


# --- the endorsement trail -----------------------------------------------------------------


@dataclass(frozen=True)
class TrailEntry:
    """One endorsement as written on the letter: the decision (or the note's salutation), the
    comment, who signed in which capacity, the date; whether it was signed with a password."""

    decision: str
    signer: Signatory
    dated: date
    comment: str = ""
    signed: bool = False
    returned: bool = False


def trail(proposal: Proposal, *, signed_only: bool = False) -> list[TrailEntry]:
    """The note, then each superior's endorsement, in Thai as they would write it on the letter:
    the decision (with whom มอบ names), the comment, the name, position and capacity, the date.
    ``signed_only``: the note and the signed decisions of the latest round, as printed."""
    request = proposal.request
    note = TrailEntry(
        f"เรียน ผอ.{proposal.letter.office.name}",
        Signatory(proposal.proposer.name, proposal.proposer.position or ""),
        to_local(proposal.updated_at).date(),
        proposal.proposal,
    )
    entries = [note]
    if request is None:
        return entries
    handed = _handed_on(request)
    for action in request.actions:
        if signed_only and (action.signature is None or action.round != request.round):
            continue
        entry = _entry(action, handed.get(action.id))
        if entry is not None:
            entries.append(entry)
    return entries


def _handed_on(request: ApprovalRequest) -> dict[int, Routing]:
    ids = [action.id for action in request.actions]
    routings = db.session.scalars(select(Routing).where(Routing.approval_action_id.in_(ids))) if ids else []
    return {routing.approval_action_id: routing for routing in routings}


def _entry(action: ApprovalAction, routing: Routing | None) -> TrailEntry | None:
    dated = to_local(action.created_at).date()
    if action.signature is not None:
        signature = action.signature
        decision = action.endorsement or ""
        if routing is not None:
            decision = f"{decision} {short_name(routing.recipient_name)}"
        acting = DelegationKind(signature["kind"]) if signature.get("kind") else None
        signer = Signatory(
            signature.get("name", ""),
            signature.get("position") or "",
            acting,
            signature.get("for_position") or "",
        )
        return TrailEntry(decision, signer, dated, action.comment or "", signed=True)
    signer = Signatory(action.actor.name, action.actor.position or "")
    if action.kind == ActionKind.RETURN:
        return TrailEntry("คืนเรื่อง", signer, dated, action.comment or "", returned=True)
    if action.kind == ActionKind.COMMENT and action.step_id is not None:
        return TrailEntry(action.comment or "", signer, dated)
    return None


def endorsed_pdf(proposal: Proposal) -> bytes:
    """The letter's PDF (with its receipt stamp when it was received) with the note and the signed
    endorsements drawn on it, or on a page added when they do not fit."""
    letter = proposal.letter
    copy = stamp(letter)
    if copy is not None:
        data = read_stored(copy.file)
    else:
        attachment = letter_pdf(letter)
        if attachment is None:
            raise LetterError(_l("The letter has no PDF to draw the endorsements on."))
        data = read_stored(attachment.file)
    entries = [
        Endorsement(entry.decision, entry.signer, entry.dated, entry.comment)
        for entry in trail(proposal, signed_only=True)
    ]
    about = f"ที่ {letter.number}/{letter.be_year} เรื่อง {letter.subject}"
    try:
        return draw_endorsements(data, entries, thai_digits=letter.office.thai_digits, about=about)
    except PdfRefused as refused:
        raise LetterError(str(refused)) from None
