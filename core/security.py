"""Per-request safeguards: security headers, idle sign-out, forced password change, plugin gate."""

from __future__ import annotations

import secrets
import time

from flask import Flask, abort, flash, g, redirect, request, session, url_for
from flask_login import current_user, logout_user

from core.audit import record
from core.audit.types import IDLE_SIGNED_OUT
from core.db import db
from core.i18n import gettext as _
from core.plugins.offices import enabled_for_office
from core.state import khet

LAST_SEEN_RESOLUTION = 60  # seconds

# Endpoints a user who must change their password may still reach.
PASSWORD_CHANGE_ENDPOINTS = {"auth.change_password", "auth.logout", "main.set_language", "static"}


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


ADMIN_PATH = "/admin"


def _content_security_policy() -> str:
    nonce = csp_nonce()
    # Flask-Admin's own templates use inline event handlers (confirm before delete, bulk
    # actions): the admin console allows handler attributes, never inline <script> blocks.
    handlers = "'unsafe-inline'" if request.path.startswith(ADMIN_PATH) else "'none'"
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"script-src-attr {handlers}",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def add_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", _content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def enforce_idle_timeout():
    """Sign out a session that has been idle longer than ``KHET_IDLE_MINUTES``."""
    if not current_user.is_authenticated:
        return None
    now = time.time()
    last_seen = session.get("last_seen", now)
    if now - last_seen > khet().settings.idle_minutes * 60:
        record(IDLE_SIGNED_OUT, subject=("core.user", current_user.id))
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("You were signed out after a period of inactivity. Please sign in again."), "info")
        return redirect(url_for("auth.login", next=request.full_path))
    if "last_seen" not in session or now - last_seen > LAST_SEEN_RESOLUTION:
        # Not on every request: each write re-signs and re-sends the session cookie.
        session["last_seen"] = now
    return None


def enforce_password_change():
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in PASSWORD_CHANGE_ENDPOINTS
    ):
        return redirect(url_for("auth.change_password"))
    return None


def hide_disabled_plugins():
    """A plugin switched off for the user's office answers 404 on every URL it owns."""
    plugin = khet().registry.plugin_of_endpoint(request.endpoint)
    if plugin is None or not current_user.is_authenticated:
        return
    if plugin not in enabled_for_office(current_user.office_id):
        abort(404)


def init_security(app: Flask) -> None:
    app.before_request(enforce_idle_timeout)
    app.before_request(enforce_password_change)
    app.before_request(hide_disabled_plugins)
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
