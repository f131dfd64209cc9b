"""A page's forms are built when the page shows them, and once."""

from __future__ import annotations

import pytest
from wtforms import StringField

from core.forms.base import KhetForm, LazyForms


class NoteForm(KhetForm):
    note = StringField()


def test_a_form_is_built_when_first_read_and_kept(web):
    built: list[str] = []

    def note() -> NoteForm:
        built.append("note")
        return NoteForm()

    def never() -> NoteForm:
        built.append("never")
        return NoteForm()

    with web.test_request_context("/"):
        forms = LazyForms(note=note, hidden=never)
        assert built == []
        first = forms.note
        assert isinstance(first, NoteForm) and forms.note is first
        assert built == ["note"]  # the form nobody read was never built
        rendered = web.jinja_env.from_string("{{ forms.note.note() }}").render(forms=forms)
        assert 'name="note"' in rendered and built == ["note"]


def test_an_unknown_form_is_an_attribute_error_so_templates_see_it_undefined(web):
    with web.test_request_context("/"):
        forms = LazyForms(note=NoteForm)
        with pytest.raises(AttributeError):
            _ = forms.missing
        assert web.jinja_env.from_string("{{ forms.missing is defined }}").render(forms=forms) == "False"
