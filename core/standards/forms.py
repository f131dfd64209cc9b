"""The office's settings of one service, and the satisfaction survey."""

from __future__ import annotations

from wtforms import BooleanField, Form, FormField, IntegerField, RadioField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from core.forms import KhetForm, SelectField, SelectMultipleField
from core.i18n import current_language
from core.i18n import lazy_gettext as _l
from core.i18n.thaidate import month_names
from core.standards.contributions import ALL_MONTHS
from core.standards.display import UNIT_LABELS, Unit, split_limit, unit_minutes
from core.standards.services import OfficeService
from core.standards.survey import COMMENT_LENGTH, QUESTIONNAIRE, SCALE, SCALE_LABELS

LONGEST_LIMIT = 60 * 24 * 365  # minutes: a year is more than any standard should allow


class MonthsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LimitForm(Form):
    amount = IntegerField(
        _l("Time allowed"), validators=[InputRequired(), NumberRange(min=1, max=LONGEST_LIMIT)]
    )
    unit = SelectField(_l("Unit"), choices=[u.value for u in Unit])


def settings_form(run: OfficeService, formdata=None) -> KhetForm:
    """The edit form of one service, filled with the office's current settings."""

    class ServiceSettingsForm(KhetForm):
        enabled = BooleanField(_l("Offered by this office"), default=run.enabled)
        months = MonthsField(
            _l("Months in the operation plan"),
            coerce=int,
            choices=[(m, name) for m, name in _month_choices()],
            default=list(run.months),
        )

    for standard in run.service.standards:
        amount, unit = split_limit(run.limits[standard.key], standard.clock)
        subform = type(f"Limit_{standard.key}", (LimitForm,), {})
        field = FormField(subform, label=standard.title, default={"amount": amount, "unit": unit.value})
        setattr(ServiceSettingsForm, f"limit_{standard.key}", field)
    form = ServiceSettingsForm(formdata=formdata)
    for standard in run.service.standards:
        getattr(form, f"limit_{standard.key}").unit.choices = [
            (unit.value, label) for unit, label in UNIT_LABELS[standard.clock].items()
        ]
    return form


def limits_from(form: KhetForm, run: OfficeService) -> dict[str, int]:
    """Minutes allowed per standard, from a validated settings form."""
    limits = {}
    for standard in run.service.standards:
        entry = getattr(form, f"limit_{standard.key}")
        limits[standard.key] = entry.amount.data * unit_minutes(Unit(entry.unit.data), standard.clock)
        if limits[standard.key] > LONGEST_LIMIT:
            entry.amount.errors = [*entry.amount.errors, _l("That is longer than a year.")]
    return limits


def _month_choices() -> list[tuple[int, str]]:
    names = month_names("abbreviated", current_language())
    return [(month, names[month]) for month in ALL_MONTHS]


class SurveyForm(KhetForm):
    """Built from the questionnaire: one 5-point radio per item, then comments."""

    comment = TextAreaField(
        _l("Comments and suggestions"), validators=[Optional(), Length(max=COMMENT_LENGTH)]
    )


for _aspect in QUESTIONNAIRE:
    for _item in _aspect.items:
        setattr(
            SurveyForm,
            _item.key.replace(".", "__"),
            RadioField(
                _item.text,
                coerce=int,
                choices=[(score, SCALE_LABELS[score]) for score in SCALE],
                validators=[InputRequired(_l("Choose a rating from 1 to 5."))],
            ),
        )
