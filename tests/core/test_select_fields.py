"""Khet's select fields write plain options themselves and mean exactly what WTForms' would."""

from __future__ import annotations

import re

import wtforms
from markupsafe import Markup
from wtforms.fields.choices import SelectChoice

from core.forms import SelectField, SelectMultipleField

CHOICES = [
    SelectChoice("", "ทุกหน่วย"),
    SelectChoice(1, "งาน <ICT> & สื่อ"),
    SelectChoice(True, 'ค่า "จริง"'),
    SelectChoice("x", ""),
]
GROUPED = [
    SelectChoice("a", "ก", optgroup="กลุ่ม ก"),
    SelectChoice("b", "ข", render_kw={"disabled": True}, optgroup="กลุ่ม ข"),
]


def _options(html: str) -> list[tuple[str, ...]]:
    """Each option as its sorted attributes and its text: the order of attributes means nothing."""
    return [
        (*sorted(re.findall(r'(\w+)(?:="([^"]*)")?', attributes)), text)
        for attributes, text in re.findall(r"<option ([^>]*)>(.*?)</option>", html)
    ]


class Theirs(wtforms.Form):
    one = wtforms.SelectField(choices=CHOICES, coerce=str)  # noqa: TID251
    many = wtforms.SelectMultipleField(choices=CHOICES, coerce=str)  # noqa: TID251
    grouped = wtforms.SelectField(choices=GROUPED)  # noqa: TID251


class Ours(wtforms.Form):
    one = SelectField(choices=CHOICES, coerce=str)
    many = SelectMultipleField(choices=CHOICES, coerce=str)
    grouped = SelectField(choices=GROUPED)


def test_options_are_written_as_wtforms_writes_them():
    data = {"one": "1", "many": ["True", "x"], "grouped": "a"}
    theirs, ours = Theirs(data=data), Ours(data=data)
    for name in ("one", "many", "grouped"):
        mine, reference = ours[name](), theirs[name]()
        assert isinstance(mine, Markup)
        assert mine.split(">", 1)[0] == reference.split(">", 1)[0]  # the select itself
        assert _options(mine) == _options(reference)
        assert mine.count("<optgroup") == reference.count("<optgroup")
    assert "งาน &lt;ICT&gt; &amp; สื่อ" in ours.one() and "ค่า &#34;จริง&#34;" in ours.one()
    assert '<option value="1" selected>' in ours.one()
    assert ">x</option>" in ours.one()  # no label: the value is shown
