"""Official letters (หนังสือราชการ) and their registers, after the Correspondence Regulation B.E. 2526.

One ``Letter`` row is one line of a register (ทะเบียนหนังสือรับ / ส่ง, the circular "ว" series,
orders, announcements). Its register number comes from ``core.numbering``: one series per
office, register and calendar year, never reused; a mistaken entry is cancelled, never deleted.
Who may read a secret letter is listed in ``LetterAccess``, which routing fills later.
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
from core.uploads import StoredFile


class Register(StrEnum):
    """The registers (ทะเบียน) an office keeps, each numbered from 1 every calendar year."""

    RECEIVE = "receive"  # ทะเบียนหนังสือรับ
    SEND = "send"  # ทะเบียนหนังสือส่ง
    CIRCULAR = "circular"  # หนังสือเวียน: its own "ว" series, never the send counter
    ORDER = "order"  # คำสั่ง: ที่ n/พ.ศ.
    ANNOUNCEMENT = "announcement"  # ประกาศ

    @property
    def series(self) -> str:
        """The name of its number series in ``core.numbering``."""
        return f"saraban.{self.value}"

    @property
    def outgoing(self) -> bool:
        return self is not Register.RECEIVE


REGISTER_LABELS = {
    Register.RECEIVE: _l("Received letters"),
    Register.SEND: _l("Sent letters"),
    Register.CIRCULAR: _l("Circular letters"),
    Register.ORDER: _l("Orders"),
    Register.ANNOUNCEMENT: _l("Announcements"),
}


class LetterKind(StrEnum):
    """The six kinds of official letter (ชนิดของหนังสือราชการ, ข้อ 10)."""

    EXTERNAL = "external"  # หนังสือภายนอก
    INTERNAL = "internal"  # หนังสือภายใน (บันทึกข้อความ)
    STAMPED = "stamped"  # หนังสือประทับตรา
    DIRECTIVE = "directive"  # หนังสือสั่งการ
    PUBLICITY = "publicity"  # หนังสือประชาสัมพันธ์
    EVIDENCE = "evidence"  # หนังสือที่เจ้าหน้าที่ทำขึ้นหรือรับไว้เป็นหลักฐานในราชการ


class LetterSubtype(StrEnum):
    ORDER = "order"  # คำสั่ง
    REGULATION = "regulation"  # ระเบียบ
    BYLAW = "bylaw"  # ข้อบังคับ
    ANNOUNCEMENT = "announcement"  # ประกาศ
    STATEMENT = "statement"  # แถลงการณ์
    NEWS = "news"  # ข่าว
    CERTIFICATE = "certificate"  # หนังสือรับรอง
    MINUTES = "minutes"  # รายงานการประชุม
    MEMO = "memo"  # บันทึก
    OTHER = "other"  # หนังสืออื่น


# The kinds that come in sub-types, and theirs; a letter of such a kind names one.
SUBTYPES: dict[LetterKind, tuple[LetterSubtype, ...]] = {
    LetterKind.DIRECTIVE: (LetterSubtype.ORDER, LetterSubtype.REGULATION, LetterSubtype.BYLAW),
    LetterKind.PUBLICITY: (LetterSubtype.ANNOUNCEMENT, LetterSubtype.STATEMENT, LetterSubtype.NEWS),
    LetterKind.EVIDENCE: (
        LetterSubtype.CERTIFICATE,
        LetterSubtype.MINUTES,
        LetterSubtype.MEMO,
        LetterSubtype.OTHER,
    ),
}

KIND_LABELS = {
    LetterKind.EXTERNAL: _l("External letter"),
    LetterKind.INTERNAL: _l("Internal memo"),
    LetterKind.STAMPED: _l("Stamped letter"),
    LetterKind.DIRECTIVE: _l("Directive"),
    LetterKind.PUBLICITY: _l("Public relations letter"),
    LetterKind.EVIDENCE: _l("Letter kept as evidence"),
}

SUBTYPE_LABELS = {
    LetterSubtype.ORDER: _l("Order"),
    LetterSubtype.REGULATION: _l("Regulation"),
    LetterSubtype.BYLAW: _l("By-law"),
    LetterSubtype.ANNOUNCEMENT: _l("Announcement"),
    LetterSubtype.STATEMENT: _l("Statement"),
    LetterSubtype.NEWS: _l("News"),
    LetterSubtype.CERTIFICATE: _l("Certificate"),
    LetterSubtype.MINUTES: _l("Minutes of a meeting"),
    LetterSubtype.MEMO: _l("Official record"),
    LetterSubtype.OTHER: _l("Other document"),
}

# Orders and announcements have registers of their own, so their kind is fixed.
REGISTER_KINDS: dict[Register, tuple[LetterKind, LetterSubtype]] = {
    Register.ORDER: (LetterKind.DIRECTIVE, LetterSubtype.ORDER),
    Register.ANNOUNCEMENT: (LetterKind.PUBLICITY, LetterSubtype.ANNOUNCEMENT),
}


class Urgency(StrEnum):
    """ชั้นความเร็ว; anything above normal is printed and shown in red."""

    NORMAL = "normal"  # ปกติ
    URGENT = "urgent"  # ด่วน
    VERY_URGENT = "very_urgent"  # ด่วนมาก
    MOST_URGENT = "most_urgent"  # ด่วนที่สุด


URGENCY_LABELS = {
    Urgency.NORMAL: _l("Normal"),
    Urgency.URGENT: _l("Urgent"),
    Urgency.VERY_URGENT: _l("Very urgent"),
    Urgency.MOST_URGENT: _l("Most urgent"),
}


class Secrecy(StrEnum):
    """ชั้นความลับ, from the Regulation on Official Secrets B.E. 2544."""

    NONE = "none"  # ไม่ลับ
    CONFIDENTIAL = "confidential"  # ลับ
    SECRET = "secret"  # ลับมาก
    TOP_SECRET = "top_secret"  # ลับที่สุด: a register entry only, never a stored file


SECRECY_LABELS = {
    Secrecy.NONE: _l("Not secret"),
    Secrecy.CONFIDENTIAL: _l("Confidential"),
    Secrecy.SECRET: _l("Secret"),
    Secrecy.TOP_SECRET: _l("Top secret"),
}


class Retention(StrEnum):
    """How long the letter is kept (ข้อ 57): 10 years unless it is permanent or routine."""

    PERMANENT = "permanent"
    TEN_YEARS = "ten_years"
    ONE_YEAR = "one_year"


RETENTION_LABELS = {
    Retention.PERMANENT: _l("Kept permanently"),
    Retention.TEN_YEARS: _l("Kept 10 years"),
    Retention.ONE_YEAR: _l("Kept 1 year (routine)"),
}


class LetterStatus(StrEnum):
    REGISTERED = "registered"  # ลงทะเบียนแล้ว
    CANCELLED = "cancelled"  # ยกเลิก: the number stays used, the entry stays visible
    DESTROYED = "destroyed"  # ทำลายแล้ว under a destruction list; the entry stays visible


STATUS_LABELS = {
    LetterStatus.REGISTERED: _l("Registered"),
    LetterStatus.CANCELLED: _l("Cancelled"),
    LetterStatus.DESTROYED: _l("Destroyed"),
}

LETTER_LABELS = {
    "register": _l("Register"),
    "year": _l("Year"),
    "number": _l("Register number"),
    "registered_at": _l("Registered"),
    "registered_by": _l("Registered by"),
    "document_number": _l("Document number"),
    "dated": _l("Dated"),
    "sender": _l("Sender"),
    "addressee": _l("Addressee"),
    "subject": _l("Subject"),
    "action": _l("Action taken"),
    "remarks": _l("Remarks"),
    "kind": _l("Kind of letter"),
    "subtype": _l("Sub-type"),
    "urgency": _l("Urgency"),
    "urgent_by": _l("Urgent: needed by"),
    "secrecy": _l("Secrecy"),
    "unit": _l("Unit"),
    "retention": _l("Retention"),
    "status": _l("Status"),
    "cancelled_at": _l("Cancelled"),
    "cancelled_by": _l("Cancelled by"),
    "cancel_reason": _l("Reason for cancelling"),
}


class Letter(Base):
    """One entry of a register: a letter received, sent, circulated, ordered or announced."""

    __tablename__ = "saraban_letters"
    __table_args__ = (
        # The register page reads a year's register newest first, and pages by number.
        UniqueConstraint("office_id", "register", "year", "number"),
        # The page's filters each have an index that ends with the number, so a filtered
        # page is read in order and stops after one page, however large the register grows.
        Index("ix_saraban_letters_urgency", "office_id", "register", "year", "urgency", "number"),
        Index("ix_saraban_letters_secrecy", "office_id", "register", "year", "secrecy", "number"),
        Index("ix_saraban_letters_unit", "office_id", "register", "year", "unit_id", "number"),
        # A date range becomes a range of numbers (numbers are issued in time order).
        Index("ix_saraban_letters_registered", "office_id", "register", "year", "registered_at"),
    )
    __audit__ = AuditSpec(
        "saraban.letter",
        label=lambda letter: letter.label,
        labels=LETTER_LABELS,
        # What a letter says stays out of the trail: the trail's readers are not the letter's,
        # and a secret letter's subject is itself secret. Who did what to which number stays in.
        redact=frozenset({"document_number", "sender", "addressee", "subject", "action", "remarks"}),
        exclude=frozenset({"updated_at"}),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    register: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)  # the calendar year (C.E.) of the register; shown B.E.
    number: Mapped[int] = mapped_column(Integer)  # เลขทะเบียนรับ / ส่ง
    registered_at: Mapped[datetime] = mapped_column(DateTime)  # วันที่ and เวลา of the stamp, UTC
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    document_number: Mapped[str] = mapped_column(String(100), default="")  # ที่
    dated: Mapped[date | None] = mapped_column(Date)  # ลงวันที่
    sender: Mapped[str] = mapped_column(String(300), default="")  # จาก
    addressee: Mapped[str] = mapped_column(String(300), default="")  # ถึง
    subject: Mapped[str] = mapped_column(String(500))  # เรื่อง
    action: Mapped[str] = mapped_column(Text, default="")  # การปฏิบัติ
    remarks: Mapped[str] = mapped_column(Text, default="")  # หมายเหตุ
    kind: Mapped[str] = mapped_column(String(20), default=LetterKind.EXTERNAL)
    subtype: Mapped[str | None] = mapped_column(String(20))
    urgency: Mapped[str] = mapped_column(String(20), default=Urgency.NORMAL)
    urgent_by: Mapped[datetime | None] = mapped_column(DateTime)  # ด่วนภายใน, UTC
    secrecy: Mapped[str] = mapped_column(String(20), default=Secrecy.NONE)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id"))
    retention: Mapped[str] = mapped_column(String(20), default=Retention.TEN_YEARS)
    status: Mapped[str] = mapped_column(String(20), default=LetterStatus.REGISTERED)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)

    office: Mapped[OrgUnit] = relationship(foreign_keys=[office_id])
    unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[unit_id])
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])
    cancelled_by: Mapped[User | None] = relationship(foreign_keys=[cancelled_by_id])
    access: Mapped[list[LetterAccess]] = relationship(
        back_populates="letter", cascade="all, delete-orphan", order_by="LetterAccess.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="letter", cascade="all, delete-orphan", order_by="Attachment.id"
    )

    @property
    def label(self) -> str:
        """``receive 15/2569``: register, number and B.E. year, for the audit trail and links."""
        return f"{self.register} {self.number}/{be_year(self.year)}"

    @property
    def be_year(self) -> int:
        return be_year(self.year)

    @property
    def register_label(self) -> object:
        return REGISTER_LABELS[Register(self.register)]

    @property
    def kind_label(self) -> str:
        kind = str(KIND_LABELS[LetterKind(self.kind)])
        return f"{kind}: {SUBTYPE_LABELS[LetterSubtype(self.subtype)]}" if self.subtype else kind

    @property
    def urgency_label(self) -> object:
        return URGENCY_LABELS[Urgency(self.urgency)]

    @property
    def secrecy_label(self) -> object:
        return SECRECY_LABELS[Secrecy(self.secrecy)]

    @property
    def retention_label(self) -> object:
        return RETENTION_LABELS[Retention(self.retention)]

    @property
    def status_label(self) -> object:
        return STATUS_LABELS[LetterStatus(self.status)]

    @property
    def is_urgent(self) -> bool:
        return self.urgency != Urgency.NORMAL

    @property
    def is_secret(self) -> bool:
        return self.secrecy != Secrecy.NONE

    @property
    def is_cancelled(self) -> bool:
        return self.status == LetterStatus.CANCELLED

    @property
    def may_hold_files(self) -> bool:
        """ลับที่สุด stays off the electronic system (Regulation No. 4, 2021): a register entry only."""
        return self.secrecy != Secrecy.TOP_SECRET

    def __str__(self) -> str:
        return f"{self.number}/{self.be_year} {self.subject}"


class AccessReason(StrEnum):
    REGISTRAR = "registrar"  # the clerk who registered it
    NAMED = "named"  # named on the letter when it was registered
    ROUTED = "routed"  # the letter was routed to them (filled by routing)


ACCESS_REASON_LABELS = {
    AccessReason.REGISTRAR: _l("Registered it"),
    AccessReason.NAMED: _l("Named on the letter"),
    AccessReason.ROUTED: _l("The letter was routed to them"),
}


class LetterAccess(Base):
    """A person who may read a letter: for a secret letter, the only people besides the head
    of the office (``saraban.letter.secret``). Routing adds a row for each person it reaches."""

    __tablename__ = "saraban_letter_access"
    __table_args__ = (
        UniqueConstraint("letter_id", "user_id"),
        Index("ix_saraban_letter_access_user", "user_id", "letter_id"),
    )
    __audit__ = AuditSpec(
        "saraban.letter_access",
        label=lambda access: access.reason,
        parent=lambda access: ("saraban.letter", access.letter_id),
        labels={"user": _l("Person"), "reason": _l("Why"), "granted_by": _l("Given by")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("saraban_letters.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("core_users.id"))
    reason: Mapped[str] = mapped_column(String(20))
    granted_at: Mapped[datetime] = mapped_column(DateTime)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))

    letter: Mapped[Letter] = relationship(back_populates="access")
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])

    @property
    def reason_label(self) -> object:
        return ACCESS_REASON_LABELS[AccessReason(self.reason)]


class Attachment(Base):
    """A file of a letter (the scanned letter, its enclosures), kept by ``core.uploads``."""

    __tablename__ = "saraban_attachments"
    __table_args__ = (Index("ix_saraban_attachments_letter", "letter_id", "id"),)
    __audit__ = AuditSpec(
        "saraban.attachment",
        label=lambda attachment: str(attachment.file_id),
        parent=lambda attachment: ("saraban.letter", attachment.letter_id),
        labels={"file": _l("File"), "added_by": _l("Added by")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    letter_id: Mapped[int] = mapped_column(ForeignKey("saraban_letters.id", ondelete="CASCADE"))
    file_id: Mapped[int] = mapped_column(ForeignKey("core_files.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))

    letter: Mapped[Letter] = relationship(back_populates="attachments")
    file: Mapped[StoredFile] = relationship()
    added_by: Mapped[User | None] = relationship()


class UnitPrefix(Base):
    """The owner's code printed before the number in ที่ (``ศธ 04123``), set for the office
    and, where a unit writes under its own code, for that unit."""

    __tablename__ = "saraban_unit_prefixes"
    __table_args__ = (UniqueConstraint("unit_id"),)
    __audit__ = AuditSpec(
        "saraban.unit_prefix",
        label=lambda row: row.prefix,
        labels={"unit": _l("Unit"), "prefix": _l("Document number prefix")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    prefix: Mapped[str] = mapped_column(String(40))

    unit: Mapped[OrgUnit] = relationship(foreign_keys=[unit_id])


class RegisterStart(Base):
    """The first number of a register in a year, for an office moving from a paper book."""

    __tablename__ = "saraban_register_starts"
    __table_args__ = (UniqueConstraint("office_id", "register", "year"),)
    __audit__ = AuditSpec(
        "saraban.register_start",
        label=lambda row: f"{row.register} {be_year(row.year)}",
        labels={"register": _l("Register"), "year": _l("Year"), "start": _l("First number")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    register: Mapped[str] = mapped_column(String(20))
    year: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
