"""What the signed-in user sees of plugin contributions: menu items and dashboard widgets."""

from __future__ import annotations

from flask_login import current_user

from core.auth.permissions import can
from core.plugins.contributions import DashboardWidget, MenuItem
from core.plugins.manager import CORE
from core.plugins.offices import enabled_for_office
from core.state import khet


def _shown(plugin: str, permission: str | None) -> bool:
    if plugin != CORE and plugin not in enabled_for_office(current_user.office_id):
        return False
    return permission is None or can(current_user, permission)


def visible_menu_items() -> list[MenuItem]:
    if not current_user.is_authenticated:
        return []
    return [i for i in khet().registry.menu_items if _shown(i.plugin, i.permission)]


def visible_widgets() -> list[DashboardWidget]:
    return [w for w in khet().registry.widgets if _shown(w.plugin, w.permission)]
