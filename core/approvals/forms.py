"""The one form of the request page: every action posts it, with the version it was shown."""

from __future__ import annotations

from wtforms import HiddenField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from core.forms import KhetForm
from core.i18n import lazy_gettext as _l


class ActionForm(KhetForm):
    action = HiddenField(validators=[DataRequired()])
    version = IntegerField(widget=HiddenInput(), validators=[DataRequired()])
    decision = HiddenField()
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=4000)])
    password = PasswordField(_l("Your password (electronic signature)"), validators=[Optional()])
    target = StringField(_l("Pass to (e-mail)"), validators=[Optional(), Length(max=254)])
