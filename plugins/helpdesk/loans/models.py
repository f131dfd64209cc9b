"""A loan of equipment from the ICT service centre."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import AuditSpec
from core.auth.models import User
from core.db import Base
from core.i18n import lazy_gettext as _l
from core.org.models import OrgUnit
from plugins.helpdesk.assets.models import Asset


class LoanStatus(StrEnum):
    REQUESTED = "requested"  # ขออนุมัติ
    APPROVED = "approved"  # อนุมัติแล้ว รอรับของ
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    HANDED_OUT = "handed_out"  # ยืมอยู่
    RETURNED = "returned"


LOAN_STATUS_LABELS = {
    LoanStatus.REQUESTED: _l("Waiting for approval"),
    LoanStatus.APPROVED: _l("Approved: ready to collect"),
    LoanStatus.REJECTED: _l("Not approved"),
    LoanStatus.CANCELLED: _l("Cancelled"),
    LoanStatus.HANDED_OUT: _l("On loan"),
    LoanStatus.RETURNED: _l("Returned"),
}


class Condition(StrEnum):
    GOOD = "good"
    DAMAGED = "damaged"
    LOST = "lost"


CONDITION_LABELS = {
    Condition.GOOD: _l("In good order"),
    Condition.DAMAGED: _l("Damaged"),
    Condition.LOST: _l("Lost"),
}


class Loan(Base):
    """Equipment lent to a person of the office or a school, due back on a date."""

    __tablename__ = "helpdesk_loans"
    __table_args__ = (
        UniqueConstraint("office_id", "number"),
        Index("ix_helpdesk_loans_status", "office_id", "status", "due_on"),
        Index("ix_helpdesk_loans_borrower", "borrower_id", "id"),
    )
    __audit__ = AuditSpec(
        "helpdesk.loan",
        label=lambda loan: loan.number,
        labels={
            "number": _l("Loan number"),
            "borrower": _l("Borrower"),
            "items": _l("Items"),
            "asset": _l("Asset"),
            "purpose": _l("Purpose"),
            "start_on": _l("From"),
            "due_on": _l("Due back"),
            "status": _l("Status"),
            "handed_out_at": _l("Handed out"),
            "returned_at": _l("Returned"),
            "condition": _l("Condition on return"),
            "return_note": _l("Note on return"),
        },
        exclude=frozenset({"reminded_on"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    number: Mapped[str] = mapped_column(String(20))
    borrower_id: Mapped[int] = mapped_column(ForeignKey("core_users.id"))
    borrower_unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id"))
    items: Mapped[str] = mapped_column(String(300))
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("helpdesk_assets.id"), index=True)
    purpose: Mapped[str] = mapped_column(Text, default="")
    start_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=LoanStatus.REQUESTED)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    handed_out_at: Mapped[datetime | None] = mapped_column(DateTime)
    handed_out_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    returned_at: Mapped[datetime | None] = mapped_column(DateTime)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    condition: Mapped[str | None] = mapped_column(String(20))
    return_note: Mapped[str | None] = mapped_column(Text)
    reminded_on: Mapped[date | None] = mapped_column(Date)

    office: Mapped[OrgUnit] = relationship(foreign_keys=[office_id])
    borrower: Mapped[User] = relationship(foreign_keys=[borrower_id])
    borrower_unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[borrower_unit_id])
    asset: Mapped[Asset | None] = relationship()
    handed_out_by: Mapped[User | None] = relationship(foreign_keys=[handed_out_by_id])
    received_by: Mapped[User | None] = relationship(foreign_keys=[received_by_id])

    @property
    def status_label(self) -> object:
        return LOAN_STATUS_LABELS[LoanStatus(self.status)]

    def __str__(self) -> str:
        return f"{self.number} {self.items}"
