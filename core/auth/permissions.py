"""Answering "may this person do that, here?" from their scoped role grants."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, wraps
from typing import ParamSpec, TypeVar

from flask import abort, g, has_request_context
from flask_login import current_user
from sqlalchemy import Select, bindparam, func, literal_column, select
from sqlalchemy.orm import joinedload

from core.auth.models import RoleAssignment, RolePermission, User
from core.db import db
from core.extensions import login_manager
from core.org.models import OrgUnit
from core.plugins.offices import remember_switched_on, switched_on_names

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Grant:
    """One role grant reduced to what permission checks need."""

    org_unit_id: int | None  # None: installation-wide
    include_descendants: bool
    permissions: frozenset[str]

    def covers(self, unit: OrgUnit | None) -> bool:
        """Whether the grant applies to ``unit`` (None asks "anywhere I work")."""
        if self.org_unit_id is None or unit is None:
            return True
        if self.include_descendants:
            return unit.is_within(self.org_unit_id)
        return unit.id == self.org_unit_id


# Permission names never contain white space (core.plugins.registry checks them).
PERMISSION_SEPARATOR = " "


def _grant_columns() -> tuple:
    """One row per role grant, its role's permissions joined into one string by the database:
    one row per permission made the ORM build the signed-in person once per row."""
    permissions = (
        # The separator written into the SQL: as a parameter it is re-rendered on every execution.
        select(func.aggregate_strings(RolePermission.permission, literal_column(f"'{PERMISSION_SEPARATOR}'")))
        .where(RolePermission.role_id == RoleAssignment.role_id)
        .scalar_subquery()
    )
    return (RoleAssignment.id, RoleAssignment.org_unit_id, RoleAssignment.include_descendants, permissions)


def _grant_cache() -> dict[int, list[Grant]]:
    return g.setdefault("_khet_grants", {}) if has_request_context() else {}


def _to_grants(rows: Iterable[tuple]) -> list[Grant]:
    return [
        Grant(unit_id, descendants, frozenset(permissions.split(PERMISSION_SEPARATOR) if permissions else ()))
        for _, unit_id, descendants, permissions in rows
    ]


@cache
def _grants_query() -> Select:
    return select(*_grant_columns()).where(RoleAssignment.user_id == bindparam("user_id"))


def grants_of(user: User) -> list[Grant]:
    """The user's grants, read as plain rows once per request."""
    cache = _grant_cache()
    if user.id not in cache:
        cache[user.id] = _to_grants(db.session.execute(_grants_query(), {"user_id": user.id}))
    return cache[user.id]


@cache
def _signed_in_user_query() -> Select:
    """Built once: constructing a statement costs more than running it on every request."""
    return (
        select(User, switched_on_names(User.office_id), *_grant_columns())
        .outerjoin(RoleAssignment, RoleAssignment.user_id == User.id)
        .options(joinedload(User.org_unit), joinedload(User.office))
        .where(User.id == bindparam("user_id"))
    )


def load_signed_in_user(user_id: int) -> User | None:
    """The signed-in person with their unit, office, grants and the office's plugins, in one
    query per request."""
    rows = db.session.execute(_signed_in_user_query(), {"user_id": user_id}).all()
    if not rows:
        return None
    user, plugins = rows[0][:2]
    _grant_cache()[user.id] = _to_grants(row[2:] for row in rows if row[2] is not None)
    if user.office_id is not None:
        remember_switched_on(user.office_id, plugins)
    return user


def can(user: User | None, permission: str, unit: OrgUnit | None = None) -> bool:
    """True when an active user holds ``permission`` on ``unit`` (or anywhere, when None)."""
    if user is None or not user.is_authenticated or not user.active:
        return False
    return any(permission in grant.permissions and grant.covers(unit) for grant in grants_of(user))


def held_anywhere(user: User | None) -> frozenset[str]:
    """Every permission the user holds in some unit: ``can(user, p)`` without a unit, for many
    ``p`` at once (menus, widgets)."""
    if user is None or not user.is_authenticated or not user.active:
        return frozenset()
    return frozenset().union(*(grant.permissions for grant in grants_of(user)))


def has_installation_scope(user: User, permission: str) -> bool:
    """True when the grant is installation-wide: the user may act on every office."""
    return any(permission in grant.permissions and grant.org_unit_id is None for grant in grants_of(user))


def require_permission(permission: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a view: anonymous users go to sign-in, users without the permission get 403."""

    def decorator(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
