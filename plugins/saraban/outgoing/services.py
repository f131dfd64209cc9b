"""Drafting letters and numbering them only when the chain approves: no request globals here.

An officer writes a memo (บันทึกข้อความ) or an external letter (หนังสือภายนอก) on a form, previews it
as PDF, and sends it up the chain ``saraban.draft`` (the group director, a deputy director, then
the director who signs; an office edits the chain as it likes). Returned, it goes back to the
drafter unnumbered. Only when the last step approves is it registered, in the send register or the
circular "ว" register, by ``register_letter``, which gives it its number and ที่; the signed PDF
(number, date, the signer's electronic signature) is kept as the letter's first file, the
enclosures follow it, and the schools named on the draft receive it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from core.approvals.contributions import (
    APPROVE,
    REJECT,
    ApprovalSubject,
    ChainTemplate,
    Decision,
    DecisionVocabulary,
    StepTemplate,
)
from core.approvals.engine import ApprovalError, act, capacity, submit
from core.approvals.models import ActionKind, ApprovalAction, ApprovalRequest, ApproverRule, DelegationKind
from core.approvals.models import RequestStatus as Status
from core.approvals.rules import role_holders
from core.auth.models import User
from core.auth.permissions import can
from core.db import db, utcnow
from core.i18n import N_
from core.i18n import gettext as _
from core.i18n import lazy_gettext as _l
from core.i18n.thaidate import DateStyle, format_date
from core.notifications import NotificationKind, notify
from core.org.models import OrgUnit, OrgUnitKind
from core.uploads import FileKind, store_bytes
from plugins.saraban.documents import (
    DOCUMENT_LOCALE,
    DraftLetter,
    Signatory,
    official_time,
    render_external_letter,
    render_memo,
)
from plugins.saraban.models import Attachment, Letter, LetterKind, Register, Retention, Secrecy, Urgency
from plugins.saraban.outgoing import sending
from plugins.saraban.outgoing.files import keep_document
from plugins.saraban.outgoing.models import DeliveryChannel, Draft, DraftFile, DraftForm, DraftStatus
from plugins.saraban.services import (
    CIRCULAR_MARK,
    INTERNAL_UNITS,
    MAX_ATTACHMENTS,
    SECRET,
    LetterEntry,
    LetterError,
    document_prefix,
    is_office_staff,
    register_letter,
)

DRAFT = "saraban.letter.draft"  # draft letters and send them up for signature
SUBJECT = "saraban.draft"
SIGN_VOCABULARY = "saraban.sign"
REVIEW_VOCABULARY = "core.endorse"  # เห็นชอบ / เห็นควรอนุมัติ / ไม่เห็นชอบ on the way up
DRAFT_FILE_PURPOSE = "saraban.draft_file"
SIGNED_PURPOSE = "saraban.signed_letter"
PAGE_SIZE = 50
TEXT_LENGTH = 20_000
LINE_LENGTH = 500
DEFAULT_CLOSING = "ขอแสดงความนับถือ"

ISSUED_MESSAGE = N_("Your draft “%(title)s” was signed and registered as %(number)s.")

SIGN = DecisionVocabulary(
    SIGN_VOCABULARY,
    (
        Decision("sign", _l("Sign"), "ลงนาม", APPROVE),
        Decision("refuse", _l("Do not sign"), "ไม่ลงนาม", REJECT),
    ),
)

CHAIN = ChainTemplate(
    SUBJECT,
    "เสนอร่างหนังสือเพื่อลงนาม",
    (
        # The drafter's own superiors, step by step (ตามลำดับขั้น): their group's director first.
        StepTemplate(
            "ผู้อำนวยการกลุ่ม",
            ApproverRule.ROLE_IN_UNIT,
            "group_director",
            vocabulary=REVIEW_VOCABULARY,
            sla_hours=7,
        ),
        StepTemplate(
            "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา",
            ApproverRule.ROLE_IN_OFFICE,
            "deputy_director",
            vocabulary=REVIEW_VOCABULARY,
            sla_hours=7,
        ),
        StepTemplate(
            "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา (ลงนาม)",
            ApproverRule.ROLE_IN_OFFICE,
            "office_director",
            vocabulary=SIGN_VOCABULARY,
            sla_hours=7,
        ),
    ),
)


@dataclass(frozen=True)
class DraftText:
    """What the drafter writes on the form. Multi-line texts hold one paragraph (body), reference
    (อ้างถึง) or enclosure (สิ่งที่ส่งมาด้วย) per line."""

    form: DraftForm
    unit_id: int
    agency: str
    subject: str
    addressee: str
    body: str
    signer_id: int
    signer_position: str
    circular: bool = False
    referred_to: str = ""
    enclosures: str = ""
    closing: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    urgency: Urgency = Urgency.NORMAL
    urgent_by: datetime | None = None  # ด่วนภายใน, UTC
    secrecy: Secrecy = Secrecy.NONE
    retention: Retention = Retention.TEN_YEARS
    recipient_ids: tuple[int, ...] = ()  # schools of the office
    channel: DeliveryChannel = DeliveryChannel.SYSTEM


# --- writing -------------------------------------------------------------------------------


def new_draft(drafter: User, text: DraftText) -> Draft:
    """Start a draft; nothing is numbered. The caller commits."""
    if drafter.office_id is None or not is_office_staff(drafter):
        raise LetterError(_l("Letters are drafted by people of the office."))
    now = utcnow()
    draft = Draft(office_id=drafter.office_id, drafter=drafter, status=DraftStatus.DRAFT, created_at=now)
    _write(draft, text)
    db.session.add(draft)
    db.session.flush()
    return draft


def update_draft(draft: Draft, editor: User, text: DraftText) -> None:
    """Change the text while the draft is with its drafter (new, or returned for changes)."""
    _check_editable(draft, editor)
    _write(draft, text)
    db.session.flush()


def _check_editable(draft: Draft, editor: User) -> None:
    if editor.id != draft.drafter_id:
        raise LetterError(_l("Only the drafter changes a draft."))
    if not draft.is_editable:
        raise LetterError(_l("The draft is with the superiors or already decided: it cannot be changed now."))


def _write(draft: Draft, text: DraftText) -> None:
    """Check everything first, then write: a refused form changes nothing."""
    subject, addressee, body = text.subject.strip(), text.addressee.strip(), text.body.strip()
    if not subject or not addressee or not body:
        raise LetterError(_l("Write the subject, to whom (เรียน) and the text of the letter."))
    if len(body) > TEXT_LENGTH or any(
        len(line) > LINE_LENGTH for line in _lines(text.referred_to + "\n" + text.enclosures)
    ):
        raise LetterError(_l("The text is too long."))
    if text.secrecy is Secrecy.TOP_SECRET:
        raise LetterError(_l("A top secret letter is drafted on paper: the system keeps no text of it."))
    if text.urgent_by is not None and text.urgency is Urgency.NORMAL:
        raise LetterError(_l("A deadline (urgent within) needs an urgency above normal."))
    unit = db.session.get(OrgUnit, text.unit_id)
    if (
        unit is None
        or unit.office_id != draft.office_id
        or unit.kind not in INTERNAL_UNITS
        or not unit.active
    ):
        raise LetterError(_l("Choose a unit of the office."))
    signer = db.session.get(User, text.signer_id)
    if (
        signer is None
        or not signer.active
        or signer.office_id != draft.office_id
        or not is_office_staff(signer)
    ):
        raise LetterError(_l("Choose who signs the letter among the people of the office."))
    schools = sending.checked_schools(draft.office_id, text.recipient_ids)
    if schools and text.channel is DeliveryChannel.SYSTEM and text.secrecy is not Secrecy.NONE:
        raise LetterError(sending.SECRET_BY_SYSTEM)
    draft.form = text.form.value
    draft.circular = text.circular
    draft.unit = unit
    draft.agency = text.agency.strip() or db.session.get(OrgUnit, draft.office_id).name
    draft.subject, draft.addressee, draft.body = subject, addressee, body
    draft.referred_to, draft.enclosures = _tidy(text.referred_to), _tidy(text.enclosures)
    draft.closing = text.closing.strip() or DEFAULT_CLOSING
    draft.address = _tidy(text.address)
    draft.phone, draft.email = text.phone.strip(), text.email.strip()
    draft.signer = signer
    draft.signer_position = text.signer_position.strip() or signer.position or ""
    draft.urgency, draft.urgent_by = text.urgency.value, text.urgent_by
    draft.secrecy, draft.retention = text.secrecy.value, text.retention.value
    draft.recipient_ids = [school.id for school in schools]
    draft.channel = text.channel.value
    draft.updated_at = utcnow()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _tidy(text: str) -> str:
    return "\n".join(_lines(text))


def add_files(draft: Draft, uploads: list[FileStorage], actor: User) -> None:
    """Enclosures (สิ่งที่ส่งมาด้วย) of the draft: PDF, pictures or Office files checked by content."""
    _check_editable(draft, actor)
    if len(draft.files) + len(uploads) >= MAX_ATTACHMENTS:  # the signed letter takes one place
        raise LetterError(_l("A letter holds at most %(count)d files.", count=MAX_ATTACHMENTS))
    now = utcnow()
    for upload in uploads:
        stored = keep_document(upload, office_id=draft.office_id, purpose=DRAFT_FILE_PURPOSE, actor=actor)
        draft.files.append(DraftFile(file=stored, added_at=now, added_by=actor))
    draft.updated_at = now
    db.session.flush()


def remove_file(draft: Draft, draft_file_id: int, actor: User) -> None:
    _check_editable(draft, actor)
    found = next((row for row in draft.files if row.id == draft_file_id), None)
    if found is None:
        raise LetterError(_l("The file is not on this draft."))
    draft.files.remove(found)
    draft.updated_at = utcnow()
    db.session.flush()


# --- sending up and deciding ---------------------------------------------------------------


def submit_draft(draft: Draft, drafter: User, expected_version: int | None = None) -> ApprovalRequest:
    """Send the draft up the chain, or up again after changes; nothing is numbered yet. Refused
    with ``LetterError`` or ``ApprovalError`` before anything changes. The caller commits."""
    _check_editable(draft, drafter)
    if document_prefix(draft.office_id, draft.unit) is None:
        raise LetterError(
            _l("Set the document number prefix of the office first (settings of the registers).")
        )
    if draft.status == DraftStatus.RETURNED and draft.request is not None:
        act(
            draft.request,
            ActionKind.RESUBMIT,
            drafter,
            expected_version=expected_version or draft.request.version,
        )
    else:
        draft.request = submit(SUBJECT, draft.id, _title(draft), drafter)
    draft.status = DraftStatus.PENDING
    draft.updated_at = utcnow()
    return draft.request


def withdraw_draft(draft: Draft, drafter: User, expected_version: int) -> None:
    """The drafter takes the draft back from the chain for good; it stays unnumbered."""
    if drafter.id != draft.drafter_id or draft.request is None:
        raise LetterError(_l("Only the drafter withdraws a draft that was sent up."))
    act(draft.request, ActionKind.WITHDRAW, drafter, expected_version=expected_version)


def _title(draft: Draft) -> str:
    """The request's title in the inbox and its notices: a secret draft's subject stays out."""
    return "ร่างหนังสือลับ" if draft.is_secret else f"ร่างหนังสือ เรื่อง {draft.subject}"


STATUS_AFTER = {
    Status.RETURNED: DraftStatus.RETURNED,
    Status.REJECTED: DraftStatus.REJECTED,
    Status.WITHDRAWN: DraftStatus.WITHDRAWN,
    Status.IN_PROGRESS: DraftStatus.PENDING,
}


def on_transition(request: ApprovalRequest, action: ApprovalAction) -> None:
    """Run by the engine in the action's transaction: the draft follows its request, and the last
    approval numbers it. A draft that cannot be registered refuses the approval (nothing changes)."""
    draft = db.session.get(Draft, int(request.subject_id))
    if draft is None:
        return
    if request.status == Status.APPROVED:
        if draft.status != DraftStatus.ISSUED:
            try:
                issue(draft, action)
            except LetterError as error:
                raise ApprovalError("saraban_not_registered", message=str(error.message)) from None
        return
    draft.status = STATUS_AFTER[Status(request.status)]
    draft.updated_at = utcnow()


def issue(draft: Draft, action: ApprovalAction) -> Letter:
    """Register the approved draft (its number and ที่ are given now), keep the signed PDF and the
    enclosures as the letter's files, and send it to the schools the draft names."""
    letter = register_letter(draft.office_id, _entry(draft, action.request), draft.drafter)
    signed = store_bytes(
        _render(draft_letter(draft, letter, signed_signatory(draft, action)), draft.form),
        f"{letter.document_number.replace('/', '-')}.pdf",
        office_id=draft.office_id,
        kinds=frozenset({FileKind.PDF}),
        purpose=SIGNED_PURPOSE,
        uploaded_by=action.actor,
    )
    now = utcnow()
    for stored in [signed, *(row.file for row in draft.files)]:
        letter.attachments.append(Attachment(file=stored, added_at=now, added_by=action.actor))
    draft.letter, draft.signed_file = letter, signed
    draft.status, draft.updated_at = DraftStatus.ISSUED, now
    db.session.flush()
    schools = sending.active_schools(draft.office_id, draft.recipient_ids)
    if schools:
        sending.send_to_schools(
            letter, draft.drafter, [school.id for school in schools], DeliveryChannel(draft.channel)
        )
    notify(
        draft.drafter,
        NotificationKind.APPROVED,
        ISSUED_MESSAGE,
        {"title": _title(draft), "number": letter.document_number},
        url=f"/saraban/outgoing/drafts/{draft.id}",
        subject=("saraban.draft", draft.id),
    )
    return letter


