"""Forms of the ICT service centre: asking, working a ticket, following it without an account."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from wtforms import (
    BooleanField,
    DecimalField,
    Field,
    MultipleFileField,
    RadioField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from core.forms import KhetForm, SelectField
from core.forms.dates import ThaiDateField
from core.i18n import lazy_gettext as _l
from core.i18n.thaidate import BANGKOK
from plugins.helpdesk.models import (
    ACCESS_LABELS,
    ACCOUNT_KIND_LABELS,
    ACCOUNT_LABELS,
    REQUEST_TYPE_LABELS,
    AccountDetails,
    AccountKind,
    RequestType,
)

TEXT_LENGTH = 5000
NO_UNIT = 0
PHOTO_INPUT = {"accept": "image/*", "multiple": True}  # a phone offers its camera or its gallery


def bangkok_moment(day: date | None, at: time | None) -> datetime | None:
    """A day and a time of the office's clock as the UTC instant the database keeps."""
    if day is None or at is None:
        return None
    return datetime.combine(day, at, BANGKOK).astimezone(UTC).replace(tzinfo=None)


def require(field: Field, message: object) -> bool:
    """Give ``field`` a message when it is empty (fields required by another field's choice)."""
    if field.data in (None, "", NO_UNIT):
        field.errors = [*field.errors, str(message)]
        return False
    return True


class AccountFields(KhetForm):
    """The fields of an account request; which are needed depends on the kind of account."""

    requester_position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    account_kind = RadioField(
        _l("Account asked for"),
        choices=[(kind.value, label) for kind, label in ACCOUNT_KIND_LABELS.items()],
        validators=[Optional()],
    )
    name_en = StringField(ACCOUNT_LABELS["name_en"], validators=[Optional(), Length(max=200)])
    wanted = StringField(ACCOUNT_LABELS["wanted"], validators=[Optional(), Length(max=200)])
    access = SelectField(
        ACCOUNT_LABELS["access"],
        choices=[("", "—"), *((level.value, label) for level, label in ACCESS_LABELS.items())],
        validators=[Optional()],
    )
    devices = TextAreaField(ACCOUNT_LABELS["devices"], validators=[Optional(), Length(max=1000)])

    def account_details(self) -> AccountDetails:
        return AccountDetails(
            AccountKind(self.account_kind.data),
            self.name_en.data,
            self.wanted.data,
            self.access.data or None,
            self.devices.data,
        )

    def account_complete(self) -> bool:
        """Messages on the fields the chosen kind needs and lacks; False when any is missing."""
        complete = require(self.requester_position, _l("Give your position."))
        if not require(self.account_kind, _l("Choose the account you need.")):
            return False
        for name in self.account_details().missing():
            complete = require(self[name], _l("Needed for this kind of account.")) and complete
        return complete


class TicketForm(AccountFields):
    """A few taps from a phone: what kind, what is wrong, how to reach you."""

    request_type = RadioField(
        _l("What do you need?"),
        choices=[(kind.value, label) for kind, label in REQUEST_TYPE_LABELS.items()],
        validators=[DataRequired(_l("Choose what you need."))],
    )
    title = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Details"), validators=[Optional(), Length(max=TEXT_LENGTH)])
    requester_phone = StringField(_l("Telephone"), validators=[Optional(), Length(max=40)])
    asset_number = StringField(_l("Asset number (if you know it)"), validators=[Optional(), Length(max=60)])
    photos = MultipleFileField(_l("Photos (up to 5)"), render_kw=PHOTO_INPUT)
    service_on = ThaiDateField(_l("Date wanted"), validators=[Optional()])
    service_time = TimeField(_l("Time wanted"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.request_type.data == RequestType.ACCOUNT:
            return self.account_complete()
        if self.request_type.data == RequestType.GENERAL:
            complete = require(self.requester_position, _l("Give your position."))
            complete = require(self.service_on, _l("Give the date you need the service.")) and complete
            return require(self.service_time, _l("Give the time you need the service.")) and complete
        return True

    @property
    def service_at(self) -> datetime | None:
        if self.request_type.data != RequestType.GENERAL:
            return None
        return bangkok_moment(self.service_on.data, self.service_time.data)

    @property
    def account(self) -> AccountDetails | None:
        return self.account_details() if self.request_type.data == RequestType.ACCOUNT else None


class StatusForm(KhetForm):
    status = SelectField(_l("New status"), validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=TEXT_LENGTH)])


