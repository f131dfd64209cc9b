"""Borrowing equipment: the request goes up the loan chain; the centre hands out and takes back.

The approval itself is core's (``core.approvals``): the chain ``helpdesk.loan`` names its
deciders through ``resolve_approvers`` (the holders of ``helpdesk.loan.approve`` in the
borrower's office, the DLICT group director by default), and its outcome moves the loan on.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from core.approvals.contributions import ApprovalSubject, ChainTemplate, StepTemplate
from core.approvals.engine import submit
from core.approvals.models import ApprovalAction, ApprovalRequest, ApproverRule, RequestStatus
from core.auth.models import User
from core.auth.permissions import can
from core.db import db, utcnow
from core.i18n import N_
from core.i18n import lazy_gettext as _l
from core.i18n.fiscal import fiscal_year
from core.i18n.thaidate import to_local
from core.i18n.thaidate import today as local_today
from core.notifications import NotificationKind, notify
from core.numbering.service import next_number
from plugins.helpdesk.assets.models import AssetStatus
from plugins.helpdesk.assets.services import find_by_number, set_status
from plugins.helpdesk.loans.models import Condition, Loan, LoanStatus

SUBJECT = "helpdesk.loan"
APPROVE = "helpdesk.loan.approve"
LEND = "helpdesk.loan.lend"
REMIND_JOB = "helpdesk.loan_reminders"
LONGEST_LOAN = timedelta(days=180)
OVERDUE_MESSAGE = N_("Loan %(number)s (%(items)s) is past its return date. Please bring it back.")
APPROVED_MESSAGE = N_("Your loan %(number)s (%(items)s) is approved: collect it from the ICT centre.")
REJECTED_MESSAGE = N_("Your loan %(number)s (%(items)s) was not approved.")

CHAIN = ChainTemplate(
    SUBJECT,
    "ขอยืมวัสดุอุปกรณ์",
    (StepTemplate("ผู้อำนวยการกลุ่มส่งเสริมการศึกษาทางไกลฯ พิจารณา", ApproverRule.RESOLVER, sla_hours=7),),
)


class LoanError(ValueError):
    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def request_loan(
    borrower: User,
    items: str,
    purpose: str,
    start_on: date,
    due_on: date,
    asset_number: str | None = None,
) -> Loan:
    """File a loan request and send it up the chain (แบบบันทึกขอยืมวัสดุอุปกรณ์)."""
    if borrower.office_id is None:
        raise LoanError(_l("Only people of an office or its schools can borrow equipment."))
    if due_on < start_on:
        raise LoanError(_l("The return date comes before the loan starts."))
    if due_on - start_on > LONGEST_LOAN:
        raise LoanError(_l("A loan lasts at most %(days)d days.", days=LONGEST_LOAN.days))
    asset = find_by_number(borrower.office_id, asset_number) if asset_number else None
    if asset_number and asset is None:
        raise LoanError(_l("The office has no asset numbered %(number)s.", number=asset_number))
    now = utcnow()
    year = fiscal_year(to_local(now).date())
    loan = Loan(
        office_id=borrower.office_id,
        number=f"{year}-L{next_number(borrower.office_id, SUBJECT, year):04d}",
        borrower=borrower,
        borrower_unit_id=borrower.org_unit_id,
        items=items.strip()[:300],
        asset=asset,
        purpose=purpose.strip(),
        start_on=start_on,
        due_on=due_on,
        status=LoanStatus.REQUESTED,
        created_at=now,
    )
    db.session.add(loan)
    db.session.flush()
    submit(SUBJECT, loan.id, f"{loan.number} {loan.items}", borrower)
    return loan


def on_decision(request: ApprovalRequest, action: ApprovalAction) -> None:
    """The chain's outcome moves the loan (in the approval's own transaction)."""
    loan = db.session.get(Loan, int(request.subject_id))
    if loan is None or loan.status != LoanStatus.REQUESTED:
        return
    outcome = {
        RequestStatus.APPROVED: (LoanStatus.APPROVED, APPROVED_MESSAGE),
        RequestStatus.REJECTED: (LoanStatus.REJECTED, REJECTED_MESSAGE),
        RequestStatus.WITHDRAWN: (LoanStatus.CANCELLED, None),
    }.get(RequestStatus(request.status))
    if outcome is None:
        return
    loan.status, message = outcome
    if message:
        notify(loan.borrower, NotificationKind.UPDATE, message, _params(loan), url=_url(loan),
               subject=(SUBJECT, loan.id))  # fmt: skip


def approvers(request: ApprovalRequest) -> list[User] | None:
    """The deciders of a loan: whoever holds ``helpdesk.loan.approve`` in the borrower's office."""
    if request.subject_key != SUBJECT:
        return None
    people = db.session.scalars(
        select(User).where(User.office_id == request.office_id, User.active.is_(True))
    )
    return [person for person in people if can(person, APPROVE)]


