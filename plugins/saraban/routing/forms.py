"""Forms of routing and endorsing: every one carries the CSRF token; the panel prefixes each
form so that its fields never clash with the letter page's own."""

from __future__ import annotations

from wtforms import IntegerField, PasswordField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from core.forms import KhetForm, SelectField
from core.i18n import lazy_gettext as _l
from plugins.saraban.forms import optional_int
from plugins.saraban.routing.proposals import NOTE_LENGTH
from plugins.saraban.routing.services import INSTRUCTION_LENGTH


class RouteForm(KhetForm):
    to = SelectField(_l("Send to"), validators=[DataRequired()])
    instruction = TextAreaField(
        _l("Instruction"),
        validators=[Optional(), Length(max=INSTRUCTION_LENGTH)],
        description=_l("e.g. for action, for information, reply by Friday"),
    )


class AcknowledgeForm(KhetForm):
    """A button: the token is the whole form."""


class DoneForm(KhetForm):
    note = TextAreaField(_l("What was done"), validators=[DataRequired(), Length(max=INSTRUCTION_LENGTH)])


class NoteForm(KhetForm):
    """บันทึกเสนอ: เรื่องเดิม, ข้อเท็จจริง, ข้อเสนอ."""

    background = TextAreaField(
        _l("Background"),
        validators=[Optional(), Length(max=NOTE_LENGTH)],
        description=_l("What came before: the letter received, earlier correspondence"),
    )
    facts = TextAreaField(
        _l("Facts"),
        validators=[DataRequired(), Length(max=NOTE_LENGTH)],
        description=_l("The facts, rules and other information the decision rests on"),
    )
    proposal = TextAreaField(
        _l("Proposal"),
        validators=[DataRequired(), Length(max=NOTE_LENGTH)],
        description=_l("What you propose the superiors decide"),
    )


class ProposalForm(NoteForm):
    group = SelectField(
        _l("Group"),
        coerce=optional_int,
        validators=[DataRequired()],
        description=_l("Its director considers the letter first"),
    )


class ReviseForm(NoteForm):
    version = IntegerField(widget=HiddenInput(), validators=[DataRequired()])


class EndorseForm(KhetForm):
    version = IntegerField(widget=HiddenInput(), validators=[DataRequired()])
    decision = RadioField(_l("Decision"), validators=[DataRequired()])
    to = SelectField(
        _l("Unit or person"),
        validators=[Optional()],
        description=_l("For “assign to” and “ask for an opinion”"),
    )
    comment = TextAreaField(_l("Comment or order"), validators=[Optional(), Length(max=INSTRUCTION_LENGTH)])
    password = PasswordField(
        _l("Your password (electronic signature)"),
        validators=[Optional()],
        description=_l("Decisions are signed with it; returning and asking for an opinion are not"),
    )
