"""Form bases whose built-in validation messages come from Khet's catalog.

WTForms ships no Thai catalog, and both Flask-WTF and Flask-Admin read only WTForms' own;
these bases answer from the application's catalog instead, where the messages of WTForms'
validators are translated (listed in ``core.i18n.wtforms_messages``).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash
from flask_admin.form import BaseForm
from flask_babel import get_translations
from flask_wtf import FlaskForm


class KhetForm(FlaskForm):
    """Every staff-site form: CSRF from Flask-WTF, messages in the reader's language."""

    class Meta:
        def get_translations(self, form):
            return get_translations()

    def flash_errors(self) -> None:
        """Each field's messages, flashed for the page the person is sent back to."""
        for errors in self.errors.values():
            for error in errors:
                flash(str(error), "error")


class KhetAdminForm(BaseForm):
    """The base of admin console forms."""

    class Meta:
        def get_translations(self, form):
            return get_translations()


class LazyForms:
    """A page's forms by name, each built the first time the page shows it (``forms.status``).

    A record's page may offer a dozen actions and show the few that the record's state and the
    reader allow. Building a form (its fields, CSRF token, translations, often a query for its
    choices) costs as much as writing a dozen lines of the page; a form the page does not show
    is never built.
    """

    def __init__(self, **builders: Callable[[], FlaskForm]) -> None:
        self._builders = builders

    def __getattr__(self, name: str) -> FlaskForm:
        builder = self.__dict__["_builders"].get(name)
        if builder is None:
            raise AttributeError(name)
        form = builder()
        setattr(self, name, form)  # the next read finds it without coming here
        return form
