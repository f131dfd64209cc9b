"""Forms of the destruction lists; every one carries its CSRF token (KhetForm)."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from core.forms import KhetForm, SelectField, ThaiDateField
from core.i18n import lazy_gettext as _l
from plugins.saraban.forms import optional_int

PERMANENTLY = "permanent"


class ActionForm(KhetForm):
    """A button that needs nothing but the token (put back, draft)."""


class TakeOffForm(KhetForm):
    reason = StringField(_l("Why (optional)"), validators=[Optional(), Length(max=500)])


class SendForm(KhetForm):
    chair = SelectField(_l("Chair of the committee"), coerce=optional_int, validators=[InputRequired()])


class KeepForm(KhetForm):
    until = SelectField(_l("Keep it"), validators=[DataRequired()])
    reason = TextAreaField(_l("Why it is kept"), validators=[DataRequired(), Length(max=2000)])


class ArchivesForm(KhetForm):
    agreed_on = ThaiDateField(_l("Date of the National Archives' letter"), validators=[DataRequired()])
    reference = StringField(
        _l("Its number (ที่)"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("As printed on the National Archives' letter of agreement"),
    )


class DestroyForm(KhetForm):
    confirm = BooleanField(
        _l("The letters on the list have been destroyed as the committee and the National Archives agreed"),
        validators=[DataRequired()],
    )


class DraftForm(KhetForm):
    year = HiddenField(validators=[DataRequired()])
