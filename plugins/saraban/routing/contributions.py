"""What routing and endorsing add to the saraban plugin's hooks (``plugin.py`` returns these)."""

from __future__ import annotations

from core.i18n import lazy_gettext as _l
from core.jobs import Job
from core.plugins.contributions import DashboardWidget, MenuItem, Permission
from plugins.saraban.routing import proposals, services
from plugins.saraban.routing.events import AUDIT_TYPES

STAFF = ("clerk", "office_director", "deputy_director", "group_director", "unit_head",
         "computer_officer", "supervisor", "admin")  # fmt: skip

PERMISSIONS = (
    Permission(
        services.ROUTE,
        _l("Keep a registry: send letters on to units and people"),
        default_roles=("clerk", "group_director", "unit_head", "admin"),
    ),
    Permission(
        proposals.PROPOSE,
        _l("Propose letters to the superiors with a note"),
        default_roles=("clerk", "unit_head", "computer_officer", "supervisor", "admin"),
    ),
    Permission(services.RECEIVE, _l("Receive letters sent to you (letters to me)"), default_roles=STAFF),
)

MENU_ITEMS = (
    MenuItem("saraban_routing.inbox", _l("Letters to me"), permission=services.RECEIVE, weight=151),
)


def _inbox_widget() -> str:
    from plugins.saraban.routing.views import inbox_widget  # the widget renders a template

    return inbox_widget()


WIDGETS = (
    DashboardWidget(
        "saraban.letters_to_me", _l("Letters to me"), _inbox_widget, permission=services.RECEIVE, weight=140
    ),
)

CHAINS = (proposals.CHAIN,)
SUBJECTS = (proposals.SUBJECT_SPEC,)
VOCABULARIES = (proposals.DECISIONS,)

# Drawing the receipt stamp takes a moment: done after the registration commits. A failure
# is not retried: the letter's page draws it when someone asks for the stamped copy.
JOBS = (Job(services.STAMP_JOB, services.stamp_in_background, retries=()),)

approvers = proposals.group_directors

__all__ = [
    "AUDIT_TYPES",
    "CHAINS",
    "JOBS",
    "MENU_ITEMS",
    "PERMISSIONS",
    "SUBJECTS",
    "VOCABULARIES",
    "WIDGETS",
    "approvers",
]
