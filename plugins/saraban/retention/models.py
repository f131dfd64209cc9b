"""Destruction lists (บัญชีหนังสือขอทำลาย, แบบที่ 25) and their items.

After 31 December the records staff list the letters whose retention ended that year or earlier
(ข้อ 66); the destruction committee reviews the list and marks what it keeps (ข้อ 67); the
National Archives agree (ข้อ 68); only then are the remaining letters destroyed. One list per
office and year; a letter is on one live list at a time.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import AuditSpec
from core.auth.models import User
from core.db import Base
from core.i18n import lazy_gettext as _l
from core.i18n.thaidate import be_year
from core.org.models import OrgUnit
from plugins.saraban.models import Letter


class ListStatus(StrEnum):
    DRAFT = "draft"  # ร่าง: the records staff check it and may take items off
    WITH_COMMITTEE = "with_committee"  # เสนอคณะกรรมการทำลายหนังสือ
    APPROVED = "approved"  # the chain agreed; the list goes to the National Archives
    ARCHIVES_AGREED = "archives_agreed"  # หอจดหมายเหตุแห่งชาติเห็นชอบ: destruction may follow
    DESTROYING = "destroying"  # ordered: a background job marks the letters, a batch at a time
    DESTROYED = "destroyed"  # ทำลายแล้ว
    REJECTED = "rejected"  # the chain refused: nothing is destroyed, the letters stay


LIST_STATUS_LABELS = {
    ListStatus.DRAFT: _l("Draft"),
    ListStatus.WITH_COMMITTEE: _l("With the destruction committee"),
    ListStatus.APPROVED: _l("Approved: waiting for the National Archives"),
    ListStatus.ARCHIVES_AGREED: _l("The National Archives agreed"),
    ListStatus.DESTROYING: _l("Being destroyed"),
    ListStatus.DESTROYED: _l("Destroyed"),
    ListStatus.REJECTED: _l("Not approved"),
}


class ItemStatus(StrEnum):
    LISTED = "listed"  # to be destroyed
    REMOVED = "removed"  # taken off by the records staff before the list went on
    KEPT = "kept"  # the committee keeps it: its retention is extended
    DESTROYED = "destroyed"


ITEM_STATUS_LABELS = {
    ItemStatus.LISTED: _l("Listed"),
    ItemStatus.REMOVED: _l("Taken off the list"),
    ItemStatus.KEPT: _l("Kept by the committee"),
    ItemStatus.DESTROYED: _l("Destroyed"),
}

LIST_LABELS = {
    "year": _l("Year"),
    "status": _l("Status"),
    "drafted_by": _l("Drafted by"),
    "chair": _l("Chair of the committee"),
    "archives_agreed_on": _l("National Archives agreed on"),
    "archives_reference": _l("National Archives letter"),
    "archives_recorded_by": _l("Recorded by"),
    "destroyed_at": _l("Destroyed"),
    "destroyed_by": _l("Destroyed by"),
}

ITEM_LABELS = {
    "letter": _l("Letter"),
    "status": _l("Status"),
    "kept_until": _l("Kept until the end of"),
    "reason": _l("Reason"),
    "decided_by": _l("Decided by"),
}


class DestructionList(Base):
    """บัญชีหนังสือขอทำลาย of one office for one year: the letters whose retention ended by 31
    December of ``year``. Its number is its year (one list per office and year)."""

    __tablename__ = "saraban_destruction_lists"
    __table_args__ = (UniqueConstraint("office_id", "year"),)
    __audit__ = AuditSpec(
        "saraban.destruction_list",
        label=lambda row: f"{be_year(row.year)}",
        labels=LIST_LABELS,
        exclude=frozenset({"updated_at", "drafted_at", "archives_recorded_at"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    year: Mapped[int] = mapped_column(Integer)  # C.E.; shown B.E.
    status: Mapped[str] = mapped_column(String(20), default=ListStatus.DRAFT)
    drafted_at: Mapped[datetime] = mapped_column(DateTime)
    drafted_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))  # None: the yearly job
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    archives_agreed_on: Mapped[date | None] = mapped_column(Date)
    archives_reference: Mapped[str | None] = mapped_column(String(200))  # ที่ of the Archives' letter
    archives_recorded_at: Mapped[datetime | None] = mapped_column(DateTime)
    archives_recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    destroyed_at: Mapped[datetime | None] = mapped_column(DateTime)
    destroyed_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    office: Mapped[OrgUnit] = relationship()
    drafted_by: Mapped[User | None] = relationship(foreign_keys=[drafted_by_id])
    chair: Mapped[User | None] = relationship(foreign_keys=[chair_id])
    archives_recorded_by: Mapped[User | None] = relationship(foreign_keys=[archives_recorded_by_id])
    destroyed_by: Mapped[User | None] = relationship(foreign_keys=[destroyed_by_id])

    @property
    def be_year(self) -> int:
        return be_year(self.year)

    @property
    def status_label(self) -> object:
        return LIST_STATUS_LABELS[ListStatus(self.status)]

    def __str__(self) -> str:
        return f"บัญชีหนังสือขอทำลาย พ.ศ. {self.be_year}"


class DestructionItem(Base):
    """One letter of a list; ``position`` keeps the order it was listed in (register, number)."""

    __tablename__ = "saraban_destruction_items"
    __table_args__ = (
        UniqueConstraint("list_id", "letter_id"),
        Index("ix_saraban_destruction_items_list", "list_id", "status", "position"),
        # Is a letter on a live list, kept, or destroyed? Asked for every letter drafted.
        Index("ix_saraban_destruction_items_letter", "letter_id", "status"),
    )
    __audit__ = AuditSpec(
        "saraban.destruction_item",
        label=lambda item: str(item.letter_id),
        parent=lambda item: ("saraban.destruction_list", item.list_id),
        labels=ITEM_LABELS,
        exclude=frozenset({"decided_at"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("saraban_destruction_lists.id", ondelete="CASCADE"))
    letter_id: Mapped[int] = mapped_column(ForeignKey("saraban_letters.id"))
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=ItemStatus.LISTED)
    kept_until: Mapped[int | None] = mapped_column(Integer)  # C.E. year; None when kept for good
    reason: Mapped[str | None] = mapped_column(Text)  # why it was taken off or kept
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))

    destruction_list: Mapped[DestructionList] = relationship()
    letter: Mapped[Letter] = relationship()
    decided_by: Mapped[User | None] = relationship()

    @property
    def status_label(self) -> object:
        return ITEM_STATUS_LABELS[ItemStatus(self.status)]