def _entry(draft: Draft, request: ApprovalRequest) -> LetterEntry:
    """The register's line for the approved draft. A secret letter is read by its drafter (the
    registrar), its signer and everyone who decided on it."""
    readers: tuple[int, ...] = ()
    if draft.is_secret:
        people = (
            {draft.signer_id}
            | {a.actor_id for a in request.actions}
            | {a.on_behalf_of_id for a in request.actions if a.on_behalf_of_id}
        )
        active = db.session.scalars(
            select(User.id).where(
                User.id.in_(people), User.active.is_(True), User.office_id == draft.office_id
            )
        )
        readers = tuple(sorted(set(active) - {draft.drafter_id}))
    return LetterEntry(
        register=Register.CIRCULAR if draft.circular else Register.SEND,
        subject=draft.subject,
        kind=LetterKind.INTERNAL if draft.form == DraftForm.MEMO else LetterKind.EXTERNAL,
        addressee=draft.addressee,
        urgency=Urgency(draft.urgency),
        urgent_by=draft.urgent_by,
        secrecy=Secrecy(draft.secrecy),
        unit_id=draft.unit_id,
        retention=Retention(draft.retention),
        named_ids=readers,
    )


SUBJECT_SPEC = ApprovalSubject(
    SUBJECT,
    _l("Draft letter for signature"),
    SUBJECT,
    url=lambda draft_id: f"/saraban/outgoing/drafts/{draft_id}",
    on_transition=on_transition,
)


