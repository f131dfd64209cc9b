"""The form that uploads an asset register."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired

from core.forms import KhetForm, SelectField
from core.i18n import lazy_gettext as _l


class ImportForm(KhetForm):
    # Only installation administrators choose; everyone else imports into their own office.
    office = SelectField(_l("Office"), coerce=int)
    file = FileField(_l("File (CSV or Excel .xlsx)"), validators=[FileRequired(_l("Choose a file."))])
