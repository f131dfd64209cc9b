"""The duty assignments of the ICT service centre in the admin console, per office."""

from __future__ import annotations

from sqlalchemy import select
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from core.admin.base import OfficeScopedAjaxLoader, OfficeScopedModelView
from core.auth.models import User
from core.auth.permissions import can
from core.db import db
from core.forms import SelectField
from core.i18n import gettext as _
from core.i18n import lazy_gettext as _l
from core.org.models import OrgUnit
from plugins.helpdesk.models import DUTY_LABELS, REQUEST_TYPE_LABELS, DutyAssignment, RequestType
from plugins.helpdesk.permissions import DUTIES, WORK


class DutyAdmin(OfficeScopedModelView):
    """Who handles which requests (มอบหมายหน้าที่): the office administrator keeps the list."""

    permission = DUTIES
    column_list = ["request_type", "unit", "technician", "order_reference"]
    column_labels = DUTY_LABELS
    column_formatters = {
        "request_type": lambda v, c, m, p: str(m.type_label),
        "technician": lambda v, c, m, p: m.technician.name if m.technician else "",
    }
    column_formatters_detail = {**column_formatters}
    column_default_sort = ("request_type", False)
    form_columns = ["request_type", "unit", "technician", "order_reference"]
    form_overrides = {"request_type": SelectField}
    form_args = {
        "request_type": {
            "choices": lambda: [
                SelectChoice(kind.value, str(label)) for kind, label in REQUEST_TYPE_LABELS.items()
            ]
        }
    }

    def __init__(self, **kwargs):
        self.form_ajax_refs = {
            "unit": OfficeScopedAjaxLoader(
                "unit", OrgUnit, permission=DUTIES, fields=["name", "code"], page_size=20
            ),
            "technician": OfficeScopedAjaxLoader(
                "technician", User, permission=DUTIES, fields=["name", "email"], page_size=20
            ),
        }
        super().__init__(DutyAssignment, **kwargs)

    def scaffold_form(self):
        form_class = super().scaffold_form()
        form_class.request_type = SelectField(
            DUTY_LABELS["request_type"],
            choices=lambda: [
                SelectChoice(kind.value, str(label)) for kind, label in REQUEST_TYPE_LABELS.items()
            ],
        )
        return form_class

    def on_model_change(self, form, model, is_created):
        sent = (form.technician.raw_data or [""])[0]
        if sent not in ("", "__None") and model.technician is None:  # the look-up drops other offices' people
            raise ValidationError(_("Name a technician of the unit's office who works on tickets."))
        with db.session.no_autoflush:  # the new row is checked before it is written
            self._check(model)

    def _check(self, model) -> None:
        if model.unit is None:
            raise ValidationError(_("Choose the unit responsible for these requests."))
        model.office_id = model.unit.office_id
        model.request_type = RequestType(model.request_type).value
        person = model.technician
        if person is not None and (person.office_id != model.office_id or not can(person, WORK)):
            raise ValidationError(_("Name a technician of the unit's office who works on tickets."))
        if self._listed_already(model):
            raise ValidationError(_("This duty is already listed."))

    def _listed_already(self, model) -> bool:
        who = model.technician
        same = select(DutyAssignment.id).where(
            DutyAssignment.office_id == model.office_id,
            DutyAssignment.request_type == model.request_type,
            DutyAssignment.unit_id == model.unit.id,
            DutyAssignment.technician_id == who.id if who else DutyAssignment.technician_id.is_(None),
        )
        if model.id is not None:
            same = same.where(DutyAssignment.id != model.id)
        return db.session.scalar(same.limit(1)) is not None


def duty_admin_views() -> list:
    """Fresh instances for one application."""
    return [DutyAdmin(name=_l("Duty assignments"), endpoint="helpdesk_duties")]
