"""Password hashing (argon2id) and the password policy."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.i18n import gettext as _

MIN_LENGTH = 12

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verifying against this keeps the time of a sign-in for an unknown e-mail like a real one.
_DUMMY_HASH = _hasher.hash("not-a-real-password-just-for-timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


@cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "") -> str | None:
    """A translated reason the password is refused, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return _("The password must be at least %(n)d characters long.", n=MIN_LENGTH)
    lowered = password.lower()
    if lowered in _common_passwords() or len(set(lowered)) < 4:
        return _("This password is too common. Choose one that is harder to guess.")
    local_part = email.split("@")[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        return _("The password must not contain your e-mail name.")
    return None
