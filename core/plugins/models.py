"""Per-office switches for plugins and the record of which permissions were already seeded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import AuditSpec
from core.db import Base, utcnow
from core.i18n import lazy_gettext as _l
from core.org.models import OrgUnit


class OfficePlugin(Base):
    """Whether a plugin is switched on for one office (off until an administrator turns it on)."""

    __tablename__ = "core_office_plugins"
    __audit__ = AuditSpec(
        "core.office_plugin",
        label=lambda switch: switch.plugin,
        parent=lambda switch: ("core.org_unit", switch.office_id),
        exclude=frozenset({"changed_at"}),
        labels={"plugin": _l("Plugin"), "enabled": _l("Switched on"), "office": _l("Office")},
    )

    office_id: Mapped[int] = mapped_column(
        ForeignKey("core_org_units.id", ondelete="CASCADE"), primary_key=True
    )
    plugin: Mapped[str] = mapped_column(String(80), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    office: Mapped[OrgUnit] = relationship()


class KnownPermission(Base):
    """A permission name seen at least once; its default role grants were applied then."""

    __tablename__ = "core_known_permissions"

    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
