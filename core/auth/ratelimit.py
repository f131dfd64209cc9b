"""Slowing down guessing: failed attempts are counted per account and per address.

After ``FAILED_ATTEMPT_LIMIT`` failures in the window, further attempts answer 429 until the
window has passed. Only failures count, so a person who signs in correctly is never slowed.
Besides the password checks, any view that checks a secret (a tracking code, a signed link)
is counted the same way when it is marked ``@guarded(...)`` and reports ``failed_attempt()``.
The counters live in memory, or in Redis when ``KHET_REDIS_URL`` is set so that every
worker process shares them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import current_user

FAILED_ATTEMPT_LIMIT = "10 per 15 minutes"
F = TypeVar("F", bound=Callable[..., object])

# Endpoints that check a password, with how their failures are keyed besides the address.
PASSWORD_ENDPOINTS = {
    "auth.login": lambda: "account:" + (request.form.get("email") or "").strip().lower(),
    "auth.reauth": lambda: f"user:{current_user.get_id()}",
    "approvals.act_on": lambda: f"user:{current_user.get_id()}",  # the password signs decisions
}


def guarded(key: Callable[[], str] = lambda: "any") -> Callable[[F], F]:
    """Count this view's failed secret checks like password failures; ``key`` names what was
    tried (``"ticket:" + number``) for the per-account limit."""

    def mark(view: F) -> F:
        view.khet_guard_key = key  # type: ignore[attr-defined]
        return view

    return mark


def failed_attempt() -> None:
    """Tell the limiter that this request's secret was wrong."""
    g.login_failed = True


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
    guarded_endpoints = {
        endpoint: view.khet_guard_key
        for endpoint, view in app.view_functions.items()
        if hasattr(view, "khet_guard_key")
    }
    limited = {**PASSWORD_ENDPOINTS, **guarded_endpoints}
    for endpoint, account_key in limited.items():
        view = app.view_functions[endpoint]
        for scope, key in ((f"{endpoint}:ip", get_remote_address), (f"{endpoint}:account", account_key)):
            view = limiter.limit(
                FAILED_ATTEMPT_LIMIT, key_func=key, deduct_when=_failed, methods=["POST"], scope=scope
            )(view)
        app.view_functions[endpoint] = view
    # Only secret checks are limited, and each limited view checks its limits in the wrapper
    # limiter.limit puts around it. The hook Flask-Limiter runs before every request serves
    # default and application limits, which Khet has none of: every other page skips it.
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    return limiter
