"""Where a letter went after it was registered, and the notes that carried it to superiors.

A ``Routing`` is one hand-off: the central registry (สารบรรณกลาง) sends a letter to a group's
registry (สารบรรณกลุ่ม), the group sends it to a person, a superior's endorsement gives it (มอบ)
to a person or a unit. Its recipient acknowledges it (รับทราบ) and reports what was done
(ดำเนินการแล้ว). A ``Proposal`` is the note (บันทึกเสนอ) that sends a letter up the approval
chain; the superiors' decisions are ``core.approvals`` actions. A ``StampedCopy`` is a letter's
PDF with the receipt stamp drawn on it; the file as received is kept too.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.approvals.models import ApprovalAction, ApprovalRequest
from core.audit import AuditSpec
from core.audit.types import Change
from core.auth.models import User
from core.db import Base
from core.i18n import N_
from core.i18n import lazy_gettext as _l
from core.org.models import OrgUnit
from core.uploads import StoredFile
from plugins.saraban.models import Attachment, Letter


class RoutingKind(StrEnum):
    SEND = "send"  # ส่ง: a registry hands the letter on
    ASSIGN = "assign"  # มอบ: a superior's endorsement gives the matter to someone
    CONSULT = "consult"  # ขอความเห็น: a superior asks someone's opinion before deciding


ROUTING_KIND_LABELS = {
    RoutingKind.SEND: _l("Sent"),
    RoutingKind.ASSIGN: _l("Assigned"),
    RoutingKind.CONSULT: _l("Opinion asked"),
}

# How the register's การปฏิบัติ column and the endorsement trail write each kind (Thai, official).
ROUTING_KIND_THAI = {RoutingKind.SEND: "ส่ง", RoutingKind.ASSIGN: "มอบ", RoutingKind.CONSULT: "ขอความเห็น"}


class Routing(Base):
    """One hand-off of a letter to a unit (its registry) or a person, and what the recipient did."""

    __tablename__ = "saraban_routings"
    __table_args__ = (
        CheckConstraint("(to_unit_id IS NULL) <> (to_user_id IS NULL)", name="one_recipient"),
        Index("ix_saraban_routings_letter", "letter_id", "id"),
        # "Letters to me": what waits for a person, or for a unit whose registry they keep.
        Index("ix_saraban_routings_to_user", "to_user_id", "acknowledged_at"),
        Index("ix_saraban_routings_to_unit", "to_unit_id", "acknowledged_at"),
    )
    __audit__ = AuditSpec(
        "saraban.routing",
        label=lambda routing: routing.kind,
        parent=lambda routing: ("saraban.letter", routing.letter_id),
        # What the instruction and the report say stays out of the trail, like the letter's text.
        redact=frozenset({"instruction", "done_note"}),
        labels={
            "kind": _l("Kind"),
            "to_unit": _l("To unit"),
            "to_user": _l("To"),
            "sent_by": _l("Sent by"),
            "sent_at": _l("Sent"),
            "instruction": _l("Instruction"),
            "acknowledged_at": _l("Acknowledged"),
            "acknowledged_by": _l("Acknowledged by"),
            "done_at": _l("Done"),
            "done_by": _l("Done by"),
            "done_note": _l("What was done"),
        },
        summaries={
            Change.CREATED: N_("Letter routed"),
            Change.UPDATED: N_("Routed letter acknowledged or reported done"),
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    letter_id: Mapped[int] = mapped_column(ForeignKey("saraban_letters.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("saraban_routings.id"))  # the hand-off passed on
    kind: Mapped[str] = mapped_column(String(20), default=RoutingKind.SEND)
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("core_users.id"))
    sent_at: Mapped[datetime] = mapped_column(DateTime)
    to_unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id"))
    to_user_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    instruction: Mapped[str] = mapped_column(Text, default="")
    # The endorsement (มอบ, ขอความเห็น) that made this hand-off, if one did.
    approval_action_id: Mapped[int | None] = mapped_column(ForeignKey("core_approval_actions.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    done_note: Mapped[str | None] = mapped_column(Text)

    letter: Mapped[Letter] = relationship()
    parent: Mapped[Routing | None] = relationship(remote_side=[id])
    sent_by: Mapped[User] = relationship(foreign_keys=[sent_by_id])
    to_unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[to_unit_id])
    to_user: Mapped[User | None] = relationship(foreign_keys=[to_user_id])
    approval_action: Mapped[ApprovalAction | None] = relationship()
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])
    done_by: Mapped[User | None] = relationship(foreign_keys=[done_by_id])

    @property
    def recipient_name(self) -> str:
        return self.to_user.name if self.to_user is not None else self.to_unit.name

    @property
    def kind_label(self) -> object:
        return ROUTING_KIND_LABELS[RoutingKind(self.kind)]

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class Proposal(Base):
    """บันทึกเสนอ: a clerk's or officer's note that sends a letter up to the superiors, in the
    three parts of a staff endorsement (เรื่องเดิม, ข้อเท็จจริง, ข้อเสนอ)."""

    __tablename__ = "saraban_proposals"
    __table_args__ = (Index("ix_saraban_proposals_letter", "letter_id", "id"),)
    __audit__ = AuditSpec(
        "saraban.proposal",
        label=lambda proposal: str(proposal.letter_id),
        parent=lambda proposal: ("saraban.letter", proposal.letter_id),
        redact=frozenset({"background", "facts", "proposal"}),
        labels={
            "proposer": _l("Proposed by"),
            "unit": _l("Group"),
            "background": _l("Background"),
            "facts": _l("Facts"),
            "proposal": _l("Proposal"),
        },
        exclude=frozenset({"updated_at"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    letter_id: Mapped[int] = mapped_column(ForeignKey("saraban_letters.id", ondelete="CASCADE"))
    proposer_id: Mapped[int] = mapped_column(ForeignKey("core_users.id"))
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("core_org_units.id")
    )  # whose group director sees it first
    background: Mapped[str] = mapped_column(Text, default="")  # เรื่องเดิม
    facts: Mapped[str] = mapped_column(Text, default="")  # ข้อเท็จจริง
    proposal: Mapped[str] = mapped_column(Text, default="")  # ข้อเสนอ
    request_id: Mapped[int | None] = mapped_column(ForeignKey("core_approval_requests.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    letter: Mapped[Letter] = relationship()
    proposer: Mapped[User] = relationship()
    unit: Mapped[OrgUnit] = relationship(foreign_keys=[unit_id])
    request: Mapped[ApprovalRequest | None] = relationship()


class StampedCopy(Base):
    """A letter's PDF with the receipt stamp (ตรารับหนังสือ) drawn on its first page; the file as
    received stays the attachment."""

    __tablename__ = "saraban_stamped_copies"
    __table_args__ = (UniqueConstraint("attachment_id"),)
    __audit__ = AuditSpec(
        "saraban.stamped_copy",
        label=lambda copy: str(copy.attachment_id),
        parent=lambda copy: ("saraban.letter", copy.letter_id),
        labels={"attachment": _l("File"), "file": _l("Stamped copy")},
        summaries={Change.CREATED: N_("Receipt stamp drawn on the letter")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("saraban_letters.id", ondelete="CASCADE"), index=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("saraban_attachments.id", ondelete="CASCADE"))
    file_id: Mapped[int] = mapped_column(ForeignKey("core_files.id"))
    stamped_at: Mapped[datetime] = mapped_column(DateTime)
    stamped_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))

    attachment: Mapped[Attachment] = relationship()
    file: Mapped[StoredFile] = relationship()
