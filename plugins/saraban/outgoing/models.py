"""Letters drafted in Khet (ร่างหนังสือ), their deliveries to schools, and saved school groups.

A ``Draft`` is an internal memo (บันทึกข้อความ) or an external letter (หนังสือภายนอก) written on a
form and sent up the chain ``saraban.draft``; it has no number until the chain approves it, when
it is registered in the send register (or the circular "ว" register) and becomes a ``Letter``.
A ``LetterDelivery`` is one school a registered letter went to, by which channel, and who at the school
acknowledged it (รับทราบ). A ``SchoolGroup`` is a saved list of the office's schools
(กลุ่มโรงเรียน) to send to at once.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.approvals.models import ApprovalRequest
from core.audit import AuditSpec
from core.audit.types import Change
from core.auth.models import User
from core.db import Base
from core.i18n import N_
from core.i18n import lazy_gettext as _l
from core.org.models import OrgUnit
from core.uploads import StoredFile
from plugins.saraban.models import SECRECY_LABELS, URGENCY_LABELS, Letter, Retention, Secrecy, Urgency


class DraftForm(StrEnum):
    """Which of the regulation's forms the draft is written on."""

    MEMO = "memo"  # บันทึกข้อความ (หนังสือภายใน, แบบที่ ๒)
    EXTERNAL = "external"  # หนังสือภายนอก (แบบที่ ๑)


DRAFT_FORM_LABELS = {
    DraftForm.MEMO: _l("Internal memo"),
    DraftForm.EXTERNAL: _l("External letter"),
}


class DraftStatus(StrEnum):
    DRAFT = "draft"  # ร่าง: with its drafter, never sent up
    PENDING = "pending"  # เสนอแล้ว: with the superiors
    RETURNED = "returned"  # ส่งกลับแก้ไข: back with the drafter, still without a number
    ISSUED = "issued"  # ออกเลขแล้ว: approved, registered and numbered
    REJECTED = "rejected"  # ไม่อนุมัติ: never numbered
    WITHDRAWN = "withdrawn"  # ถอนเรื่อง: never numbered


DRAFT_STATUS_LABELS = {
    DraftStatus.DRAFT: _l("Draft"),
    DraftStatus.PENDING: _l("With the superiors"),
    DraftStatus.RETURNED: _l("Returned for changes"),
    DraftStatus.ISSUED: _l("Approved and numbered"),
    DraftStatus.REJECTED: _l("Not approved"),
    DraftStatus.WITHDRAWN: _l("Withdrawn"),
}

# The drafter changes the text only while no superior is looking at it.
EDITABLE = (DraftStatus.DRAFT, DraftStatus.RETURNED)


class DeliveryChannel(StrEnum):
    """How the letter reached the school (ช่องทางการส่ง)."""

    SYSTEM = "system"  # ระบบสารบรรณอิเล็กทรอนิกส์: the school's inbox in Khet
    EMAIL = "email"  # ไปรษณีย์อิเล็กทรอนิกส์
    POST = "post"  # ไปรษณีย์
    HAND = "hand"  # ส่งด้วยมือ / รับเอง


CHANNEL_LABELS = {
    DeliveryChannel.SYSTEM: _l("In the system (the school's inbox)"),
    DeliveryChannel.EMAIL: _l("By e-mail"),
    DeliveryChannel.POST: _l("By post"),
    DeliveryChannel.HAND: _l("By hand"),
}

DRAFT_LABELS = {
    "drafter": _l("Drafted by"),
    "unit": _l("Unit that owns the matter"),
    "form": _l("Form"),
    "circular": _l("Circular letter"),
    "agency": _l("Agency"),
    "subject": _l("Subject"),
    "addressee": _l("To (เรียน)"),
    "referred_to": _l("Reference (อ้างถึง)"),
    "enclosures": _l("Enclosures (สิ่งที่ส่งมาด้วย)"),
    "body": _l("Text of the letter"),
    "closing": _l("Closing"),
    "address": _l("Address of the agency"),
    "phone": _l("Phone"),
    "email": _l("E-mail"),
    "signer": _l("Signed by"),
    "signer_position": _l("Position of the signer"),
    "urgency": _l("Urgency"),
    "urgent_by": _l("Urgent: needed by"),
    "secrecy": _l("Secrecy"),
    "retention": _l("Retention"),
    "recipient_ids": _l("Schools to send to"),
    "channel": _l("Channel"),
    "status": _l("Status"),
    "request": _l("Approval request"),
    "letter": _l("Registered letter"),
    "signed_file": _l("Signed letter (PDF)"),
}


