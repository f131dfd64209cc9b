"""Answering "may this person do that, here?" from their scoped role grants."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache, wraps
from typing import ParamSpec, TypeVar

from flask import abort, g, has_request_context
from flask_login import current_user
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from core.auth.models import RoleAssignment, RolePermission, User
from core.db import db
from core.extensions import login_manager
from core.org.models import OrgUnit

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


_GRANT_COLUMNS = (
    RoleAssignment.id,
    RoleAssignment.org_unit_id,
    RoleAssignment.include_descendants,
    RolePermission.permission,
)


def _grant_cache() -> dict[int, list[Grant]]:
    return g.setdefault("_khet_grants", {}) if has_request_context() else {}


def _to_grants(rows: Iterable[tuple]) -> list[Grant]:
    scopes: dict[int, tuple[int | None, bool]] = {}
    permissions: dict[int, set[str]] = {}
    for assignment_id, unit_id, descendants, permission in rows:
        scopes[assignment_id] = (unit_id, descendants)
        if permission is not None:
            permissions.setdefault(assignment_id, set()).add(permission)
    return [
        Grant(unit_id, descendants, frozenset(permissions.get(assignment_id, ())))
        for assignment_id, (unit_id, descendants) in scopes.items()
    ]


def grants_of(user: User) -> list[Grant]:
    """The user's grants, read as plain rows once per request."""
    cache = _grant_cache()
    if user.id not in cache:
        rows = db.session.execute(
            select(*_GRANT_COLUMNS)
            .outerjoin(RolePermission, RolePermission.role_id == RoleAssignment.role_id)
            .where(RoleAssignment.user_id == user.id)
        )
        cache[user.id] = _to_grants(rows)
    return cache[user.id]


@cache
def _signed_in_user_query() -> Select:
    """Built once: constructing a statement costs more than running it on every request."""
    return (
        select(User, *_GRANT_COLUMNS)
        .outerjoin(RoleAssignment, RoleAssignment.user_id == User.id)
        .outerjoin(RolePermission, RolePermission.role_id == RoleAssignment.role_id)
        .options(joinedload(User.org_unit), joinedload(User.office))
        .where(User.id == bindparam("user_id"))
    )


def load_signed_in_user(user_id: int) -> User | None:
    """The signed-in person with their unit, office and grants, in one query per request."""
    rows = db.session.execute(_signed_in_user_query(), {"user_id": user_id}).all()
    if not rows:
        return None
    user = rows[0][0]
    _grant_cache()[user.id] = _to_grants(row[1:] for row in rows if row[1] is not None)
    return user


def can(user: User | None, permission: str, unit: OrgUnit | None = None) -> bool:
    """True when an active user holds ``permission`` on ``unit`` (or anywhere, when None)."""
    if user is None or not user.is_authenticated or not user.active:
        return False
    return any(permission in grant.permissions and grant.covers(unit) for grant in grants_of(user))


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
