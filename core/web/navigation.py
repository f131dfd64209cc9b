"""What the signed-in user sees of plugin contributions: menu items and dashboard widgets."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from flask_login import current_user

from core.auth.models import User
from core.auth.permissions import held_anywhere
from core.plugins.contributions import DashboardWidget, MenuItem
from core.plugins.manager import CORE
from core.plugins.offices import enabled_for_office
from core.state import khet

C = TypeVar("C", MenuItem, DashboardWidget)


def _shown(contributions: Sequence[C], user: User) -> list[C]:
    """The contributions whose plugin is on for the user's office and whose permission they hold."""
    enabled: set[str] | None = None  # read only when a plugin contributes
    held = held_anywhere(user)
    shown = []
    for contribution in contributions:
        if contribution.plugin != CORE:
            if enabled is None:
                enabled = enabled_for_office(user.office_id)
            if contribution.plugin not in enabled:
                continue
        if contribution.permission is None or contribution.permission in held:
            shown.append(contribution)
    return shown


def visible_menu_items() -> list[MenuItem]:
    user = current_user._get_current_object()  # once, not once per attribute through the proxy
    return _shown(khet().registry.menu_items, user) if user.is_authenticated else []


def visible_widgets() -> list[DashboardWidget]:
    return _shown(khet().registry.widgets, current_user._get_current_object())