class AssignForm(KhetForm):
    assignee = SelectField(_l("Technician"), coerce=int, validators=[DataRequired()])


class EntryForm(KhetForm):
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=TEXT_LENGTH)])
    internal = BooleanField(_l("Staff only (the requester does not see it)"))
    photos = MultipleFileField(_l("Photos"), render_kw=PHOTO_INPUT)


class ReopenForm(KhetForm):
    reason = TextAreaField(_l("What is still wrong?"), validators=[DataRequired(), Length(max=TEXT_LENGTH)])


class MergeForm(KhetForm):
    into = StringField(_l("Number of the ticket to merge into"), validators=[DataRequired(), Length(max=20)])


class TrackForm(KhetForm):
    number = StringField(_l("Ticket number"), validators=[DataRequired(), Length(max=20)])
    code = StringField(_l("Access code"), validators=[DataRequired(), Length(max=20)])


class PhoneCallForm(KhetForm):
    """A call taken at the ICT centre: answered at once, or a call-back promised."""

    ANSWERED, CALLBACK = "answered", "callback"

    caller_name = StringField(_l("Caller"), validators=[DataRequired(), Length(max=200)])
    caller_phone = StringField(_l("Telephone"), validators=[Optional(), Length(max=40)])
    caller_unit = SelectField(_l("Group or school"), coerce=int, default=NO_UNIT)
    question = StringField(_l("Question or problem"), validators=[DataRequired(), Length(max=200)])
    details = TextAreaField(_l("Details"), validators=[Optional(), Length(max=TEXT_LENGTH)])
    outcome = RadioField(
        _l("Answer"),
        choices=[(ANSWERED, _l("Answered at once")), (CALLBACK, _l("Call back later"))],
        validators=[DataRequired(_l("Say whether you answered or will call back."))],
    )
    advice = TextAreaField(_l("What you advised"), validators=[Optional(), Length(max=TEXT_LENGTH)])
    callback_on = ThaiDateField(_l("Call back on"), validators=[Optional()])
    callback_time = TimeField(_l("Call back at (time)"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.outcome.data == self.ANSWERED:
            return require(self.advice, _l("Write what you advised."))
        on = require(self.callback_on, _l("Choose the day of the call-back."))
        return require(self.callback_time, _l("Choose the time of the call-back.")) and on

    @property
    def callback_at(self) -> datetime | None:
        if self.outcome.data != self.CALLBACK:
            return None
        return bangkok_moment(self.callback_on.data, self.callback_time.data)


class AnswerForm(KhetForm):
    advice = TextAreaField(_l("What you advised"), validators=[DataRequired(), Length(max=TEXT_LENGTH)])


class CallbackForm(KhetForm):
    callback_on = ThaiDateField(_l("Call back on"), validators=[DataRequired()])
    callback_time = TimeField(_l("Call back at (time)"), validators=[DataRequired()])
    reason = StringField(_l("Why (when moving a call-back)"), validators=[Optional(), Length(max=500)])

    @property
    def callback_at(self) -> datetime | None:
        return bangkok_moment(self.callback_on.data, self.callback_time.data)


class StepForm(KhetForm):
    step = SelectField(_l("Step"), validators=[DataRequired()])
    note = TextAreaField(_l("What you found or did"), validators=[Optional(), Length(max=TEXT_LENGTH)])


class NoteForm(KhetForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=TEXT_LENGTH)])


class PartsForm(KhetForm):
    """รายการอะไหล่: what to buy, about how much, and why."""

    items = TextAreaField(_l("Parts needed"), validators=[DataRequired(), Length(max=TEXT_LENGTH)])
    estimated_cost = DecimalField(
        _l("Estimated cost (baht)"),
        places=2,
        validators=[InputRequired(), NumberRange(min=0, max=9_999_999)],
    )
    reason = TextAreaField(_l("Why they are needed"), validators=[DataRequired(), Length(max=TEXT_LENGTH)])


class AskForm(KhetForm):
    missing = TextAreaField(_l("What is missing"), validators=[DataRequired(), Length(max=TEXT_LENGTH)])


class CompleteForm(AccountFields):
    """The requester gives what was missing (an account request: its fields again)."""

    message = TextAreaField(_l("Your answer"), validators=[Optional(), Length(max=TEXT_LENGTH)])

    def check(self, ticket) -> bool:
        if ticket.request_type == RequestType.ACCOUNT:
            return self.account_complete()
        return require(self.message, _l("Write the information that was asked for."))
