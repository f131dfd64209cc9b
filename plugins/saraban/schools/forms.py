"""Forms of the schools' side: a letter to the office, and the registry registering or returning it."""

from __future__ import annotations

from wtforms import MultipleFileField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from core.forms import KhetForm, SelectField, ThaiDateField
from core.i18n import lazy_gettext as _l
from plugins.saraban.forms import ACCEPTED, FILES_HINT, LetterForm, optional_int
from plugins.saraban.schools.services import TEXT_LENGTH


class SchoolLetterForm(KhetForm):
    document_number = StringField(
        _l("Document number of your school"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("As printed on the letter, e.g. ศธ 04123.045/12"),
    )
    dated = ThaiDateField(_l("Dated"), validators=[Optional()])
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=500)])
    addressee = StringField(_l("To (เรียน)"), validators=[DataRequired(), Length(max=300)])
    urgency = LetterForm.urgency
    note = TextAreaField(
        _l("Note to the office's registry"), validators=[Optional(), Length(max=TEXT_LENGTH)]
    )
    files = MultipleFileField(
        _l("The letter and its enclosures"), description=FILES_HINT, render_kw={"accept": ACCEPTED}
    )


class RegisterArrivalForm(KhetForm):
    unit = SelectField(_l("Unit"), coerce=optional_int, validators=[Optional()])
    retention = LetterForm.retention


class ReturnForm(KhetForm):
    reason = TextAreaField(
        _l("Why does it go back to the school?"), validators=[DataRequired(), Length(max=TEXT_LENGTH)]
    )
