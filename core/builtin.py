"""Core's own hook implementations: core registers its pieces the way plugins do."""

from __future__ import annotations

from flask import current_app
from flask_login import current_user
from markupsafe import Markup

from core.approvals.events import AUDIT_TYPES as APPROVAL_AUDIT_TYPES
from core.approvals.models import (
    ApprovalAction,
    ApprovalCandidate,
    ApprovalRequest,
    ApprovalStep,
    ChainDefinition,
    ChainStep,
    Delegation,
)
from core.approvals.vocabularies import CORE_VOCABULARIES
from core.audit.models import AuditCheckpoint, AuditEvent, AuditHead
from core.audit.types import CORE_AUDIT_TYPES
from core.auth.models import Role, RoleAssignment, RolePermission, User
from core.calendar.models import Holiday
from core.i18n import N_
from core.i18n import lazy_gettext as _l
from core.notifications.mail import EMAIL_CHANNEL
from core.notifications.models import Delivery, Notification
from core.numbering.models import NumberSeries
from core.org.models import OrgUnit
from core.plugins import hookimpl
from core.plugins.contributions import DashboardWidget, MenuItem, Permission, RoleTemplate
from core.plugins.models import KnownPermission, OfficePlugin
from core.standards.events import AUDIT_TYPES as STANDARDS_AUDIT_TYPES
from core.standards.models import (
    ServiceMark,
    ServiceRecord,
    ServiceResult,
    ServiceSetting,
    StandardSetting,
    SurveyAnswer,
    SurveyResponse,
)
from core.standards.presentation import dashboard_widget as services_widget
from core.uploads.events import AUDIT_TYPES as UPLOAD_AUDIT_TYPES
from core.uploads.models import StoredFile

ADMIN_ROLE = "admin"

CORE_PERMISSIONS = (
    Permission("core.admin.access", _l("Open the admin console")),
    Permission("core.users.manage", _l("Manage people and their roles")),
    Permission("core.roles.manage", _l("Edit which permissions each role has")),
    Permission("core.org.manage", _l("Manage offices, groups, work units and schools")),
    Permission("core.plugins.manage", _l("Switch plugins on or off for an office")),
    Permission("core.calendar.manage", _l("Manage public holidays"), default_roles=(ADMIN_ROLE,)),
    Permission("core.audit.view", _l("Read the audit trail"), default_roles=(ADMIN_ROLE,)),
    Permission(
        "core.approvals.manage", _l("Edit approval chains and delegations"), default_roles=(ADMIN_ROLE,)
    ),
    Permission(
        "core.standards.manage", _l("Set the office's service standards"), default_roles=(ADMIN_ROLE,)
    ),
    Permission(
        "core.standards.report",
        _l("Read the service report and satisfaction results"),
        default_roles=(ADMIN_ROLE, "office_director", "deputy_director", "group_director"),
    ),
)

# Positions of an educational service area office (DOMAIN.md); plugins attach their
# permissions to these roles through Permission.default_roles.
CORE_ROLES = (
    RoleTemplate(ADMIN_ROLE, N_("System administrator"), tuple(p.name for p in CORE_PERMISSIONS)),
    RoleTemplate("office_director", N_("Office director")),
    RoleTemplate("deputy_director", N_("Deputy office director")),
    RoleTemplate("group_director", N_("Group director")),
    RoleTemplate("unit_head", N_("Head of work unit")),
    RoleTemplate("computer_officer", N_("Computer technical officer")),
    RoleTemplate("clerk", N_("Clerk")),
    RoleTemplate("supervisor", N_("Education supervisor")),
    RoleTemplate("school_director", N_("School director")),
    RoleTemplate("teacher", N_("Teacher")),
)


def _account_widget() -> Markup:
    # Three facts: a macro of the template's module, which Jinja builds once, costs a fraction
    # of a whole template render (context processors, a new context) on every dashboard.
    template = current_app.jinja_env.get_template("core/widgets/account.html")
    return template.module.account(current_user._get_current_object())


class CorePlugin:
    """Registered under the name ``core`` before any plugin."""

    @hookimpl
    def register_permissions(self):
        return CORE_PERMISSIONS

    @hookimpl
    def register_roles(self):
        return CORE_ROLES

    @hookimpl
    def register_models(self):
        return (
            OrgUnit,
            User,
            Role,
            RolePermission,
            RoleAssignment,
            OfficePlugin,
            KnownPermission,
            Holiday,
            AuditEvent,
            AuditHead,
            AuditCheckpoint,
            ChainDefinition,
            ChainStep,
            ApprovalRequest,
            ApprovalStep,
            ApprovalCandidate,
            ApprovalAction,
            Delegation,
            Notification,
            Delivery,
            ServiceSetting,
            StandardSetting,
            ServiceRecord,
            ServiceMark,
            ServiceResult,
            SurveyResponse,
            SurveyAnswer,
            NumberSeries,
            StoredFile,
        )

    @hookimpl
    def register_audit_types(self):
        return (
            *CORE_AUDIT_TYPES,
            *APPROVAL_AUDIT_TYPES.values(),
            *STANDARDS_AUDIT_TYPES,
            *UPLOAD_AUDIT_TYPES,
        )

    @hookimpl
    def register_decision_vocabularies(self):
        return CORE_VOCABULARIES

    @hookimpl
    def register_blueprints(self):
        from core.approvals.views import bp as approvals_bp
        from core.auth.views import bp as auth_bp
        from core.notifications.views import bp as notifications_bp
        from core.standards.views import bp as standards_bp
        from core.web.views import bp as main_bp

        return (auth_bp, main_bp, approvals_bp, notifications_bp, standards_bp)

    @hookimpl
    def register_admin_views(self):
        from core.admin.views import core_admin_views

        return core_admin_views()

    @hookimpl
    def register_menu_items(self):
        return (
            MenuItem("main.dashboard", _l("Dashboard"), weight=0),
            MenuItem(
                "standards.report", _l("Service report"), permission="core.standards.report", weight=900
            ),
        )

    @hookimpl
    def register_notification_channels(self):
        return (EMAIL_CHANNEL,)

    @hookimpl
    def register_dashboard_widgets(self):
        return (
            DashboardWidget(
                "core.services",
                _l("Services this quarter"),
                services_widget,
                permission="core.standards.report",
            ),
            DashboardWidget("core.account", _l("My account"), _account_widget, weight=1000),
        )
