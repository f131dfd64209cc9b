"""Flask's signed-cookie sessions, with the cookie's serializer built once for the current keys."""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class SignedCookieSessions(SecureCookieSessionInterface):
    """Flask builds the cookie's serializer anew to open the session and again to save it, each
    time serializing an empty dict to learn that its JSON is text. The serializer depends on
    nothing but the secret keys, and signs and checks without keeping state, so one is kept
    for as long as the keys stay the same."""

    def __init__(self) -> None:
        self._built: tuple[tuple[object, ...], URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if self._built is None or self._built[0] != keys:
            self._built = (keys, super().get_signing_serializer(app))
        return self._built[1]
