"""The org-unit tree: offices, their groups and work units, and the schools they serve."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import ForeignKey, String, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from core.audit import AuditSpec
from core.db import Base
from core.i18n import lazy_gettext as _l


class OrgUnitKind(StrEnum):
    OFFICE = "office"  # สำนักงานเขตพื้นที่การศึกษา
    GROUP = "group"  # กลุ่ม
    WORK_UNIT = "work_unit"  # งาน / กลุ่มงาน
    SCHOOL = "school"  # สถานศึกษา / โรงเรียน


ORG_UNIT_KIND_LABELS = {
    OrgUnitKind.OFFICE: _l("Office"),
    OrgUnitKind.GROUP: _l("Group"),
    OrgUnitKind.WORK_UNIT: _l("Work unit"),
    OrgUnitKind.SCHOOL: _l("School"),
}

# Which kind of unit may sit under which: office → group → work unit; schools under the office.
ALLOWED_PARENTS: dict[OrgUnitKind, tuple[OrgUnitKind, ...]] = {
    OrgUnitKind.OFFICE: (),
    OrgUnitKind.GROUP: (OrgUnitKind.OFFICE,),
    OrgUnitKind.WORK_UNIT: (OrgUnitKind.GROUP,),
    OrgUnitKind.SCHOOL: (OrgUnitKind.OFFICE,),
}


class OrgUnitError(ValueError):
    """An org unit placed where the tree does not allow it."""


class OrgUnit(Base):
    """A node of the tree. Every unit knows its office, so scoping a query is one comparison."""

    __tablename__ = "core_org_units"
    __audit__ = AuditSpec(
        "core.org_unit",
        label=lambda unit: unit.name,
        labels={
            "name": _l("Name"),
            "kind": _l("Kind"),
            "parent": _l("Belongs to"),
            "office": _l("Office"),
            "code": _l("Code"),
            "active": _l("Active"),
            "thai_digits": _l("Thai digits on official documents (offices only)"),
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id"), index=True)
    # The office this unit belongs to; an office points to itself.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id"), index=True)
    kind: Mapped[OrgUnitKind] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)
    # An office setting: write official documents with Thai digits (๑๒๓).
    thai_digits: Mapped[bool] = mapped_column(default=False)

    parent: Mapped[OrgUnit | None] = relationship(
        remote_side=[id], foreign_keys=[parent_id], back_populates="children"
    )
    children: Mapped[list[OrgUnit]] = relationship(
        foreign_keys=[parent_id], back_populates="parent", order_by="OrgUnit.name"
    )
    # post_update lets an office point at itself: insert first, then set office_id.
    office: Mapped[OrgUnit | None] = relationship(
        remote_side=[id], foreign_keys=[office_id], post_update=True
    )

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[OrgUnit]:
        """This unit's parents, nearest first (the tree is at most four levels deep)."""
        chain, unit = [], self.parent
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain

    def is_within(self, other_id: int) -> bool:
        """True when this unit is the unit ``other_id`` or lies below it."""
        return self.id == other_id or any(a.id == other_id for a in self.ancestors())

    def check_placement(self) -> None:
        allowed = ALLOWED_PARENTS[OrgUnitKind(self.kind)]
        parent_kind = OrgUnitKind(self.parent.kind) if self.parent else None
        if (parent_kind is None and allowed) or (parent_kind is not None and parent_kind not in allowed):
            raise OrgUnitError(f"a {self.kind} cannot be placed under {parent_kind or 'nothing'}")
        if self.parent is not None and self.is_own_ancestor():
            raise OrgUnitError("an org unit cannot be placed under itself")

    def is_own_ancestor(self) -> bool:
        return self.id is not None and any(a.id == self.id for a in self.ancestors())


@event.listens_for(Session, "before_flush")
def _place_org_units(session: Session, flush_context, instances) -> None:
    """Check where units sit and keep ``office_id`` in step with the tree, however they change."""
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, OrgUnit):
            obj.check_placement()
            root = obj.ancestors()[-1] if obj.parent is not None else obj
            if obj.office_id is not None and root.id != obj.office_id:
                raise OrgUnitError("an org unit cannot move to another office")
            if obj.office is not root:
                obj.office = root
