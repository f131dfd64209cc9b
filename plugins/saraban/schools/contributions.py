"""What the schools' side adds to the saraban plugin's hooks (``plugin.py`` returns these)."""

from __future__ import annotations

from core.i18n import N_
from core.i18n import lazy_gettext as _l
from core.plugins.contributions import DashboardWidget, MenuItem, Permission, RoleTemplate
from plugins.saraban.schools import services
from plugins.saraban.schools.models import SchoolLetter, SchoolLetterFile
from plugins.saraban.services import REGISTER

SCHOOL_PEOPLE = ("teacher", "school_director", services.SCHOOL_CLERK)

PERMISSIONS = (
    Permission(
        services.READ,
        _l("Read and acknowledge the letters the office sends to your school"),
        default_roles=SCHOOL_PEOPLE,
    ),
    Permission(services.SEND, _l("Send letters from your school to the office"), default_roles=SCHOOL_PEOPLE),
)

# A school's clerk (เจ้าหน้าที่ธุรการโรงเรียน), granted over the school.
ROLES = (RoleTemplate(services.SCHOOL_CLERK, N_("School clerk")),)

MODELS = (SchoolLetter, SchoolLetterFile)

MENU_ITEMS = (
    MenuItem("saraban_schools.inbox", _l("Letters from the office"), permission=services.READ, weight=150),
    MenuItem("saraban_schools.to_office", _l("Letters to the office"), permission=services.SEND, weight=151),
    MenuItem("saraban_schools.arrivals", _l("Letters from schools"), permission=REGISTER, weight=153),
)


def _inbox_widget() -> str:
    from plugins.saraban.schools.views import inbox_widget  # the widget renders a template

    return inbox_widget()


WIDGETS = (
    DashboardWidget(
        "saraban.from_the_office",
        _l("Letters from the office"),
        _inbox_widget,
        permission=services.READ,
        weight=140,
    ),
)
