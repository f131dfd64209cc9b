"""Every hook a plugin may implement. Each has a heading in ``docs/hooks.md``.

``register_*`` hooks are called once at start-up and return data; core checks that every
name carries the plugin's prefix, then registers it. Implementations may accept fewer
arguments than the spec names.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import click
from flask import Blueprint
from flask_admin import BaseView

from core.approvals.contributions import ApprovalSubject, ChainTemplate, DecisionVocabulary
from core.audit.types import AuditType
from core.db import Base
from core.jobs.registry import Job
from core.plugins import hookspec
from core.plugins.contributions import (
    DashboardWidget,
    MenuItem,
    NotificationChannel,
    Permission,
    RoleTemplate,
    ServiceRequest,
)
from core.standards.contributions import ServiceType

if TYPE_CHECKING:
    from core.approvals.models import ApprovalRequest, ApprovalStep
    from core.auth.models import User
    from core.org.models import OrgUnit


@hookspec
def register_permissions() -> Iterable[Permission]:
    """Declare permission names, each prefixed ``<plugin>.`` (e.g. ``helpdesk.ticket.assign``), no spaces.

    Called at start-up. The role-to-permission mapping lives in the database.
    """


@hookspec
def register_roles() -> Iterable[RoleTemplate]:
    """Declare roles seeded with default permissions when the database is initialised.

    Called by ``khet init`` and ``khet db upgrade``. Plugin role names start with ``<plugin>_``.
    An existing role is never overwritten: offices own the mapping once it is seeded.
    """


@hookspec
def register_models() -> Iterable[type[Base]]:
    """Return the plugin's SQLAlchemy models; their tables must be named ``<plugin>_*``.

    Called at start-up so that the plugin's migrations and the contract tests see its tables.
    """


@hookspec
def register_blueprints() -> Iterable[Blueprint]:
    """Return Flask blueprints named ``<plugin>`` (or ``<plugin>_*``) with a URL prefix.

    Called at start-up. While the plugin is switched off for a user's office, its URLs answer 404.
    """


@hookspec
def register_admin_views() -> Iterable[BaseView]:
    """Return fresh Flask-Admin views whose endpoints start with ``<plugin>_``.

    Called once per application. Views should derive from ``core.admin.SecureModelView`` or
    ``core.admin.SecureView`` and name the permission they require.
    """


@hookspec
def register_menu_items() -> Iterable[MenuItem]:
    """Return entries for the top navigation; each endpoint belongs to the plugin's blueprint.

    Called at start-up; per request core shows only the items whose permission the user holds
    and whose plugin is switched on for the user's office.
    """


@hookspec
def register_dashboard_widgets() -> Iterable[DashboardWidget]:
    """Return dashboard widgets named ``<plugin>.*``; ``render()`` is called per request.

    Shown only to users who hold the widget's permission, when the plugin is on for their office.
    """


@hookspec
def register_audit_types() -> Iterable[AuditType]:
    """Return the kinds of business event the plugin records with ``core.audit.record``.

    Names start with ``<plugin>.``; the summary is an ``N_`` message, stored untranslated and
    translated when shown. Changes of models that declare ``__audit__`` need no entry here:
    their kinds (``<key>.created``, ``.updated``, ``.deleted``) are known from the model.
    """


@hookspec
def register_approval_subjects() -> Iterable[ApprovalSubject]:
    """Return the kinds of record the plugin sends up approval chains, keyed ``<plugin>.*``.

    Each names its chain, links the inbox to the record (``url``) and may update the record in
    the action's own transaction (``on_transition``).
    """


@hookspec
def register_approval_chains() -> Iterable[ChainTemplate]:
    """Return default chains, keyed ``<plugin>.*``; each is seeded once, then offices edit it.

    Seeding happens in ``khet init`` and ``khet db upgrade``; an existing chain is never overwritten.
    """


@hookspec
def register_decision_vocabularies() -> Iterable[DecisionVocabulary]:
    """Return decision wordings, named ``<plugin>.*``, that steps may offer (e.g. ทราบ / เห็นชอบ)."""


@hookspec(firstresult=True)
def resolve_approvers(request: ApprovalRequest, step: ApprovalStep) -> list[User] | None:
    """Name the people who decide a step whose rule is ``resolver``; None leaves it to others.

    Called when the step becomes pending. Answer only for your own subjects
    (``request.subject_key``); the first answer that is not None is used.
    """


@hookspec
def register_cli_commands() -> Iterable[click.Command]:
    """Return click commands or groups to add under ``khet``; the plugin's group is named after it."""


@hookspec
def register_notification_channels() -> Iterable[NotificationChannel]:
    """Return ways to reach people besides the application itself, named ``<plugin>`` or ``<plugin>.*``.

    Called at start-up. Each notification gets a delivery per channel that reaches its recipient
    (and whose plugin is on for their office); ``send`` runs in a background job and is retried
    with backoff when it raises. Core's own channel is ``email``.
    """


@hookspec
def register_service_types() -> Iterable[ServiceType]:
    """Return the services the plugin gives, keyed ``<plugin>.*``, with their standard times.

    Called at start-up. Each office switches services on or off, sets its own times and the
    months of its operation plan in the admin console; the plugin then records each service
    it gives with ``core.standards.services`` (``open_service`` … ``finish``), and core
    measures it, invites the requester's rating and reports it by fiscal quarter.
    """


@hookspec
def on_demo_office(office: OrgUnit, people: dict[str, User]) -> None:
    """Fill the demo office with a realistic year of the plugin's own records (invented, in Thai).

    Called once by ``khet demo`` after the office, its units and its people exist and every
    plugin is switched on; ``people`` maps the demo logins (``director``, ``tech``, ``clerk``,
    ``teacher``, ``principal``…) to their users. Use the plugin's services, so that the records
    are measured, notified and audited as real ones; the caller commits.
    """


@hookspec
def register_jobs() -> Iterable[Job]:
    """Return background jobs, named ``<plugin>.*``, that the plugin enqueues or runs periodically.

    A ``Job(name, run, retries=..., every=timedelta(...))`` runs in an application context of its
    own, recorded in the audit trail as ``job:<name>``; with ``every`` the worker (embedded, or
    ``khet worker`` with Redis) also runs it on that period. Enqueue with ``core.jobs.enqueue``.
    """


@hookspec(firstresult=True)
def resolve_service_request(request: ServiceRequest) -> str | None:
    """Open a request to the office's ICT service centre on another plugin's behalf; return its
    number, or None to leave it to others (also when your plugin is off for that office).

    Call it through ``core.plugins.requests.ask_for_service``, which answers None, "not
    available", when no plugin takes the request: the caller then carries on without it.
    """
