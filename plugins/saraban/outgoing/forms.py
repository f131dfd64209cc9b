"""Forms of drafting and sending: the draft, sending to schools, the school groups."""

from __future__ import annotations

from wtforms import BooleanField, IntegerField, MultipleFileField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from core.forms import KhetForm, SelectField, SelectMultipleField
from core.i18n import lazy_gettext as _l
from plugins.saraban.forms import ACCEPTED, FILES_HINT, LetterForm, optional_int
from plugins.saraban.models import SECRECY_LABELS, Secrecy
from plugins.saraban.outgoing.models import CHANNEL_LABELS, DRAFT_FORM_LABELS, DraftForm
from plugins.saraban.outgoing.sending import NOTE_LENGTH

LINES_HINT = _l("One per line")


def _choices(labels: dict) -> list[tuple[str, object]]:
    return [(value.value, label) for value, label in labels.items()]


class RecipientsMixin:
    """The schools a letter goes to: one by one, by saved group, or both, and the channel."""

    schools = SelectMultipleField(_l("Schools"), coerce=int, validators=[Optional()])
    groups = SelectMultipleField(_l("School groups"), coerce=int, validators=[Optional()])
    channel = SelectField(_l("Channel"), choices=_choices(CHANNEL_LABELS))


class DraftingForm(RecipientsMixin, KhetForm):
    """บันทึกข้อความ or หนังสือภายนอก: its parts in the regulation's order."""

    form = SelectField(_l("Form"), choices=_choices(DRAFT_FORM_LABELS), default=DraftForm.MEMO.value)
    circular = BooleanField(
        _l("Circular letter (numbered in the “ว” series)"),
        description=_l("The same text to many recipients, e.g. every school of the office."),
    )
    unit = SelectField(_l("Unit that owns the matter"), coerce=optional_int, validators=[DataRequired()])
    agency = StringField(_l("Agency (ส่วนราชการ)"), validators=[Optional(), Length(max=300)])
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=500)])
    addressee = StringField(_l("To (เรียน)"), validators=[DataRequired(), Length(max=300)])
    referred_to = TextAreaField(
        _l("Reference (อ้างถึง)"), validators=[Optional(), Length(max=5000)], description=LINES_HINT
    )
    enclosures = TextAreaField(
        _l("Enclosures (สิ่งที่ส่งมาด้วย)"), validators=[Optional(), Length(max=5000)], description=LINES_HINT
    )
    body = TextAreaField(
        _l("Text of the letter"),
        validators=[DataRequired(), Length(max=20_000)],
        description=_l("One paragraph per line; each is indented as the regulation prints it."),
    )
    closing = StringField(_l("Closing (external letter)"), validators=[Optional(), Length(max=100)])
    address = TextAreaField(
        _l("Address of the agency (external letter)"), validators=[Optional(), Length(max=1000)]
    )
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=100)])
    email = StringField(
        _l("E-mail"),
        validators=[
            Optional(),
            Length(max=254),
            Regexp(
                r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                message=_l("Write an e-mail address, e.g. saraban@example.go.th."),
            ),
        ],
    )
    signer = SelectField(_l("Signed by"), coerce=optional_int, validators=[DataRequired()])
    signer_position = StringField(
        _l("Position of the signer"),
        validators=[Optional(), Length(max=300)],
        description=_l("As printed under the name; the person's position when left empty."),
    )
    urgency = LetterForm.urgency
    urgent_by_date = LetterForm.urgent_by_date
    urgent_by_time = LetterForm.urgent_by_time
    secrecy = SelectField(
        _l("Secrecy"),
        choices=[(s.value, label) for s, label in SECRECY_LABELS.items() if s is not Secrecy.TOP_SECRET],
        description=_l("A top secret letter is drafted on paper: the system keeps no text of it."),
    )
    retention = LetterForm.retention
    files = MultipleFileField(_l("Enclosed files"), description=FILES_HINT, render_kw={"accept": ACCEPTED})


class FilesForm(KhetForm):
    files = MultipleFileField(_l("Add files"), description=FILES_HINT, render_kw={"accept": ACCEPTED})


class ConfirmForm(KhetForm):
    """A button that changes something: only its CSRF token."""


class VersionedForm(KhetForm):
    """A step on an approval request, made on the version of it the page showed."""

    version = IntegerField(validators=[DataRequired()])


class SendForm(RecipientsMixin, KhetForm):
    note = StringField(
        _l("Note on sending"),
        validators=[Optional(), Length(max=NOTE_LENGTH)],
        description=_l("e.g. the registered-mail number or the e-mail address used"),
    )


class SchoolGroupForm(KhetForm):
    name = StringField(_l("Name of the group"), validators=[DataRequired(), Length(max=200)])
    schools = SelectMultipleField(_l("Schools"), coerce=int, validators=[Optional()])
