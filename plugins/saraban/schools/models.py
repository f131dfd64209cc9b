"""Letters a school sends to its office (หนังสือจากโรงเรียน), waiting for the central registry.

The school writes its own ที่ (``ศธ 04123.045/12``), the subject and attaches the letter; the
office's central registry registers it on arrival in the receive register, which gives it the
office's receipt number. The school never numbers anything in the office's registers.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import AuditSpec
from core.audit.types import Change
from core.auth.models import User
from core.db import Base
from core.i18n import N_
from core.i18n import lazy_gettext as _l
from core.org.models import OrgUnit
from core.uploads import StoredFile
from plugins.saraban.models import URGENCY_LABELS, Letter, Urgency


class SchoolLetterStatus(StrEnum):
    WAITING = "waiting"  # รอลงรับ: in the central registry's queue
    REGISTERED = "registered"  # ลงรับแล้ว: a letter of the receive register
    RETURNED = "returned"  # ส่งคืน: the registry sent it back with a reason, unregistered


SCHOOL_LETTER_STATUS_LABELS = {
    SchoolLetterStatus.WAITING: _l("Waiting to be registered"),
    SchoolLetterStatus.REGISTERED: _l("Registered by the office"),
    SchoolLetterStatus.RETURNED: _l("Returned to the school"),
}


class SchoolLetter(Base):
    """A letter from a school to its office, as the school sent it."""

    __tablename__ = "saraban_school_letters"
    __table_args__ = (
        # The central registry's queue, oldest first; and a school's letters, newest first.
        Index("ix_saraban_school_letters_queue", "office_id", "status", "id"),
        Index("ix_saraban_school_letters_school", "school_id", "id"),
    )
    __audit__ = AuditSpec(
        "saraban.school_letter",
        label=lambda row: str(row.id),
        labels={
            "school": _l("School"),
            "sent_by": _l("Sent by"),
            "document_number": _l("Document number"),
            "dated": _l("Dated"),
            "subject": _l("Subject"),
            "addressee": _l("Addressee"),
            "urgency": _l("Urgency"),
            "note": _l("Note"),
            "status": _l("Status"),
            "letter": _l("Registered letter"),
            "handled_by": _l("Handled by"),
            "handled_at": _l("Handled"),
            "return_reason": _l("Why it was returned"),
        },
        redact=frozenset({"document_number", "subject", "addressee", "note"}),
        summaries={
            Change.CREATED: N_("Letter sent by a school to the office"),
            Change.UPDATED: N_("Letter from a school registered or returned"),
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    school_id: Mapped[int] = mapped_column(ForeignKey("core_org_units.id"))
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("core_users.id"))
    sent_at: Mapped[datetime] = mapped_column(DateTime)
    document_number: Mapped[str] = mapped_column(String(100))  # ที่ of the school
    dated: Mapped[date | None] = mapped_column(Date)  # ลงวันที่
    subject: Mapped[str] = mapped_column(String(500))
    addressee: Mapped[str] = mapped_column(String(300))  # เรียน
    urgency: Mapped[str] = mapped_column(String(20), default=Urgency.NORMAL)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=SchoolLetterStatus.WAITING)
    letter_id: Mapped[int | None] = mapped_column(ForeignKey("saraban_letters.id"))
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    handled_at: Mapped[datetime | None] = mapped_column(DateTime)
    return_reason: Mapped[str | None] = mapped_column(Text)

    school: Mapped[OrgUnit] = relationship(foreign_keys=[school_id])
    sent_by: Mapped[User] = relationship(foreign_keys=[sent_by_id])
    letter: Mapped[Letter | None] = relationship()
    handled_by: Mapped[User | None] = relationship(foreign_keys=[handled_by_id])
    files: Mapped[list[SchoolLetterFile]] = relationship(
        back_populates="school_letter", cascade="all, delete-orphan", order_by="SchoolLetterFile.id"
    )

    @property
    def status_label(self) -> object:
        return SCHOOL_LETTER_STATUS_LABELS[SchoolLetterStatus(self.status)]

    @property
    def urgency_label(self) -> object:
        return URGENCY_LABELS[Urgency(self.urgency)]

    @property
    def is_urgent(self) -> bool:
        return self.urgency != Urgency.NORMAL

    @property
    def is_waiting(self) -> bool:
        return self.status == SchoolLetterStatus.WAITING


class SchoolLetterFile(Base):
    """A file of a school's letter, kept by ``core.uploads``; a file of the registered letter too."""

    __tablename__ = "saraban_school_letter_files"
    __table_args__ = (Index("ix_saraban_school_letter_files_letter", "school_letter_id", "id"),)
    __audit__ = AuditSpec(
        "saraban.school_letter_file",
        label=lambda row: str(row.file_id),
        parent=lambda row: ("saraban.school_letter", row.school_letter_id),
        labels={"file": _l("File")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_letter_id: Mapped[int] = mapped_column(ForeignKey("saraban_school_letters.id", ondelete="CASCADE"))
    file_id: Mapped[int] = mapped_column(ForeignKey("core_files.id"))

    school_letter: Mapped[SchoolLetter] = relationship(back_populates="files")
    file: Mapped[StoredFile] = relationship()
