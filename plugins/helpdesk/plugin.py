"""Hook wiring of the helpdesk plugin."""

from core.i18n import lazy_gettext as _l
from core.jobs import Job
from core.plugins import KhetPlugin, hookimpl
from core.plugins.contributions import MenuItem, Permission
from plugins.helpdesk import opinion, repair
from plugins.helpdesk.assets.contributions import ASSET_MENU_ITEMS, ASSET_PERMISSIONS
from plugins.helpdesk.assets.models import Asset
from plugins.helpdesk.catalogue import SERVICE_TYPES
from plugins.helpdesk.loans import services as loans
from plugins.helpdesk.loans.models import Loan
from plugins.helpdesk.models import (
    AccountRequest,
    DutyAssignment,
    PartsRequest,
    Ticket,
    TicketEntry,
    TicketPhoto,
)
from plugins.helpdesk.permissions import ASSIGN, CREATE, DUTIES, WORK

STAFF = ("clerk", "teacher", "school_director", "supervisor", "unit_head", "group_director",
         "deputy_director", "office_director", "computer_officer", "admin")  # fmt: skip
TECHNICIANS = ("computer_officer", "unit_head", "group_director", "admin")


class HelpdeskPlugin(KhetPlugin):
    name = "helpdesk"
    title = _l("ICT service center")
    description = _l("Service requests, repairs, assets and loans of ICT equipment, with service standards.")

    @hookimpl
    def register_permissions(self):
        return (
            Permission(CREATE, _l("Ask the ICT centre for a service"), default_roles=STAFF),
            Permission(WORK, _l("Work on ICT service tickets"), default_roles=TECHNICIANS),
            Permission(
                ASSIGN,
                _l("Assign ICT service tickets to technicians"),
                default_roles=("unit_head", "group_director", "admin"),
            ),
            Permission(
                repair.APPROVE,
                _l("Approve buying parts for repairs"),
                default_roles=("group_director", "admin"),
            ),
            Permission(
                opinion.REVIEW,
                _l("Give the DLICT group director's opinion on ICT service requests"),
                default_roles=("group_director", "admin"),
            ),
            Permission(
                DUTIES,
                _l("Set who handles which ICT service requests (duty assignments)"),
                default_roles=("admin",),
            ),
            *ASSET_PERMISSIONS,
            Permission(
                loans.APPROVE, _l("Approve equipment loans"), default_roles=("group_director", "admin")
            ),
            Permission(
                loans.LEND,
                _l("Hand out and take back lent equipment"),
                default_roles=("computer_officer", "unit_head", "admin"),
            ),
        )

    @hookimpl
    def register_models(self):
        return (Ticket, TicketEntry, PartsRequest, AccountRequest, DutyAssignment, TicketPhoto, Asset, Loan)

    @hookimpl
    def register_blueprints(self):
        from plugins.helpdesk.loans.views import bp as loans_bp
        from plugins.helpdesk.views import bp

        return (bp, loans_bp)

    @hookimpl
    def register_menu_items(self):
        return (
            MenuItem("helpdesk.index", _l("ICT service center"), permission=CREATE, weight=200),
            MenuItem("helpdesk.callbacks", _l("Call-backs"), permission=WORK, weight=205),
            *ASSET_MENU_ITEMS,
            MenuItem("helpdesk_loans.index", _l("Loans"), permission=CREATE, weight=220),
        )

    @hookimpl
    def register_admin_views(self):
        from plugins.helpdesk.admin import duty_admin_views
        from plugins.helpdesk.assets.admin import asset_admin_views

        return [*asset_admin_views(), *duty_admin_views()]

    @hookimpl
    def register_service_types(self):
        return SERVICE_TYPES

    @hookimpl
    def register_jobs(self):
        from plugins.helpdesk.sla import EVERY, JOB, warn_due_tickets

        # Periodic: the next sweep comes soon anyway, so a failed one is not retried.
        return (
            Job(JOB, warn_due_tickets, retries=(), every=EVERY),
            Job(loans.REMIND_JOB, loans.remind_overdue, retries=(), every=EVERY),  # once a day per loan
        )

    @hookimpl
    def register_approval_chains(self):
        return (loans.CHAIN, repair.CHAIN, opinion.CHAIN)

    @hookimpl
    def register_approval_subjects(self):
        return (loans.SUBJECT_SPEC, repair.SUBJECT_SPEC, opinion.SUBJECT_SPEC)

    @hookimpl
    def register_decision_vocabularies(self):
        return (opinion.PERMIT,)

    @hookimpl
    def resolve_approvers(self, request, step):
        # Each answers None for subjects that are not its own.
        for resolver in (loans.approvers, repair.approvers, opinion.approvers):
            people = resolver(request)
            if people is not None:
                return people
        return None

    @hookimpl
    def resolve_service_request(self, request):
        from plugins.helpdesk.services import open_for_plugin

        return open_for_plugin(request)

    @hookimpl
    def on_demo_office(self, office, people):
        from plugins.helpdesk.demo import create_demo

        create_demo(office, people)
