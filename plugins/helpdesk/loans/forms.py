"""The loan form (แบบบันทึกขอยืมวัสดุอุปกรณ์) and the centre's return form."""

from __future__ import annotations

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from core.forms import KhetForm, SelectField
from core.forms.dates import ThaiDateField
from core.i18n import lazy_gettext as _l
from plugins.helpdesk.loans.models import CONDITION_LABELS


class LoanForm(KhetForm):
    items = StringField(_l("What do you want to borrow?"), validators=[DataRequired(), Length(max=300)])
    asset_number = StringField(_l("Asset number (if you know it)"), validators=[Optional(), Length(max=60)])
    purpose = TextAreaField(_l("Purpose"), validators=[DataRequired(), Length(max=2000)])
    start_on = ThaiDateField(_l("From"), validators=[DataRequired()])
    due_on = ThaiDateField(_l("Due back"), validators=[DataRequired()])


class ReturnForm(KhetForm):
    condition = SelectField(
        _l("Condition on return"), choices=[(c.value, label) for c, label in CONDITION_LABELS.items()]
    )
    note = TextAreaField(_l("Note on return"), validators=[Optional(), Length(max=2000)])