class Draft(Base):
    """ร่างหนังสือ: what the drafter writes on the form, and where it stands on the way to a number."""

    __tablename__ = "saraban_drafts"
    __table_args__ = (
        Index("ix_saraban_drafts_drafter", "drafter_id", "id"),
        Index("ix_saraban_drafts_letter", "letter_id"),
    )
    __audit__ = AuditSpec(
        "saraban.draft",
        label=lambda draft: str(draft.id),
        labels=DRAFT_LABELS,
        # What a draft says stays out of the trail, as a letter's does: a secret draft's text is secret.
        redact=frozenset(
            {"subject", "addressee", "referred_to", "enclosures", "body", "closing", "address", "agency"}
        ),
        exclude=frozenset({"updated_at"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    drafter_id: Mapped[int] = mapped_column(ForeignKey("core_users.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))  # ส่วนราชการเจ้าของเรื่อง
    form: Mapped[str] = mapped_column(String(20), default=DraftForm.MEMO)
    circular: Mapped[bool] = mapped_column(Boolean, default=False)  # numbered in the "ว" series
    agency: Mapped[str] = mapped_column(String(300))  # ส่วนราชการ: the office, as printed
    subject: Mapped[str] = mapped_column(String(500))  # เรื่อง
    addressee: Mapped[str] = mapped_column(String(300))  # เรียน
    referred_to: Mapped[str] = mapped_column(Text, default="")  # อ้างถึง, one per line
    enclosures: Mapped[str] = mapped_column(Text, default="")  # สิ่งที่ส่งมาด้วย, one per line
    body: Mapped[str] = mapped_column(Text)  # one paragraph per line
    closing: Mapped[str] = mapped_column(String(100), default="ขอแสดงความนับถือ")  # external letter
    address: Mapped[str] = mapped_column(Text, default="")  # under the agency's name (external letter)
    phone: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    signer_id: Mapped[int] = mapped_column(ForeignKey("core_users.id"))
    signer_position: Mapped[str] = mapped_column(String(300))  # as printed under the name
    urgency: Mapped[str] = mapped_column(String(20), default=Urgency.NORMAL)
    urgent_by: Mapped[datetime | None] = mapped_column(DateTime)  # ด่วนภายใน, UTC
    secrecy: Mapped[str] = mapped_column(String(20), default=Secrecy.NONE)
    retention: Mapped[str] = mapped_column(String(20), default=Retention.TEN_YEARS)
    # The schools it goes to once numbered (ids of the office's schools) and by which channel.
    recipient_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    channel: Mapped[str] = mapped_column(String(20), default=DeliveryChannel.SYSTEM)
    status: Mapped[str] = mapped_column(String(20), default=DraftStatus.DRAFT)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("core_approval_requests.id"))
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("saraban_letters.id"))
    signed_file_id: Mapped[int | None] = mapped_column(ForeignKey("core_files.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    office: Mapped[OrgUnit] = relationship(foreign_keys=[office_id])
    drafter: Mapped[User] = relationship(foreign_keys=[drafter_id])
    unit: Mapped[OrgUnit] = relationship(foreign_keys=[unit_id])
    signer: Mapped[User] = relationship(foreign_keys=[signer_id])
    request: Mapped[ApprovalRequest | None] = relationship()
    letter: Mapped[Letter | None] = relationship()
    signed_file: Mapped[StoredFile | None] = relationship()
    files: Mapped[list[DraftFile]] = relationship(
        back_populates="draft", cascade="all, delete-orphan", order_by="DraftFile.id"
    )

    @property
    def form_label(self) -> object:
        return DRAFT_FORM_LABELS[DraftForm(self.form)]

    @property
    def status_label(self) -> object:
        return DRAFT_STATUS_LABELS[DraftStatus(self.status)]

    @property
    def channel_label(self) -> object:
        return CHANNEL_LABELS[DeliveryChannel(self.channel)]

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def is_secret(self) -> bool:
        return self.secrecy != Secrecy.NONE

    @property
    def is_urgent(self) -> bool:
        return self.urgency != Urgency.NORMAL

    @property
    def urgency_label(self) -> object:
        return URGENCY_LABELS[Urgency(self.urgency)]

    @property
    def secrecy_label(self) -> object:
        return SECRECY_LABELS[Secrecy(self.secrecy)]

    def __str__(self) -> str:
        return self.subject


class DraftFile(Base):
    """An enclosure of a draft (สิ่งที่ส่งมาด้วย), kept by ``core.uploads``; it becomes a file of
    the letter when the draft is numbered."""

    __tablename__ = "saraban_draft_files"
    __table_args__ = (Index("ix_saraban_draft_files_draft", "draft_id", "id"),)
    __audit__ = AuditSpec(
        "saraban.draft_file",
        label=lambda row: str(row.file_id),
        parent=lambda row: ("saraban.draft", row.draft_id),
        labels={"file": _l("File"), "added_by": _l("Added by")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("saraban_drafts.id", ondelete="CASCADE"))
    file_id: Mapped[int] = mapped_column(ForeignKey("core_files.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))

    draft: Mapped[Draft] = relationship(back_populates="files")
    file: Mapped[StoredFile] = relationship()


class LetterDelivery(Base):
    """One school a registered letter was sent to: the channel, who sent it and when, and who at
    the school acknowledged it. A system delivery is in the school's inbox."""

    __tablename__ = "saraban_deliveries"
    __table_args__ = (
        UniqueConstraint("letter_id", "school_id"),
        # A school's inbox: its system deliveries, newest first, paged by id.
        Index("ix_saraban_deliveries_school", "school_id", "channel", "id"),
    )
    __audit__ = AuditSpec(
        "saraban.delivery",
        label=lambda delivery: str(delivery.school_id),
        parent=lambda delivery: ("saraban.letter", delivery.letter_id),
        labels={
            "school": _l("School"),
            "channel": _l("Channel"),
            "note": _l("Note on sending"),
            "sent_by": _l("Sent by"),
            "sent_at": _l("Sent"),
            "acknowledged_by": _l("Acknowledged by"),
            "acknowledged_at": _l("Acknowledged"),
        },
        summaries={
            Change.CREATED: N_("Letter sent to a school"),
            Change.UPDATED: N_("Letter acknowledged by the school"),
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    letter_id: Mapped[int] = mapped_column(ForeignKey("saraban_letters.id", ondelete="CASCADE"))
    school_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    channel: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(300), default="")  # e.g. the registered-mail number
    sent_at: Mapped[datetime] = mapped_column(DateTime)
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("core_users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))

    letter: Mapped[Letter] = relationship()
    school: Mapped[OrgUnit] = relationship(foreign_keys=[school_id])
    sent_by: Mapped[User] = relationship(foreign_keys=[sent_by_id])
    acknowledged_by: Mapped[User | None] = relationship(foreign_keys=[acknowledged_by_id])

    @property
    def channel_label(self) -> object:
        return CHANNEL_LABELS[DeliveryChannel(self.channel)]

    @property
    def in_system(self) -> bool:
        return self.channel == DeliveryChannel.SYSTEM

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None


class SchoolGroup(Base):
    """กลุ่มโรงเรียน: schools of the office the clerk sends to together (a cluster, a district)."""

    __tablename__ = "saraban_school_groups"
    __table_args__ = (UniqueConstraint("office_id", "name"),)
    __audit__ = AuditSpec(
        "saraban.school_group",
        label=lambda group: group.name,
        labels={"name": _l("Name")},
        exclude=frozenset({"updated_at"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    name: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    members: Mapped[list[SchoolGroupMember]] = relationship(
        back_populates="group", cascade="all, delete-orphan", order_by="SchoolGroupMember.id"
    )

    @property
    def school_ids(self) -> list[int]:
        return [member.school_id for member in self.members]

    def __str__(self) -> str:
        return self.name


class SchoolGroupMember(Base):
    __tablename__ = "saraban_school_group_members"
    __table_args__ = (UniqueConstraint("group_id", "school_id"),)
    __audit__ = AuditSpec(
        "saraban.school_group_member",
        label=lambda member: str(member.school_id),
        parent=lambda member: ("saraban.school_group", member.group_id),
        labels={"school": _l("School")},
        summaries={
            Change.CREATED: N_("School added to the group"),
            Change.DELETED: N_("School taken out of the group"),
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("saraban_school_groups.id", ondelete="CASCADE"))
    school_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))

    group: Mapped[SchoolGroup] = relationship(back_populates="members")
    school: Mapped[OrgUnit] = relationship()
