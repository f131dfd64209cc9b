"""Forms of the ICT service centre: asking, working a ticket, following it without an account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from core.forms import KhetForm
from plugins.helpdesk.models import REQUEST_TYPE_LABELS

TEXT_LENGTH = 5000


class TicketForm(KhetForm):
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


class StatusForm(KhetForm):
    status = SelectField(_l("New status"), validators=[DataRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=TEXT_LENGTH)])


class AssignForm(KhetForm):
    assignee = SelectField(_l("Technician"), coerce=int, validators=[DataRequired()])


class EntryForm(KhetForm):
    body = TextAreaField(_l("Message"), validators=[DataRequired(), Length(max=TEXT_LENGTH)])
    internal = BooleanField(_l("Staff only (the requester does not see it)"))


class ReopenForm(KhetForm):
    reason = TextAreaField(_l("What is still wrong?"), validators=[DataRequired(), Length(max=TEXT_LENGTH)])


class MergeForm(KhetForm):
    into = StringField(_l("Number of the ticket to merge into"), validators=[DataRequired(), Length(max=20)])


class TrackForm(KhetForm):
    number = StringField(_l("Ticket number"), validators=[DataRequired(), Length(max=20)])
    code = StringField(_l("Access code"), validators=[DataRequired(), Length(max=20)])
