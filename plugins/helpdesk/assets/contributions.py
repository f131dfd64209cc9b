"""What the asset register adds to the helpdesk plugin's hooks."""

from __future__ import annotations

from core.i18n import lazy_gettext as _l
from core.plugins.contributions import MenuItem, Permission

VIEW = "helpdesk.asset.view"
MANAGE = "helpdesk.asset.manage"

ASSET_PERMISSIONS = (
    Permission(
        VIEW,
        _l("See the asset register"),
        default_roles=("computer_officer", "unit_head", "group_director", "admin"),
    ),
    Permission(
        MANAGE,
        _l("Register, change and import assets"),
        default_roles=("computer_officer", "unit_head", "admin"),
    ),
)

# The register lives in the admin console; technicians reach it from the top bar.
ASSET_MENU_ITEMS = (MenuItem("helpdesk_assets.index_view", _l("Assets"), permission=VIEW, weight=210),)
