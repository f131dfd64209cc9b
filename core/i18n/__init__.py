"""Choosing the language and time zone of each request.

Thai is the default; the user's stored choice comes first, then the visitor's cookie,
then the browser's ``Accept-Language``.
"""

from __future__ import annotations

from babel.support import Translations
from flask import Flask, g, has_request_context, request
from flask_babel import get_translations
from flask_login import current_user
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup

DEFAULT_LOCALE = "th"
SUPPORTED_LOCALES = ("th", "en")
LANGUAGE_COOKIE = "khet_lang"
TIMEZONE = "Asia/Bangkok"
COMMAND_LINE_LOCALE = "en"  # the khet command speaks English, like its --help


def N_(message: str) -> str:
    """Mark a string for the catalog without translating it: it is stored, then translated on display."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a message with a plural form for the catalog, like ``N_``."""
    return singular, plural


def select_locale() -> str:
    if not has_request_context():
        return COMMAND_LINE_LOCALE
    user = current_user._get_current_object()
    if user is not None and user.is_authenticated and user.locale in SUPPORTED_LOCALES:
        return user.locale
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in SUPPORTED_LOCALES:
        return cookie
    return request.accept_languages.best_match(SUPPORTED_LOCALES) or DEFAULT_LOCALE


def select_timezone() -> str:
    return TIMEZONE


def _request_translations() -> Translations:
    """The catalog of this request's language, looked up once instead of per string."""
    translations = g.get("_khet_translations")
    if translations is None:
        translations = g._khet_translations = get_translations()
    return translations


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, string: str, /, **variables: object) -> str:
    """Jinja's newstyle ``gettext`` in one call: ``_()`` runs a few dozen times per page, and
    Jinja's own goes through three context calls (alias, wrapper, function) for each."""
    translated = _request_translations().ugettext(string)
    if eval_ctx.autoescape:
        translated = Markup(translated)
    # Always a format string, as in Jinja's own ("%%" reads "%"); without variables and
    # without "%" formatting would return the same text.
    return translated % variables if variables or "%" in translated else translated


def install_template_gettext(app: Flask) -> None:
    """Templates translate dozens of strings per page; reuse one catalog per request."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _request_translations().ugettext(s),  # replaced below for _() and gettext()
        ngettext=lambda s, p, n: _request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _request_translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext)
