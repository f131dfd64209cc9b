"""The staff site's own pages: dashboard, language switch, health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from core.auth.views import safe_next
from core.db import db
from core.i18n import LANGUAGE_COOKIE, SUPPORTED_LOCALES
from core.state import khet
from core.web.navigation import visible_widgets

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def dashboard():
    return render_template("core/dashboard.html", widgets=visible_widgets())


@bp.route("/language", methods=["POST"])
def set_language():
    """Remember the chosen language on the user, or in a cookie for visitors."""
    locale = request.form.get("locale", "")
    target = safe_next(request.form.get("next"), url_for("main.dashboard"))
    response = make_response(redirect(target))
    if locale in SUPPORTED_LOCALES:
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
        response.set_cookie(
            LANGUAGE_COOKIE,
            locale,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    return response


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:  # a health check reports every failure instead of raising
        db.session.rollback()
        database = f"error: {type(exc).__name__}"
    healthy = database == "ok"
    body = {"status": "ok" if healthy else "error", "database": database, "plugins": khet().loaded_plugins}
    return jsonify(body), 200 if healthy else 503
