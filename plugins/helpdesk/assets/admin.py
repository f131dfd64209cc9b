"""The asset register in the admin console: list, record pages, and import from a file."""

from __future__ import annotations

from flask import abort, flash, redirect
from flask_admin import expose
from flask_admin.contrib.sqla.filters import BooleanEqualFilter, FilterEqual, IntEqualFilter
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from core.admin.base import OfficeScopedAjaxLoader, OfficeScopedModelView
from core.auth.models import User
from core.auth.permissions import can
from core.db import db
from core.documents.download import download
from core.forms import SelectField
from core.i18n import gettext as _
from core.i18n import lazy_gettext as _l
from core.i18n.collation import thai_order
from core.org.models import OrgUnit
from plugins.helpdesk.assets.contributions import MANAGE, VIEW
from plugins.helpdesk.assets.forms import ImportForm
from plugins.helpdesk.assets.importer import (
    MAX_BYTES,
    ImportConflict,
    UploadError,
    import_assets,
    template_workbook,
)
from plugins.helpdesk.assets.models import (
    ASSET_LABELS,
    ASSET_STATUS_LABELS,
    ASSET_TYPE_LABELS,
    Asset,
    AssetStatus,
    AssetType,
)
from plugins.helpdesk.assets.services import AssetError, check_asset, office_units, repair_history

SHOWN_PROBLEMS = 500  # a report longer than this helps nobody; the count says how many more

FIELDS = [
    "asset_number",
    "asset_type",
    "brand",
    "model",
    "serial_number",
    "location",
    "owner",
    "owner_name",
    "purchase_date",
    "warranty_end",
    "vendor",
    "vendor_contact",
    "contract_number",
    "leased",
    "status",
    "note",
]

ASSET_ERRORS = {
    "location_required": _l("Choose where the asset stands."),
    "owner_elsewhere": _l("The owner must be a person of the asset's office."),
    "number_required": _l("Enter the asset number."),
    "number_taken": _l("The office already has an asset with this number."),
}


class LocationFilter(IntEqualFilter):
    """Filter by location; the choices are the reader's office's units, read per request."""

    def current_options(self) -> list[tuple[int, str]]:
        if current_user.office_id is None:
            return []
        return [(unit.id, unit.name) for unit in office_units(current_user.office_id)]


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(value.value, str(label)) for value, label in labels.items()]


def _options(labels: dict) -> list[tuple[str, object]]:
    return [(value.value, label) for value, label in labels.items()]


def _unknown_choice(field) -> bool:
    """A look-up field sent a value that its loader did not find (or may not show)."""
    sent = (field.raw_data or [""])[0]
    return sent not in ("", "__None") and field.data is None


def _yes_no(view, context, model, name) -> str:
    return _("Yes") if getattr(model, name) else ""


