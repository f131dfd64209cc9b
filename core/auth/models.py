"""People, roles and the role-to-permission mapping.

Roles are granted scoped to an org unit (optionally with its descendants), following the
office's duty-assignment order (คำสั่งมอบหมายหน้าที่). A grant with no unit is
installation-wide and is meant for the installation's administrators only.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from core.audit import AuditSpec
from core.audit.types import Change
from core.db import Base, utcnow
from core.i18n import N_
from core.i18n import lazy_gettext as _l
from core.org.models import OrgUnit


def new_session_token() -> str:
    return secrets.token_hex(16)


class User(UserMixin, Base):
    """A person who signs in: office staff, school staff or an installation administrator."""

    __tablename__ = "core_users"
    __audit__ = AuditSpec(
        "core.user",
        label=lambda user: user.email,
        # Sign-ins have their own events; the hash and token are secrets even in the history.
        exclude=frozenset({"last_login_at"}),
        redact=frozenset({"password_hash", "session_token"}),
        labels={
            "name": _l("Name"),
            "email": _l("E-mail"),
            "position": _l("Position"),
            "org_unit": _l("Org unit"),
            "office": _l("Office"),
            "active": _l("Active"),
            "last_login_at": _l("Last sign-in"),
            "locale": _l("Language"),
            "must_change_password": _l("Must change password"),
            "password_hash": _l("Password"),
            "session_token": _l("Sessions"),
            "created_at": _l("Created"),
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Sorted and searched through hand-written indexes (core.i18n.collation, core.search).
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str | None] = mapped_column(String(200))  # ตำแหน่ง
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id"), index=True)
    office_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    # Part of the session id: changing it signs the user out everywhere.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    org_unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[org_unit_id])
    office: Mapped[OrgUnit | None] = relationship(foreign_keys=[office_id])
    role_assignments: Mapped[list[RoleAssignment]] = relationship(
        back_populates="user", cascade="all, delete-orphan", foreign_keys="RoleAssignment.user_id"
    )

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"


class Role(Base):
    """A named set of permissions, e.g. ผู้อำนวยการกลุ่ม (group director)."""

    __tablename__ = "core_roles"
    __audit__ = AuditSpec(
        "core.role",
        label=lambda role: role.name,
        labels={"name": _l("Code"), "title": _l("Title"), "permissions": _l("Permissions")},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    permissions: Mapped[list[RolePermission]] = relationship(
        back_populates="role", cascade="all, delete-orphan", order_by="RolePermission.permission"
    )

    def __str__(self) -> str:
        from core.i18n import gettext

        return gettext(self.title)

    @property
    def permission_names(self) -> set[str]:
        return {p.permission for p in self.permissions}

    @permission_names.setter
    def permission_names(self, names) -> None:
        """Keep the rows of permissions that stay, add the new ones, drop the rest."""
        wanted, current = set(names or ()), self.permission_names
        self.permissions = [p for p in self.permissions if p.permission in wanted] + [
            RolePermission(permission=name) for name in sorted(wanted - current)
        ]


class RolePermission(Base):
    __tablename__ = "core_role_permissions"
    __audit__ = AuditSpec(
        "core.role_permission",
        label=lambda row: row.permission,
        parent=lambda row: ("core.role", row.role_id),
        labels={"permission": _l("Permission"), "role": _l("Role")},
        summaries={
            Change.CREATED: N_("Permission given to the role"),
            Change.DELETED: N_("Permission taken from the role"),
        },
    )
    __table_args__ = (UniqueConstraint("role_id", "permission"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("core_roles.id", ondelete="CASCADE"), index=True)
    permission: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = relationship(back_populates="permissions")


class RoleAssignment(Base):
    """A role granted to a person within an org unit (and its descendants when asked)."""

    __tablename__ = "core_role_assignments"
    __audit__ = AuditSpec(
        "core.role_assignment",
        parent=lambda grant: ("core.user", grant.user_id),
        labels={
            "user": _l("Person"),
            "role": _l("Role"),
            "org_unit": _l("Org unit"),
            "include_descendants": _l("Including units below"),
            "created_at": _l("Granted"),
        },
        summaries={
            Change.CREATED: N_("Role granted"),
            Change.UPDATED: N_("Role grant changed"),
            Change.DELETED: N_("Role withdrawn"),
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_users.id", ondelete="CASCADE"), index=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("core_roles.id", ondelete="CASCADE"), index=True)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id"), index=True)
    include_descendants: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_assignments", foreign_keys=[user_id])
    role: Mapped[Role] = relationship()
    org_unit: Mapped[OrgUnit | None] = relationship()

    def __str__(self) -> str:
        return f"{self.role} @ {self.org_unit or '*'}"


class AssignmentError(ValueError):
    """A role granted outside the person's own office."""


@event.listens_for(Session, "before_flush")
def _keep_user_office(session: Session, flush_context, instances) -> None:
    """A user's office follows their org unit, however the unit is set."""
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, User):
            obj.office = obj.org_unit.office if obj.org_unit is not None else None
            obj.email = obj.email.strip().lower()
        elif isinstance(obj, RoleAssignment) and obj.user is not None:  # None: an orphan, deleted now
            _check_assignment_scope(obj)


def _check_assignment_scope(assignment: RoleAssignment) -> None:
    """Office staff get roles inside their own office; only office-less admins get global ones."""
    user_office = assignment.user.org_unit.office if assignment.user.org_unit else None
    unit_office = assignment.org_unit.office if assignment.org_unit else None
    if user_office is not None and unit_office is not user_office:
        raise AssignmentError("a role can only be granted within the person's own office")
