"""Preparing a database: migrations, seeded roles, and the first administrator."""

from __future__ import annotations

from sqlalchemy import select

from core import migrate
from core.approvals.chains import seed_chains
from core.auth.models import Role, RoleAssignment, RolePermission, User
from core.auth.services import set_password
from core.builtin import ADMIN_ROLE
from core.calendar.holidays import seed_national_holidays
from core.db import db
from core.i18n.fiscal import fiscal_year
from core.i18n.thaidate import today
from core.plugins.models import KnownPermission
from core.state import khet


def upgrade_database() -> list[str]:
    """Migrate core and plugins, then seed roles and new permissions; return the lineages."""
    done = migrate.upgrade()
    seed_roles_and_permissions()
    seed_national_holidays(fiscal_year(today()))
    seed_chains()
    db.session.commit()
    return done


def seed_roles_and_permissions() -> None:
    """Create missing roles; grant each permission seen for the first time to its default roles.

    Mappings that already exist are never touched: after seeding, offices own them.
    """
    registry = khet().registry
    roles = {r.name: r for r in db.session.scalars(select(Role))}
    for template in registry.roles.values():
        if template.name not in roles:
            role = Role(name=template.name, title=template.title)
            role.permissions = [RolePermission(permission=p) for p in template.permissions]
            db.session.add(role)
            roles[role.name] = role
    known = set(db.session.scalars(select(KnownPermission.name)))
    for permission in registry.permissions.values():
        if permission.name in known:
            continue
        for role_name in permission.default_roles:
            role = roles.get(role_name)
            if role is not None and permission.name not in role.permission_names:
                role.permissions.append(RolePermission(permission=permission.name))
        db.session.add(KnownPermission(name=permission.name))
    db.session.flush()


def create_admin(email: str, name: str, password: str) -> User:
    """An installation-wide administrator (no office), holding the admin role everywhere."""
    user = User(email=email, name=name)
    set_password(user, password)
    admin_role = db.session.scalar(select(Role).where(Role.name == ADMIN_ROLE))
    user.role_assignments.append(RoleAssignment(role=admin_role, org_unit=None))
    db.session.add(user)
    db.session.flush()
    return user


def has_admin() -> bool:
    return (
        db.session.scalar(select(RoleAssignment.id).join(Role).where(Role.name == ADMIN_ROLE).limit(1))
        is not None
    )