# --- the PDF -------------------------------------------------------------------------------


def draft_letter(
    draft: Draft, letter: Letter | None = None, signatory: Signatory | None = None
) -> DraftLetter:
    """The draft as ``documents`` prints it: without number and date until it is registered."""
    if letter is not None:
        number, dated = letter.document_number, letter.dated
    else:
        prefix = document_prefix(draft.office_id, draft.unit) or ""
        number, dated = (f"{prefix}/{CIRCULAR_MARK} " if draft.circular else f"{prefix}/"), None
    return DraftLetter(
        agency=draft.agency,
        number=number,
        dated=dated,
        subject=draft.subject,
        addressee=draft.addressee,
        body=_lines(draft.body),
        signatory=signatory or Signatory(draft.signer.name, draft.signer_position),
        references=_lines(draft.referred_to),
        enclosures=_lines(draft.enclosures),
        closing=draft.closing or DEFAULT_CLOSING,
        address=draft.address,
        unit=draft.unit.name if draft.unit.kind != OrgUnitKind.OFFICE else "",
        phone=draft.phone,
        email=draft.email,
        urgency=Urgency(draft.urgency),
        urgent_by=draft.urgent_by,
        secrecy=Secrecy(draft.secrecy),
        thai_digits=draft.office.thai_digits,
    )