class AssetAdmin(OfficeScopedModelView):
    """Assets of the reader's office. Written off, never deleted: tickets keep their asset."""

    permission = VIEW
    can_delete = False
    column_list = [
        "asset_number",
        "asset_type",
        "brand",
        "model",
        "serial_number",
        "location",
        "owner",
        "warranty_end",
        "leased",
        "status",
    ]
    column_labels = ASSET_LABELS
    column_formatters = {
        "asset_type": lambda v, c, m, p: str(m.type_label),
        "status": lambda v, c, m, p: str(m.status_label),
        "owner": lambda v, c, m, p: m.owner_display,
        "leased": _yes_no,
    }
    column_formatters_detail = {**column_formatters}
    column_details_list = [name for name in FIELDS if name != "owner_name"]  # "owner" shows either
    # Only what an index of the office serves: the list stays quick at tens of thousands.
    column_sortable_list = ["asset_number", "warranty_end"]
    column_default_sort = ("asset_number", False)
    column_searchable_list = ["asset_number", "serial_number", "brand", "model"]
    column_filters = [
        FilterEqual(Asset.status, _l("Status"), options=_options(ASSET_STATUS_LABELS)),
        FilterEqual(Asset.asset_type, _l("Type"), options=_options(ASSET_TYPE_LABELS)),
        LocationFilter(Asset.location_id, _l("Location")),
        BooleanEqualFilter(Asset.leased, _l("Leased")),
    ]
    form_columns = FIELDS
    list_template = "helpdesk/assets/list.html"
    details_template = "helpdesk/assets/details.html"

    def __init__(self, **kwargs):
        self.form_ajax_refs = {
            "location": OfficeScopedAjaxLoader(
                "location", OrgUnit, permission=VIEW, fields=["name", "code"], page_size=20
            ),
            "owner": OfficeScopedAjaxLoader(
                "owner", User, permission=VIEW, fields=["name", "email"], page_size=20
            ),
        }
        super().__init__(Asset, **kwargs)

    # The register is the computer officers' daily tool, not administration: its own
    # permissions open it, without the rest of the console (docs/decisions.md).
    def allows(self, user) -> bool:
        return can(user, self.permission)

    @property
    def can_create(self) -> bool:
        return can(current_user, MANAGE)

    @property
    def can_edit(self) -> bool:
        return can(current_user, MANAGE)

    def scaffold_form(self):
        form_class = super().scaffold_form()
        form_class.asset_type = SelectField(
            ASSET_LABELS["asset_type"], choices=lambda: _choices(ASSET_TYPE_LABELS)
        )
        form_class.status = SelectField(
            ASSET_LABELS["status"],
            choices=lambda: _choices(ASSET_STATUS_LABELS),
            default=AssetStatus.IN_USE.value,
        )
        return form_class

    def on_model_change(self, form, model, is_created):
        if _unknown_choice(form.owner):  # the look-up drops another office's person silently
            raise ValidationError(str(ASSET_ERRORS["owner_elsewhere"]))
        model.asset_type = AssetType(model.asset_type)
        model.status = AssetStatus(model.status)
        try:
            check_asset(model)
        except AssetError as error:
            raise ValidationError(str(ASSET_ERRORS[error.reason])) from None

    def _get_filter_groups(self):
        groups = super()._get_filter_groups()
        for items in (groups or {}).values():
            for item in items:
                found = self._filters[item["index"]]
                if isinstance(found, LocationFilter):
                    item["options"] = found.current_options()
        return groups

    def render(self, template, **kwargs):
        if template == self.details_template and "model" in kwargs:
            kwargs["repairs"] = repair_history(kwargs["model"])
        return super().render(template, **kwargs)

    # --- import ---------------------------------------------------------------------------

    def _import_offices(self) -> list[OrgUnit]:
        if self.limited_to_office():
            return [current_user.office] if current_user.office else []
        return list(
            db.session.scalars(
                select(OrgUnit).where(OrgUnit.parent_id.is_(None)).order_by(thai_order(OrgUnit.name))
            )
        )

    @expose("/import/", methods=("GET", "POST"))
    def import_view(self):
        """Upload a CSV or XLSX register; a report of every bad row, or all rows imported."""
        if not can(current_user, MANAGE):
            abort(403)
        offices = self._import_offices()
        form = ImportForm()
        form.office.choices = [(office.id, office.name) for office in offices]
        if len(offices) == 1:
            form.office.data = offices[0].id
        problems, shown = [], SHOWN_PROBLEMS
        if form.validate_on_submit():
            office = next(o for o in offices if o.id == form.office.data)
            try:  # a byte more than allowed is enough to tell the file is too large
                checked = import_assets(office, form.file.data.read(MAX_BYTES + 1))
            except UploadError as error:
                form.file.errors.append(str(error.message))
            except ImportConflict:
                db.session.rollback()
                form.file.errors.append(
                    _(
                        "Someone registered one of these asset numbers meanwhile: nothing was imported. "
                        "Try again."
                    )
                )
            else:
                if checked.ok:
                    db.session.commit()
                    flash(_("%(count)d assets imported.", count=len(checked.assets)), "success")
                    return redirect(self.get_url(".index_view"))
                problems = checked.problems
        return self.render(
            "helpdesk/assets/import.html",
            form=form,
            offices=offices,
            problems=problems[:shown],
            more=max(len(problems) - shown, 0),
            total=len(problems),
        )

    @expose("/import/template.xlsx")
    def import_template(self):
        """An empty workbook with the column names and a sheet that explains them."""
        if not can(current_user, MANAGE):
            abort(403)
        return download(template_workbook(), _("asset register") + ".xlsx", "xlsx")


def asset_admin_views() -> list:
    """Fresh instances for one application."""
    return [AssetAdmin(name=_l("Assets"), endpoint="helpdesk_assets")]
