"""Select fields whose options are written out directly.

WTForms builds every option through ``html_params``, a dictionary and a ``Markup`` format: the
thirty units of a register's filter cost 0.8 ms of a page that takes 17. An option without
attributes of its own needs none of that. Forms use these fields, not WTForms' own (ruff bans
those imports).
"""

from __future__ import annotations

from typing import Any

import wtforms
from markupsafe import escape
from wtforms.widgets import Select


class OptionsSelect(Select):
    """WTForms' ``Select`` with plain options written by one format each."""

    @classmethod
    def render_option(cls, choice: Any, **kwargs: Any) -> str:
        if choice.render_kw or kwargs:
            return super().render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = " selected" if choice.selected else ""
        return f'<option value="{escape(value)}"{selected}>{escape(choice.label or value)}</option>'


class SelectField(wtforms.SelectField):  # noqa: TID251
    widget = OptionsSelect()


class SelectMultipleField(wtforms.SelectMultipleField):  # noqa: TID251
    widget = OptionsSelect(multiple=True)
