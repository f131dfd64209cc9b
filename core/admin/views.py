"""The admin console's core views: people, roles, grants, org units and plugins per office."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_login import current_user
from sqlalchemy import inspect, select
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from core.admin.base import (
    OfficeScopedAjaxLoader,
    OfficeScopedModelView,
    OfficeSettingsView,
    SecureModelView,
)
from core.approvals.admin import approval_admin_views
from core.audit.views import AuditView
from core.auth.models import Role, RoleAssignment, User
from core.auth.permissions import has_installation_scope
from core.auth.services import deactivate, reset_password
from core.auth.views import recently_authenticated, require_recent_password
from core.calendar.models import Holiday
from core.db import db
from core.forms import SelectField, SelectMultipleField
from core.i18n import gettext as _
from core.i18n import lazy_gettext as _l
from core.i18n.collation import thai_order
from core.i18n.filters import date_filter
from core.org.models import ORG_UNIT_KIND_LABELS, OrgUnit, OrgUnitError, OrgUnitKind
from core.plugins.offices import PluginSwitchError, office_switches, set_plugin_enabled
from core.search import USER_SEARCH
from core.standards.admin import ServiceStandardsView
from core.state import khet

USERS = "core.users.manage"
ROLES = "core.roles.manage"
ORG = "core.org.manage"
PLUGINS = "core.plugins.manage"
CALENDAR = "core.calendar.manage"


def unit_loader(permission: str) -> OfficeScopedAjaxLoader:
    return OfficeScopedAjaxLoader(
        "org_unit", OrgUnit, permission=permission, fields=["name", "code"], page_size=20
    )


def user_loader(permission: str) -> OfficeScopedAjaxLoader:
    return OfficeScopedAjaxLoader("user", User, permission=permission, fields=["name", "email"], page_size=20)


class UserAdmin(OfficeScopedModelView):
    """People are deactivated, never deleted: their records and history stay attached."""

    permission = USERS
    can_delete = False
    page_size = 25  # the list is the console's busiest page: keep it light to render
    column_list = ["name", "email", "position", "org_unit", "active", "last_login_at"]
    column_labels = User.__audit__.labels
    column_searchable_list = ["name", "email"]
    search_index = USER_SEARCH
    column_default_sort = (thai_order(User.name), False)
    column_details_exclude_list = ["password_hash", "session_token"]
    form_columns = ["name", "email", "position", "org_unit", "locale", "active"]
    form_overrides = {"locale": SelectField}
    form_args = {
        "locale": {
            "choices": [SelectChoice("", "—"), SelectChoice("th", "ไทย"), SelectChoice("en", "English")]
        }
    }

    def __init__(self, **kwargs):
        self.form_ajax_refs = {"org_unit": unit_loader(USERS)}
        super().__init__(User, **kwargs)

    def get_sortable_columns(self):
        return {**super().get_sortable_columns(), "name": thai_order(User.name)}  # the header sorts so too

    def on_model_change(self, form, model, is_created):
        if self.limited_to_office() and model.org_unit is None:
            raise ValidationError(_("Choose the person's org unit."))
        model.locale = model.locale or None

    def after_model_change(self, form, model, is_created):
        if is_created:
            _flash_temporary_password(model, reset_password(model))
            db.session.commit()

    def _selected(self, ids) -> list[User]:
        wanted = [int(i) for i in ids if str(i).isdigit()]
        return self.get_query().filter(User.id.in_(wanted)).all()

    @action(
        "reset_password",
        _l("Reset password"),
        _l("Give the selected people a temporary password that they must change?"),
    )
    def action_reset_password(self, ids):
        if not recently_authenticated():
            flash(_("Please confirm your password to continue."), "info")
            return redirect(url_for("auth.reauth", next=url_for(".index_view")))
        for user in self._selected(ids):
            _flash_temporary_password(user, reset_password(user))
        db.session.commit()
        return None

    @action("deactivate", _l("Deactivate"), _l("Deactivate the selected people?"))
    def action_deactivate(self, ids):
        users = self._selected(ids)
        for user in users:
            deactivate(user)
        db.session.commit()
        flash(_("%(n)d people deactivated.", n=len(users)), "success")


def _flash_temporary_password(user: User, temporary: str) -> None:
    flash(
        _(
            "Temporary password for %(email)s: %(password)s — it is shown only once; "
            "the person must change it at the next sign-in.",
            email=user.email,
            password=temporary,
        ),
        "success",
    )


class RoleAdmin(SecureModelView):
    """The role-to-permission mapping is shared by every office: installation-wide admins only."""

    permission = ROLES
    column_list = ["name", "title", "permissions"]
    column_labels = Role.__audit__.labels
    column_formatters = {
        "title": lambda v, c, m, p: str(m),
        "permissions": lambda v, c, m, p: ", ".join(sorted(m.permission_names)),
    }
    column_searchable_list = ["name"]
    form_columns = ["name", "title"]

    def __init__(self, **kwargs):
        super().__init__(Role, **kwargs)

    def allows(self, user) -> bool:
        return super().allows(user) and has_installation_scope(user, self.permission)

    def scaffold_form(self):
        form_class = super().scaffold_form()
        form_class.permission_names = SelectMultipleField(_l("Permissions"), choices=_permission_choices)
        return form_class


def _permission_choices() -> list[SelectChoice]:
    permissions = khet().registry.permissions.values()
    return [SelectChoice(p.name, f"{p.name} — {p.title}") for p in sorted(permissions, key=lambda p: p.name)]


class RoleAssignmentAdmin(OfficeScopedModelView):
    permission = USERS
    column_list = ["user", "role", "org_unit", "include_descendants", "created_at"]
    column_labels = RoleAssignment.__audit__.labels
    form_columns = ["user", "role", "org_unit", "include_descendants"]

    def __init__(self, **kwargs):
        self.form_ajax_refs = {"user": user_loader(USERS), "org_unit": unit_loader(USERS)}
        super().__init__(RoleAssignment, **kwargs)

    def office_clause(self, office_id: int):
        return RoleAssignment.user_id.in_(select(User.id).where(User.office_id == office_id))

    def office_of(self, record) -> int | None:
        return record.user.office_id

    def on_model_change(self, form, model, is_created):
        if self.limited_to_office() and model.org_unit is None:
            raise ValidationError(_("Choose the org unit in which the role applies."))
        if model.org_unit is not None and model.user.office_id != model.org_unit.office_id:
            raise ValidationError(_("A role can only be granted within the person's own office."))


class OrgUnitAdmin(OfficeScopedModelView):
    permission = ORG
    column_list = ["name", "kind", "parent", "code", "active"]
    column_labels = OrgUnit.__audit__.labels
    column_formatters = {"kind": lambda v, c, m, p: str(ORG_UNIT_KIND_LABELS[OrgUnitKind(m.kind)])}
    column_searchable_list = ["name", "code"]
    column_default_sort = (thai_order(OrgUnit.name), False)
    form_columns = ["name", "kind", "parent", "code", "active", "thai_digits"]
    form_overrides = {"kind": SelectField}

    def __init__(self, **kwargs):
        self.form_ajax_refs = {"parent": unit_loader(ORG)}
        super().__init__(OrgUnit, **kwargs)

    def get_sortable_columns(self):
        return {**super().get_sortable_columns(), "name": thai_order(OrgUnit.name)}

    def scaffold_form(self):
        form_class = super().scaffold_form()
        form_class.kind = SelectField(
            _l("Kind"),
            choices=lambda: [SelectChoice(k.value, str(v)) for k, v in ORG_UNIT_KIND_LABELS.items()],
        )
        return form_class

    def on_model_change(self, form, model, is_created):
        changed = inspect(model).attrs
        becomes_office = model.kind == OrgUnitKind.OFFICE and (
            is_created or changed.kind.history.has_changes() or changed.parent.history.has_changes()
        )
        if becomes_office and self.limited_to_office():
            raise ValidationError(_("Only installation administrators can create offices."))
        try:
            model.check_placement()
        except OrgUnitError:
            raise ValidationError(
                _(
                    "This kind of unit cannot be placed there: groups and schools belong to an "
                    "office, work units to a group, and offices to nothing."
                )
            ) from None


class HolidayAdmin(OfficeScopedModelView):
    """National holidays (installation administrators) and an office's own days off."""

    permission = CALENDAR
    column_list = ["day", "name", "office"]
    column_labels = Holiday.__audit__.labels
    column_formatters = {
        "day": lambda v, c, m, p: date_filter(m.day, "full"),
        "office": lambda v, c, m, p: m.office.name if m.office else _("Every office (national holiday)"),
    }
    column_default_sort = ("day", False)
    column_searchable_list = ["name"]
    form_columns = ["day", "name"]

    def __init__(self, **kwargs):
        super().__init__(Holiday, **kwargs)

    def office_clause(self, office_id: int):
        return (Holiday.office_id == office_id) | Holiday.office_id.is_(None)

    def office_of(self, record) -> int | None:
        return record.office_id  # national days belong to no office: only installation admins edit them

    def on_model_change(self, form, model, is_created):
        model.office_id = current_user.office_id if self.limited_to_office() else None


