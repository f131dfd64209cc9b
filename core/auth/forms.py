from __future__ import annotations

from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from core.forms.base import KhetForm
from core.i18n import lazy_gettext as _l


class LoginForm(KhetForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class ChangePasswordForm(KhetForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )


class ReauthForm(KhetForm):
    password = PasswordField(_l("Password"), validators=[DataRequired()])
