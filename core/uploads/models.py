"""Files people upload, kept outside the web root and described by one row each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.audit.types import AuditSpec
from core.db import Base, utcnow
from core.i18n import lazy_gettext as _l


class StoredFile(Base):
    """One stored file. ``key`` is its path under ``<instance>/uploads``; ``purpose`` says which
    plugin's record holds it (``saraban.attachment``, ``helpdesk.photo``)."""

    __tablename__ = "core_files"
    __audit__ = AuditSpec(
        "core.file", label=lambda file: file.name, labels={"discarded_at": _l("Content destroyed")}
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int | None] = mapped_column(
        ForeignKey("core_org_units.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))  # a FileKind
    name: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(120), unique=True)
    purpose: Mapped[str] = mapped_column(String(60))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Set when the bytes were destroyed (``discard_stored``): the row stays as the evidence.
    discarded_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def is_discarded(self) -> bool:
        return self.discarded_at is not None
