"""Signing in and managing passwords, without request globals."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from core.auth.models import User, new_session_token
from core.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from core.db import db, utcnow


class PasswordRejected(ValueError):
    """The new password breaks the policy; the message is translated."""


def find_user(email: str) -> User | None:
    # E-mails are stored lower-cased, so the unique index answers this.
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Upgrades old hashes on the way."""
    user = find_user(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def set_password(user: User, password: str, *, must_change: bool = False) -> None:
    """Store a new password after checking the policy; signs the user out of other sessions."""
    problem = password_problem(password, email=user.email)
    if problem:
        raise PasswordRejected(problem)
    user.password_hash = hash_password(password)
    user.must_change_password = must_change
    user.session_token = new_session_token()


def reset_password(user: User) -> str:
    """Give a temporary password that must be changed at the next sign-in; return it once."""
    temporary = generate_password()
    set_password(user, temporary, must_change=True)
    return temporary


def deactivate(user: User) -> None:
    """Stop a person from signing in and end their sessions; their records stay."""
    user.active = False
    user.session_token = new_session_token()


def generate_password() -> str:
    """A random password that passes the policy (about 96 bits)."""
    return secrets.token_urlsafe(12)