def preview_pdf(draft: Draft) -> bytes:
    """The draft as it will be printed, the number and date left blank."""
    return _render(draft_letter(draft), draft.form)


def _render(letter: DraftLetter, form: str) -> bytes:
    return render_memo(letter) if form == DraftForm.MEMO else render_external_letter(letter)


def signed_signatory(draft: Draft, action: ApprovalAction) -> Signatory:
    """Who signed, as the journal's electronic signature recorded them: the signer named on the
    draft, or whoever decided the last step for them (ปฏิบัติราชการแทน / รักษาราชการแทน), with a
    line saying it was signed electronically and when (Regulation No. 4, 2021: a typed name in a
    system that identifies its users replaces the handwritten signature)."""
    signature = action.signature or {}
    digits = draft.office.thai_digits
    with force_locale(DOCUMENT_LOCALE):
        words = _("Signed electronically")
    day = format_date(action.created_at, DateStyle.SHORT, DOCUMENT_LOCALE, digits=digits)
    line = f"{words} {day} {official_time(action.created_at, digits=digits)}"
    if action.actor_id == draft.signer_id:
        return Signatory(draft.signer.name, draft.signer_position, signed=line)
    acting = DelegationKind(signature["kind"]) if signature.get("kind") else None
    acting_for = ""
    if acting is not None:
        acting_for = (
            draft.signer_position
            if action.on_behalf_of_id == draft.signer_id
            else signature.get("for_position") or ""
        )
    return Signatory(
        signature.get("name") or action.actor.name,
        signature.get("position") or action.actor.position or "",
        acting,
        acting_for,
        signed=line,
    )


