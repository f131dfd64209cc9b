"""What the signed-in user sees of plugin contributions: menu items and dashboard widgets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from flask import current_app
from flask_login import current_user

from core.auth.models import User
from core.auth.permissions import held_anywhere
from core.i18n import current_language
from core.plugins.contributions import DashboardWidget, MenuItem
from core.plugins.manager import CORE
from core.plugins.offices import enabled_for_office
from core.state import khet

C = TypeVar("C", MenuItem, DashboardWidget)
LOCALIZED = "khet.localized_contributions"


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


def _localized() -> tuple[list[MenuItem], list[DashboardWidget]]:
    """Every menu item and widget with its title translated into this request's language.

    Titles are fixed text and the catalogs do not change while the process runs, so each
    language's titles are translated once per process, not on every page.
    """
    locale = current_language()
    cache: dict[str, tuple[list[MenuItem], list[DashboardWidget]]] = current_app.extensions.setdefault(
        LOCALIZED, {}
    )
    localized = cache.get(locale)
    if localized is None:
        registry = khet().registry
        localized = cache[locale] = (
            [replace(item, title=str(item.title)) for item in registry.menu_items],
            [replace(widget, title=str(widget.title)) for widget in registry.widgets],
        )
    return localized


def visible_menu_items() -> list[MenuItem]:
    user = current_user._get_current_object()  # once, not once per attribute through the proxy
    return _shown(_localized()[0], user) if user.is_authenticated else []


def visible_widgets() -> list[DashboardWidget]:
    return _shown(_localized()[1], current_user._get_current_object())
