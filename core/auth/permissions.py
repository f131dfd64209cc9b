"""Answering "may this person do that, here?" from their scoped role grants."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, g, has_request_context
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from core.auth.models import Role, RoleAssignment, User
from core.db import db
from core.extensions import login_manager
from core.org.models import OrgUnit

P = ParamSpec("P")
R = TypeVar("R")

Grant = tuple[RoleAssignment, frozenset[str]]


def grants_of(user: User) -> list[Grant]:
    """The user's role grants with their permission names, loaded once per request."""
    cache: dict[int, list[Grant]] = g.setdefault("_khet_grants", {}) if has_request_context() else {}
    if user.id not in cache:
        assignments = db.session.scalars(
            select(RoleAssignment)
            .where(RoleAssignment.user_id == user.id)
            .options(
                selectinload(RoleAssignment.role).selectinload(Role.permissions),
                selectinload(RoleAssignment.org_unit),
            )
        ).all()
        cache[user.id] = [(a, frozenset(a.role.permission_names)) for a in assignments]
    return cache[user.id]


def can(user: User | None, permission: str, unit: OrgUnit | None = None) -> bool:
    """True when an active user holds ``permission`` on ``unit`` (or anywhere, when None)."""
    if user is None or not user.is_authenticated or not user.active:
        return False
    return any(permission in perms and a.covers(unit) for a, perms in grants_of(user))


def has_installation_scope(user: User, permission: str) -> bool:
    """True when the grant is installation-wide: the user may act on every office."""
    return any(permission in perms and a.org_unit_id is None for a, perms in grants_of(user))


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
