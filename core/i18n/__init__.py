"""Choosing the language and time zone of each request.

Thai is the default; the user's stored choice comes first, then the visitor's cookie,
then the browser's ``Accept-Language``.
"""

from __future__ import annotations

from typing import Any

from babel import Locale
from babel.support import NullTranslations
from flask import Flask, g, has_request_context, request
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString
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


def _catalog() -> NullTranslations:
    """The catalog of the language in force, kept on ``g`` while that language is.

    A page translates a few hundred strings (labels, headings, statuses); Flask-Babel finds
    the catalog anew for each, through its context half a dozen times. The catalog is kept
    together with the locale it was found for, so ``force_locale`` (a document always in
    Thai, a message in its recipient's language) gets its own language's catalog.
    """
    kept_on = _app_globals()
    if kept_on is None:  # outside an application context
        return get_translations()
    locale = _locale_in(kept_on)
    kept = kept_on.get("_khet_catalog")
    if kept is None or kept[0] is not locale:
        kept = kept_on["_khet_catalog"] = (locale, get_translations())
    return kept[1]


def _locale() -> Locale | None:
    """Flask-Babel's ``get_locale`` (None outside an application context)."""
    kept_on = _app_globals()
    return None if kept_on is None else _locale_in(kept_on)


def _locale_in(kept_on: dict[str, Any]) -> Locale:
    """The locale Flask-Babel keeps on ``g`` once chosen, read directly: ``get_locale`` goes
    through the ``g`` proxy four times per call, and a page asks a few hundred times (each
    label, each date). ``force_locale`` sets that same attribute, so what is read here is what
    ``get_locale`` would answer; before the choice, ``get_locale`` itself answers."""
    locale = getattr(kept_on.get("_flask_babel"), "babel_locale", None)
    return get_locale() if locale is None else locale


def _app_globals() -> dict[str, Any] | None:
    """The attributes of the application context's ``g``, reached through its proxy once."""
    try:
        return g._get_current_object().__dict__
    except RuntimeError:  # no application context
        return None


def current_language() -> str:
    """``"th"`` or ``"en"``: the language in force (English outside a request, as the command line)."""
    locale = _locale()
    return COMMAND_LINE_LOCALE if locale is None else locale.language


def gettext(string: str, /, **variables: object) -> str:
    """``string`` in the language in force, formatted with ``variables`` (``%(name)s``)."""
    translated = _catalog().ugettext(string)
    return translated % variables if variables else translated


def ngettext(singular: str, plural: str, num: int, /, **variables: object) -> str:
    """The singular or plural form for ``num``; ``%(num)d`` is available to both."""
    variables.setdefault("num", num)
    return _catalog().ungettext(singular, plural, num) % variables


def pgettext(context: str, string: str, /, **variables: object) -> str:
    """``gettext`` for a word that reads differently by its use: "Received" is a ticket's
    status in one place (รับเรื่องแล้ว) and the date it came in elsewhere (วันที่รับเรื่อง)."""
    translated = _catalog().upgettext(context, string)
    return translated % variables if variables else translated


def lazy_gettext(string: str, /, **variables: object) -> LazyString:
    """``gettext`` when the string is shown: for labels defined at import time."""
    return LazyString(gettext, string, **variables)


def lazy_pgettext(context: str, string: str, /, **variables: object) -> LazyString:
    """``pgettext`` when the string is shown."""
    return LazyString(pgettext, context, string, **variables)


@pass_eval_context
def _template_gettext(eval_ctx: EvalContext, string: str, /, **variables: object) -> str:
    """Jinja's newstyle ``gettext`` in one call: ``_()`` runs a few dozen times per page, and
    Jinja's own goes through three context calls (alias, wrapper, function) for each."""
    translated = _catalog().ugettext(string)
    if eval_ctx.autoescape:
        translated = Markup(translated)
    # Always a format string, as in Jinja's own ("%%" reads "%"); without variables and
    # without "%" formatting would return the same text.
    return translated % variables if variables or "%" in translated else translated


def install_template_gettext(app: Flask) -> None:
    """Templates translate dozens of strings per page; reuse one catalog per request."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _catalog().ugettext(s),  # replaced below for _() and gettext()
        ngettext=lambda s, p, n: _catalog().ungettext(s, p, n),
        newstyle=True,
        pgettext=pgettext,
        npgettext=lambda c, s, p, n: _catalog().unpgettext(c, s, p, n),
    )
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext)
