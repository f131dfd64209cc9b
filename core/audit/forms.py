"""The audit viewer's filters: a GET form, so a filtered view is a link that can be shared."""

from __future__ import annotations

from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from core.forms import KhetForm, SelectField, ThaiDateField
from core.i18n import gettext as _
from core.i18n import lazy_gettext as _l
from core.state import khet


def _type_choices() -> list[SelectChoice]:
    types = sorted(khet().registry.audit_types.values(), key=lambda t: t.name)
    return [SelectChoice("", _l("Any")), *(SelectChoice(t.name, f"{_(t.summary)} · {t.name}") for t in types)]


def _plugin_choices() -> list[SelectChoice]:
    return [
        SelectChoice("", _l("Any")),
        SelectChoice("core", _l("Core")),
        *(SelectChoice(name, str(record.title)) for name, record in khet().registry.plugins.items()),
    ]


class AuditFilterForm(KhetForm):
    class Meta:
        csrf = False  # reading only: the filters travel in the URL

    person = StringField(_l("Person"), validators=[Optional()], description=_l("E-mail or part of a name"))
    type = SelectField(_l("Event"), choices=_type_choices, validators=[Optional()])
    plugin = SelectField(_l("Plugin"), choices=_plugin_choices, validators=[Optional()])
    record = StringField(_l("Record"), validators=[Optional()], description=_l("e.g. core.user:12"))
    since = ThaiDateField(_l("From"), validators=[Optional()])
    until = ThaiDateField(_l("To"), validators=[Optional()])
