"""Public holidays (วันหยุดราชการ): national ones, and days an office adds for itself."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import AuditSpec
from core.db import Base
from core.i18n import lazy_gettext as _l
from core.org.models import OrgUnit


class Holiday(Base):
    """A day without office hours; ``office_id`` is None for a national holiday."""

    __tablename__ = "core_holidays"
    __audit__ = AuditSpec(
        "core.holiday",
        label=lambda holiday: holiday.name,
        labels={"day": _l("Date"), "name": _l("Holiday"), "office": _l("Applies to")},
    )
    __table_args__ = (UniqueConstraint("office_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date, index=True)
    name: Mapped[str] = mapped_column(String(200))

    office: Mapped[OrgUnit | None] = relationship()

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}"
