"""Installing a plugin that is not part of the repository, the way pip would.

The plugin's source is written into a temporary folder together with a ``.dist-info``
holding its ``khet.plugins`` entry point; putting the folder on ``sys.path`` makes it an
installed distribution that core discovers like any third-party package.
"""

from __future__ import annotations

import sys
import textwrap
import uuid
from pathlib import Path

import pytest

VEHICLES_SOURCE = '''
from flask import Blueprint
from core.i18n import lazy_gettext as _l
from flask_admin import expose

import click
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.admin import SecureView
from core.approvals.contributions import (
    APPROVE, REJECT, ApprovalSubject, ChainTemplate, Decision, DecisionVocabulary, StepTemplate,
)
from core.approvals.models import ApproverRule
from core.audit import AuditSpec, AuditType
from core.auth.permissions import require_permission
from core.db import Base
from core.plugins import KhetPlugin, hookimpl
from core.plugins.contributions import (
    DashboardWidget, MenuItem, NotificationChannel, Permission, RoleTemplate,
)
from core.standards.contributions import Clock, Mark, ServiceType, StandardTime

bp = Blueprint("vehicles", __name__, url_prefix="/vehicles")
PHONES = {}  # person id -> mobile number, as the plugin would keep them
TEXTED = []  # (number, text) of every message the SMS channel sent
DEMO_OFFICES = []  # (office, logins) the demo hook was given
REMINDED = []  # trips the reminder job ran for


@bp.route("/")
@require_permission("vehicles.booking.view")
def index():
    return "<h1>Vehicle bookings</h1>"


class Van(Base):
    __tablename__ = "vehicles_vans"
    __table_args__ = {"extend_existing": True}
    __audit__ = AuditSpec("vehicles.van", label=lambda van: van.plate)

    id: Mapped[int] = mapped_column(primary_key=True)
    plate: Mapped[str] = mapped_column(String(20))


def send_sms(notification, recipient):
    TEXTED.append((PHONES[recipient.id], notification.text))


@click.command("vehicles")
def vehicles_command():
    """Vehicle booking tools."""
    click.echo("vans ready")


class BookingsAdmin(SecureView):
    permission = "vehicles.booking.manage"

    @expose("/")
    def index(self):
        return "vehicle admin page"


class VehiclesPlugin(KhetPlugin):
    name = "vehicles"
    title = "Vehicle booking"
    requires = REQUIRES

    @hookimpl
    def register_permissions(self):
        return (
            Permission("vehicles.booking.view", "See vehicle bookings", default_roles=("clerk",)),
            Permission("vehicles.booking.manage", "Manage vehicles", default_roles=("admin",)),
        )

    @hookimpl
    def register_roles(self):
        return (RoleTemplate("vehicles_dispatcher", "Dispatcher", ("vehicles.booking.manage",)),)

    @hookimpl
    def register_models(self):
        return (Van,)

    @hookimpl
    def register_decision_vocabularies(self):
        return (DecisionVocabulary("vehicles.dispatch", (
            Decision("dispatch", "Dispatch", "จัดรถให้", APPROVE),
            Decision("no_van", "No van free", "ไม่มีรถว่าง", REJECT),
        )),)

    @hookimpl
    def register_approval_chains(self):
        return (ChainTemplate("vehicles.booking", "Van booking", (
            StepTemplate("ผู้ควบคุมรถ", ApproverRule.RESOLVER, vocabulary="vehicles.dispatch"),
        )),)

    @hookimpl
    def register_approval_subjects(self):
        return (ApprovalSubject("vehicles.booking", "Van booking", "vehicles.booking",
                                url=lambda booking_id: f"/vehicles/{booking_id}"),)

    @hookimpl
    def resolve_approvers(self, request, step):
        if request.subject_key != "vehicles.booking":
            return None
        from sqlalchemy import select
        from core.auth.models import User
        from core.db import db
        return list(db.session.scalars(select(User).where(User.email.like("dispatcher@%"))))

    @hookimpl
    def register_audit_types(self):
        return (AuditType("vehicles.trip.logged", "Trip logged"),)

    @hookimpl
    def register_cli_commands(self):
        return (vehicles_command,)

    @hookimpl
    def register_blueprints(self):
        return (bp,)

    @hookimpl
    def register_menu_items(self):
        return (MenuItem("vehicles.index", "Vehicle bookings", permission="vehicles.booking.view"),)

    @hookimpl
    def register_admin_views(self):
        return (BookingsAdmin(name="Vehicles", endpoint="vehicles_bookings"),)

    @hookimpl
    def register_notification_channels(self):
        return (NotificationChannel("vehicles.sms", send_sms, reaches=lambda person: person.id in PHONES),)

    @hookimpl
    def register_service_types(self):
        return (ServiceType("vehicles.trip", "Van trip", (
            StandardTime("dispatch", "Van dispatched", Mark.RECEIVED, Mark.STARTED, 60),
            StandardTime("ready", "Van at the door", "van_ready", "departure", 15, Clock.CALENDAR,
                         at_least=True),
        ), marks=("van_ready", "departure")),)

    @hookimpl
    def register_jobs(self):
        from core.jobs import Job

        return (Job("vehicles.remind", lambda trip_id: REMINDED.append(trip_id)),)

    @hookimpl
    def resolve_service_request(self, request):
        return None  # vans are not an ICT service: leave it to the helpdesk

    @hookimpl
    def on_demo_office(self, office, people):
        DEMO_OFFICES.append((office.name, sorted(people)))

    @hookimpl
    def register_dashboard_widgets(self):
        return (DashboardWidget("vehicles.today", "Vehicles today", lambda: "2 vans booked",
                                permission="vehicles.booking.view"),)


plugin = VehiclesPlugin()
'''


def install_plugin(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    name: str = "vehicles",
    source: str = VEHICLES_SOURCE,
    requires: tuple[str, ...] = (),
) -> None:
    """Make ``khet_<name>`` an installed distribution with a ``khet.plugins`` entry point.

    Each install gets a module name of its own, as a fresh virtualenv would: the models it
    declares never collide with those of an earlier install in the same test run.
    """
    module = f"khet_{name}_plugin_{uuid.uuid4().hex[:8]}"
    (root / f"{module}.py").write_text(textwrap.dedent(source).replace("REQUIRES", repr(requires)))
    dist_info = root / f"khet_{name}-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: khet-{name}\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text(f"[khet.plugins]\n{name} = {module}:plugin\n")
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.delitem(sys.modules, module, raising=False)