def hand_out(loan: Loan, actor: User) -> None:
    if loan.status != LoanStatus.APPROVED:
        raise LoanError(_l("Only an approved loan can be handed out."))
    loan.status = LoanStatus.HANDED_OUT
    loan.handed_out_at = utcnow()
    loan.handed_out_by = actor
    if loan.asset is not None:
        set_status(loan.asset, AssetStatus.ON_LOAN)
    db.session.flush()


def take_back(loan: Loan, actor: User, condition: Condition, note: str | None = None) -> None:
    """The equipment comes back; its condition is recorded and the asset follows it."""
    if loan.status != LoanStatus.HANDED_OUT:
        raise LoanError(_l("Only equipment on loan can be returned."))
    if condition != Condition.GOOD and not (note or "").strip():
        raise LoanError(_l("Say what is wrong with it."))
    loan.status = LoanStatus.RETURNED
    loan.returned_at = utcnow()
    loan.received_by = actor
    loan.condition = condition
    loan.return_note = (note or "").strip() or None
    if loan.asset is not None:
        set_status(loan.asset, AssetStatus.IN_USE if condition == Condition.GOOD else AssetStatus.IN_REPAIR)
    db.session.flush()


def remind_overdue(today: date | None = None) -> int:
    """Once a day, remind each borrower whose loan is past due; returns how many were reminded."""
    today = today or local_today()
    overdue = db.session.scalars(
        select(Loan).where(Loan.status == LoanStatus.HANDED_OUT, Loan.due_on < today).order_by(Loan.id)
    )
    reminded = 0
    for loan in overdue:
        if loan.reminded_on == today:
            continue
        notify(
            loan.borrower,
            NotificationKind.OVERDUE,
            OVERDUE_MESSAGE,
            _params(loan),
            url=_url(loan),
            subject=(SUBJECT, loan.id),
        )
        loan.reminded_on = today
        reminded += 1
    db.session.commit()
    return reminded


def loans_of(user: User, limit: int = 20) -> list[Loan]:
    query = select(Loan).where(Loan.borrower_id == user.id).order_by(Loan.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def open_loans(office_id: int, limit: int = 100) -> list[Loan]:
    """Approved and lent equipment of the office, soonest due first."""
    query = (
        select(Loan)
        .where(Loan.office_id == office_id, Loan.status.in_([LoanStatus.APPROVED, LoanStatus.HANDED_OUT]))
        .order_by(Loan.due_on, Loan.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def can_view(user: User, loan: Loan) -> bool:
    return loan.borrower_id == user.id or (can(user, LEND) and user.office_id in (None, loan.office_id))


SUBJECT_SPEC = ApprovalSubject(
    SUBJECT,
    _l("Equipment loan"),
    SUBJECT,
    url=lambda loan_id: f"/helpdesk/loans/{loan_id}",
    on_transition=on_decision,
)


def _params(loan: Loan) -> dict[str, str]:
    return {"number": loan.number, "items": loan.items}


def _url(loan: Loan) -> str:
    return f"/helpdesk/loans/{loan.id}"
