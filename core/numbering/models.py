"""The last number issued in each series of each office and year."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base


class NumberSeries(Base):
    """One running series, e.g. ``helpdesk.ticket`` of office 3 in fiscal year 2570."""

    __tablename__ = "core_number_series"

    office_id: Mapped[int] = mapped_column(
        ForeignKey("core_org_units.id", ondelete="CASCADE"), primary_key=True
    )
    series: Mapped[str] = mapped_column(String(60), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
