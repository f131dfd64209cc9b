"""Slowing down password guessing: failed attempts are counted per account and per address.

After ``FAILED_ATTEMPT_LIMIT`` failures in the window, further attempts answer 429 until the
window has passed. Only failures count, so a person who signs in correctly is never slowed.
The counters live in memory, or in Redis when ``KHET_REDIS_URL`` is set so that every
worker process shares them.
"""

from __future__ import annotations

from flask import Flask, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user

FAILED_ATTEMPT_LIMIT = "10 per 15 minutes"

# Endpoints that check a password, with how their failures are keyed besides the address.
PASSWORD_ENDPOINTS = {
    "auth.login": lambda: "account:" + (request.form.get("email") or "").strip().lower(),
    "auth.reauth": lambda: f"user:{current_user.get_id()}",
    "approvals.act_on": lambda: f"user:{current_user.get_id()}",  # the password signs decisions
}


def _failed(response) -> bool:
    return bool(g.get("login_failed"))


def create_limiter(app: Flask, redis_url: str | None) -> Limiter:
    """A limiter of this application's own, so that applications never share counters."""
    limiter = Limiter(
        key_func=get_remote_address,
        app=app,
        storage_uri=redis_url or "memory://",
        strategy="moving-window",
        headers_enabled=True,
        key_prefix=app.config.get("KHET_RATELIMIT_PREFIX", "khet"),
    )
    # Only password checks are limited: every other request skips the limiter's work.
    limiter.request_filter(lambda: request.endpoint not in PASSWORD_ENDPOINTS)
    for endpoint, account_key in PASSWORD_ENDPOINTS.items():
        view = app.view_functions[endpoint]
        for scope, key in ((f"{endpoint}:ip", get_remote_address), (f"{endpoint}:account", account_key)):
            view = limiter.limit(
                FAILED_ATTEMPT_LIMIT, key_func=key, deduct_when=_failed, methods=["POST"], scope=scope
            )(view)
        app.view_functions[endpoint] = view
    return limiter