# --- who sees what -------------------------------------------------------------------------


def can_view(user: User, draft: Draft) -> bool:
    """The drafter, the signer, everyone the draft went to on its way up (and whoever decides for
    them by delegation), and the head of the office; nobody of another office."""
    if user.office_id != draft.office_id:
        return False
    if user.id in (draft.drafter_id, draft.signer_id) or can(user, SECRET):
        return True
    request = draft.request
    if request is None:
        return False
    if any(user.id in (a.actor_id, a.on_behalf_of_id) for a in request.actions):
        return True
    if any(c.user_id == user.id for step in request.steps for c in step.candidates):
        return True
    return capacity(request, user) is not None


def find_draft(user: User, draft_id: int) -> Draft | None:
    draft = db.session.get(Draft, draft_id)
    return draft if draft is not None and can_view(user, draft) else None


def drafts_of(user: User, before: int | None = None) -> list[Draft]:
    """The person's drafts, newest first, a page at a time (keyset on id)."""
    query = select(Draft).where(Draft.drafter_id == user.id)
    if before is not None:
        query = query.where(Draft.id < before)
    return list(db.session.scalars(query.order_by(Draft.id.desc()).limit(PAGE_SIZE)))


def default_signer(office_id: int) -> User | None:
    """Who signs unless the drafter says otherwise: the director of the office."""
    office = db.session.get(OrgUnit, office_id)
    holders = role_holders("office_director", office) if office is not None else []
    return holders[0] if holders else None
