"""Friendly, translated error pages (JSON for API-style requests)."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from core.audit.web import record_refusal
from core.db import db
from core.i18n import gettext as _


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Go back and try again.")),
        403: (
            _("Access denied"),
            _(
                "You do not have permission to open this page. Ask your "
                "office's administrator if you need it."
            ),
        ),
        404: (_("Page not found"), _("The page does not exist or is not available to your office.")),
        405: (_("Not allowed"), _("This page cannot be used that way.")),
        410: (
            _("No longer kept"),
            _("This file was destroyed under the office's records retention rules; its record remains."),
        ),
        413: (
            _("The files are too large"),
            _(
                "What you sent is larger than this site accepts (each file at most %(size)s MB). "
                "Send smaller files; nothing was saved.",
                size=current_app.config["KHET_MAX_UPLOAD_BYTES"] // (1024 * 1024),
            ),
        ),
        429: (_("Too many attempts"), _("Too many failed attempts. Please wait 15 minutes and try again.")),
        500: (
            _("Something went wrong"),
            _("The error has been logged. Please try again later; nothing you entered was saved."),
        ),
    }


def _render(code: int, title: str | None = None, message: str | None = None):
    default_title, default_message = _messages().get(code, _messages()[500])
    title, message = title or default_title, message or default_message
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=title, message=message), code
    return render_template("core/error.html", code=code, title=title, message=message), code


def handle_http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    record_refusal(error.code)
    return _render(error.code)


def handle_csrf_error(error: CSRFError):
    return _render(
        400,
        _("The form has expired"),
        _(
            "The page was open too long or came from elsewhere. Reload it and submit "
            "the form again; nothing was changed."
        ),
    )


def handle_unexpected_error(error: Exception):
    db.session.rollback()
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    # A handler for Exception stops Flask from logging it: the log is the only trace of a 500.
    current_app.logger.error("unexpected error on %s", request.path, exc_info=error)
    return _render(InternalServerError.code)


def init_errors(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected_error)
