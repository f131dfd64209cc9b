"""Choosing the language and time zone of each request.

Thai is the default; the user's stored choice comes first, then the visitor's cookie,
then the browser's ``Accept-Language``.
"""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

DEFAULT_LOCALE = "th"
SUPPORTED_LOCALES = ("th", "en")
LANGUAGE_COOKIE = "khet_lang"
TIMEZONE = "Asia/Bangkok"
COMMAND_LINE_LOCALE = "en"  # the khet command speaks English, like its --help


def N_(message: str) -> str:
    """Mark a string for the catalog without translating it: it is stored, then translated on display."""
    return message


def select_locale() -> str:
    if not has_request_context():
        return COMMAND_LINE_LOCALE
    if current_user and current_user.is_authenticated and current_user.locale in SUPPORTED_LOCALES:
        return current_user.locale
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in SUPPORTED_LOCALES:
        return cookie
    return request.accept_languages.best_match(SUPPORTED_LOCALES) or DEFAULT_LOCALE


def select_timezone() -> str:
    return TIMEZONE
