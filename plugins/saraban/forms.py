"""Forms of the registers: registering a letter, cancelling an entry, the register's filters, settings."""

from __future__ import annotations

from wtforms import IntegerField, MultipleFileField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from core.forms import KhetForm, SelectField, SelectMultipleField, ThaiDateField
from core.i18n import lazy_gettext as _l
from plugins.saraban.models import (
    KIND_LABELS,
    REGISTER_LABELS,
    RETENTION_LABELS,
    SECRECY_LABELS,
    SUBTYPE_LABELS,
    SUBTYPES,
    URGENCY_LABELS,
    LetterKind,
    LetterSubtype,
    Retention,
)

TEXT_LENGTH = 5000
FILES_HINT = _l("PDF, pictures or Office documents; up to 5 files at a time")
ACCEPTED = ".pdf,.png,.jpg,.jpeg,.webp,.gif,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp"
ANY = SelectChoice("", _l("Any"))


def optional_int(value: object) -> int | None:
    """A select's value as a number; the empty choice (and anything else) as None."""
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def kind_choices() -> list[tuple[str, object]]:
    """One choice per kind, or per kind and sub-type: ``directive.order`` is คำสั่ง."""
    choices: list[tuple[str, object]] = []
    for kind, label in KIND_LABELS.items():
        subtypes = SUBTYPES.get(kind)
        if not subtypes:
            choices.append((kind.value, label))
        for subtype in subtypes or ():
            choices.append((f"{kind.value}.{subtype.value}", f"{label}: {SUBTYPE_LABELS[subtype]}"))
    return choices


def parse_kind(value: str) -> tuple[LetterKind, LetterSubtype | None]:
    kind, _dot, subtype = value.partition(".")
    return LetterKind(kind), LetterSubtype(subtype) if subtype else None


def _choices(labels: dict) -> list[tuple[str, object]]:
    return [(value.value, label) for value, label in labels.items()]


class LetterForm(KhetForm):
    """The register's columns, and what the regulation asks besides (kind, urgency, secrecy)."""

    kind = SelectField(_l("Kind of letter"), choices=kind_choices, default=LetterKind.EXTERNAL.value)
    document_number = StringField(
        _l("Document number"),
        validators=[Optional(), Length(max=100)],
        description=_l("As printed on the letter, e.g. ศธ 04002/ว 1234"),
    )
    dated = ThaiDateField(_l("Dated"), validators=[Optional()])
    sender = StringField(_l("Sender"), validators=[Optional(), Length(max=300)])
    addressee = StringField(_l("Addressee"), validators=[Optional(), Length(max=300)])
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=500)])
    action = TextAreaField(_l("Action taken"), validators=[Optional(), Length(max=TEXT_LENGTH)])
    remarks = TextAreaField(_l("Remarks"), validators=[Optional(), Length(max=TEXT_LENGTH)])
    urgency = SelectField(_l("Urgency"), choices=_choices(URGENCY_LABELS))
    urgent_by_date = ThaiDateField(_l("Urgent: needed by (date)"), validators=[Optional()])
    urgent_by_time = StringField(
        _l("Time"),
        validators=[
            Optional(),
            Regexp(r"^([01]?\d|2[0-3])[:.][0-5]\d$", message=_l("Write the time as 14:30.")),
        ],
    )
    secrecy = SelectField(_l("Secrecy"), choices=_choices(SECRECY_LABELS))
    unit = SelectField(_l("Unit"), coerce=optional_int, validators=[Optional()])
    retention = SelectField(
        _l("Retention"), choices=_choices(RETENTION_LABELS), default=Retention.TEN_YEARS.value
    )
    named = SelectMultipleField(
        _l("People who may read it"),
        coerce=int,
        validators=[Optional()],
        description=_l("A secret letter is read only by them, by you and by the head of the office."),
    )
    files = MultipleFileField(
        _l("Files of the letter"), description=FILES_HINT, render_kw={"accept": ACCEPTED}
    )


class AttachForm(KhetForm):
    files = MultipleFileField(_l("Add files"), description=FILES_HINT, render_kw={"accept": ACCEPTED})


class CancelForm(KhetForm):
    reason = TextAreaField(
        _l("Why is the entry cancelled?"), validators=[DataRequired(), Length(max=TEXT_LENGTH)]
    )


class RegisterFilterForm(KhetForm):
    """The register's filters: a GET form, so a filtered register is a link."""

    class Meta:
        csrf = False

    year = SelectField(_l("Year"), coerce=optional_int, validators=[Optional()])
    urgency = SelectField(_l("Urgency"), choices=[ANY, *_choices(URGENCY_LABELS)], validators=[Optional()])
    secrecy = SelectField(_l("Secrecy"), choices=[ANY, *_choices(SECRECY_LABELS)], validators=[Optional()])
    unit = SelectField(_l("Unit"), coerce=optional_int, validators=[Optional()])
    since = ThaiDateField(_l("Registered from"), validators=[Optional()])
    until = ThaiDateField(_l("Registered until"), validators=[Optional()])


class PrefixForm(KhetForm):
    unit = SelectField(_l("Unit"), coerce=optional_int, validators=[DataRequired()])
    prefix = StringField(
        _l("Document number prefix"),
        validators=[Optional(), Length(max=40)],
        description=_l("e.g. ศธ 04123; leave empty to use the office's"),
    )


class StartForm(KhetForm):
    register = SelectField(_l("Register"), choices=_choices(REGISTER_LABELS))
    year = SelectField(_l("Year"), coerce=optional_int, validators=[DataRequired()])
    start = IntegerField(
        _l("First number"),
        validators=[DataRequired(), NumberRange(min=1, max=10_000_000)],
        description=_l("The number after the last one of the paper book"),
    )
