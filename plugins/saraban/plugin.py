"""Hook wiring of the saraban plugin."""

from core.i18n import lazy_gettext as _l
from core.plugins import KhetPlugin, hookimpl
from core.plugins.contributions import DashboardWidget, MenuItem, Permission
from plugins.saraban.events import AUDIT_TYPES
from plugins.saraban.models import Attachment, Letter, LetterAccess, RegisterStart, UnitPrefix
from plugins.saraban.outgoing import contributions as outgoing
from plugins.saraban.retention import contributions as retention
from plugins.saraban.routing import contributions as routing
from plugins.saraban.routing.models import Proposal, Routing, StampedCopy
from plugins.saraban.schools import contributions as schools
from plugins.saraban.services import MANAGE, REGISTER, SECRET, VIEW

# The central registry (สารบรรณกลาง) registers; the office's management reads the registers.
REGISTRARS = ("clerk", "admin")
READERS = ("clerk", "office_director", "deputy_director", "group_director", "admin")


class SarabanPlugin(KhetPlugin):
    name = "saraban"
    title = _l("Official correspondence")
    description = _l(
        "Registers of received and sent letters, circulars, orders and announcements; "
        "routing and endorsements."
    )

    @hookimpl
    def register_permissions(self):
        return (
            Permission(VIEW, _l("Read the correspondence registers and letters"), default_roles=READERS),
            Permission(
                REGISTER,
                _l("Register received and sent letters, circulars, orders and announcements"),
                default_roles=REGISTRARS,
            ),
            Permission(
                SECRET,
                _l("Read every secret letter of the office (the head of the office)"),
                default_roles=("office_director",),
            ),
            Permission(
                MANAGE,
                _l("Set the document number prefixes and the first numbers of the registers"),
                default_roles=REGISTRARS,
            ),
            *retention.PERMISSIONS,
            *routing.PERMISSIONS,
            *outgoing.PERMISSIONS,
            *schools.PERMISSIONS,
        )

    @hookimpl
    def register_roles(self):
        return (*retention.ROLES, *schools.ROLES)

    @hookimpl
    def register_models(self):
        return (
            Letter,
            LetterAccess,
            Attachment,
            UnitPrefix,
            RegisterStart,
            Routing,
            Proposal,
            StampedCopy,
            *retention.MODELS,
            *outgoing.MODELS,
            *schools.MODELS,
        )

    @hookimpl
    def register_audit_types(self):
        return (*AUDIT_TYPES, *retention.AUDIT_TYPES, *routing.AUDIT_TYPES)

    @hookimpl
    def register_blueprints(self):
        from plugins.saraban.outgoing.views import bp as outgoing_bp
        from plugins.saraban.retention.views import bp as retention_bp
        from plugins.saraban.routing.views import bp as routing_bp
        from plugins.saraban.schools.views import bp as schools_bp
        from plugins.saraban.views import bp

        return (bp, retention_bp, routing_bp, outgoing_bp, schools_bp)

    @hookimpl
    def register_dashboard_widgets(self):
        from plugins.saraban.views import latest_widget

        return (
            DashboardWidget(
                "saraban.latest", _l("Letters received"), latest_widget, permission=VIEW, weight=150
            ),
            *routing.WIDGETS,
            *schools.WIDGETS,
        )

    @hookimpl
    def register_menu_items(self):
        return (
            MenuItem("saraban.index", _l("Correspondence"), permission=VIEW, weight=150),
            *retention.MENU_ITEMS,
            *routing.MENU_ITEMS,
            *outgoing.MENU_ITEMS,
            *schools.MENU_ITEMS,
        )

    @hookimpl
    def register_approval_chains(self):
        return (retention.CHAIN_TEMPLATE, *routing.CHAINS, *outgoing.CHAINS)

    @hookimpl
    def register_approval_subjects(self):
        return (retention.SUBJECT_SPEC, *routing.SUBJECTS, *outgoing.SUBJECTS)

    @hookimpl
    def register_decision_vocabularies(self):
        return (retention.COMMITTEE_VOCABULARY, *routing.VOCABULARIES, *outgoing.VOCABULARIES)

    @hookimpl
    def register_jobs(self):
        return (*retention.JOBS, *routing.JOBS)

    @hookimpl
    def register_cli_commands(self):
        from plugins.saraban.retention.cli import saraban

        return (saraban,)

    @hookimpl
    def resolve_approvers(self, request, step):
        # Each answers None for subjects that are not its own.
        for resolver in (routing.approvers,):
            people = resolver(request)
            if people is not None:
                return people
        return None

    @hookimpl
    def on_demo_office(self, office, people):
        from plugins.saraban.demo import create_demo

        create_demo(office, people)
