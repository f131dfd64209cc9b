"""The chain editor's form: a title and its steps, with a few blank rows to add more."""

from __future__ import annotations

from wtforms import BooleanField, FieldList, FloatField, Form, FormField, IntegerField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from core.approvals.models import STEP_LABELS, ApproverRule, Quorum, ReturnTo
from core.forms import KhetForm, SelectField
from core.i18n import lazy_gettext as _l
from core.state import khet

RULE_LABELS = {
    ApproverRule.ROLE_IN_UNIT: _l("Role over the requester's unit"),
    ApproverRule.ROLE_IN_PARENT: _l("Role over the unit above the requester's"),
    ApproverRule.ROLE_IN_OFFICE: _l("Role over the requester's office"),
    ApproverRule.ROLE_IN_FIXED_UNIT: _l("Role over a chosen unit"),
    ApproverRule.USER: _l("A chosen person"),
    ApproverRule.RESOLVER: _l("Named by the plugin"),
}
QUORUM_LABELS = {
    Quorum.ANY: _l("Any one of them"),
    Quorum.ALL: _l("All of them"),
    Quorum.COUNT: _l("A number of them"),
}
RETURN_LABELS = {ReturnTo.REQUESTER: _l("The requester"), ReturnTo.PREVIOUS: _l("The previous step")}
BLANK_ROWS = 2


def _choices(labels) -> list[SelectChoice]:
    return [SelectChoice(key.value, label) for key, label in labels.items()]


def _roles() -> list[SelectChoice]:
    return [SelectChoice("", "—"), *(SelectChoice(name, name) for name in sorted(khet().registry.roles))]


def _vocabularies() -> list[SelectChoice]:
    vocabularies = khet().registry.decision_vocabularies.values()
    return [SelectChoice(v.name, " / ".join(d.endorsement for d in v.decisions)) for v in vocabularies]


class StepForm(Form):
    """One step; a row left without a name is dropped when saved."""

    name = StringField(STEP_LABELS["name"], validators=[Optional(), Length(max=200)])
    rule = SelectField(STEP_LABELS["rule"], choices=_choices(RULE_LABELS))
    role_name = SelectField(STEP_LABELS["role_name"], choices=_roles, validators=[Optional()])
    unit_id = IntegerField(STEP_LABELS["unit_id"], validators=[Optional()])
    user_email = StringField(STEP_LABELS["user_id"], validators=[Optional(), Length(max=254)])
    quorum = SelectField(STEP_LABELS["quorum"], choices=_choices(QUORUM_LABELS))
    quorum_count = IntegerField(
        STEP_LABELS["quorum_count"], validators=[Optional(), NumberRange(min=1, max=50)]
    )
    return_to = SelectField(STEP_LABELS["return_to"], choices=_choices(RETURN_LABELS))
    comment_on_approve = BooleanField(STEP_LABELS["comment_on_approve"])
    allow_self_approval = BooleanField(STEP_LABELS["allow_self_approval"])
    sla_hours = FloatField(STEP_LABELS["sla_hours"], validators=[Optional(), NumberRange(min=0.5, max=2000)])
    vocabulary = SelectField(STEP_LABELS["vocabulary"], choices=_vocabularies)


class ChainForm(KhetForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    steps = FieldList(FormField(StepForm), min_entries=1)