class OfficePluginsView(OfficeSettingsView):
    """Switch plugins on or off for an office."""

    permission = PLUGINS

    @expose("/")
    def index(self):
        offices = self.offices()
        office = self.chosen_office(offices)
        registry = khet().registry
        switches = office_switches(office.id) if office else {}
        return self.render(
            "admin/khet_plugins.html",
            office=office,
            offices=offices,
            switches=switches,
            plugins=registry.plugins,
        )

    @expose("/switch", methods=["POST"])
    @require_recent_password
    def switch(self):
        office = self.chosen_office(self.offices())
        if office is None:
            flash(_("The record does not exist."), "error")
            return redirect(url_for(".index"))
        name = request.form.get("plugin", "")
        enabled = request.form.get("enabled") == "1"
        try:
            set_plugin_enabled(office.id, name, enabled)
        except PluginSwitchError as exc:
            flash(_switch_message(exc), "error")
        else:
            db.session.commit()
            flash(
                _("%(plugin)s is now on for %(office)s.", plugin=name, office=office.name)
                if enabled
                else _("%(plugin)s is now off for %(office)s.", plugin=name, office=office.name),
                "success",
            )
        return redirect(url_for(".index", office=office.id))


def _switch_message(exc: PluginSwitchError) -> str:
    if exc.reason == "requires":
        return _("%(plugin)s needs %(other)s: switch %(other)s on first.", **exc.params)
    if exc.reason == "required_by":
        return _("%(other)s needs %(plugin)s: switch %(other)s off first.", **exc.params)
    return _("There is no plugin named %(plugin)s.", **exc.params)


def core_admin_views() -> list:
    """Fresh instances for one application (Flask-Admin binds a view to one admin)."""
    people, setup = _l("People"), _l("Set-up")
    return [
        UserAdmin(name=_l("Users"), endpoint="core_users", category=people),
        RoleAssignmentAdmin(name=_l("Role grants"), endpoint="core_role_assignments", category=people),
        RoleAdmin(name=_l("Roles and permissions"), endpoint="core_roles", category=people),
        OrgUnitAdmin(name=_l("Org units"), endpoint="core_org_units", category=setup),
        OfficePluginsView(name=_l("Plugins per office"), endpoint="core_plugins", category=setup),
        HolidayAdmin(name=_l("Holidays"), endpoint="core_holidays", category=setup),
        ServiceStandardsView(name=_l("Service standards"), endpoint="core_standards", category=setup),
        AuditView(name=_l("Audit trail"), endpoint="core_audit"),
        *approval_admin_views(),
    ]
