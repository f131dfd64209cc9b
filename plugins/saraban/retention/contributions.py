"""What retention adds to the saraban plugin's hooks (``plugin.py`` returns these)."""

from __future__ import annotations

from datetime import timedelta

from core.i18n import N_
from core.i18n import lazy_gettext as _l
from core.jobs import Job
from core.plugins.contributions import MenuItem, Permission, RoleTemplate
from plugins.saraban.retention import services
from plugins.saraban.retention.events import AUDIT_TYPES
from plugins.saraban.retention.models import DestructionItem, DestructionList
from plugins.saraban.retention.services import CHAIN_TEMPLATE, COMMITTEE_VOCABULARY, SUBJECT_SPEC

PERMISSIONS = (
    Permission(
        services.MANAGE,
        _l("Draft the destruction lists of letters, send them to the committee and record the destruction"),
        default_roles=("clerk", "admin"),
    ),
    Permission(
        services.REVIEW,
        _l("Read the destruction lists of letters (the destruction committee, the head of the office)"),
        default_roles=("office_director",),
    ),
)

# Appointed by the head of the office: a chair and at least two members, granted over the office.
ROLES = (RoleTemplate(services.COMMITTEE_ROLE, N_("Records destruction committee"), (services.REVIEW,)),)

MODELS = (DestructionList, DestructionItem)

MENU_ITEMS = (
    MenuItem("saraban_retention.index", _l("Records destruction"), permission=services.MANAGE, weight=155),
)

# Hourly, so that a web process restarted often still runs it; drafting is once per office and year.
JOBS = (
    Job(services.JOB, services.draft_due_lists, retries=(), every=timedelta(hours=1)),
    Job(services.DESTROY_JOB, services.carry_out),  # retried; the hourly job resumes it besides
)

__all__ = [
    "AUDIT_TYPES",
    "CHAIN_TEMPLATE",
    "COMMITTEE_VOCABULARY",
    "JOBS",
    "MENU_ITEMS",
    "MODELS",
    "PERMISSIONS",
    "ROLES",
    "SUBJECT_SPEC",
]
