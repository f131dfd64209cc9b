"""Value objects that hooks return. Core validates and registers them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup


@dataclass(frozen=True)
class Permission:
    """A named right, e.g. ``helpdesk.ticket.assign``; roles map to permissions in the database."""

    name: str
    title: object
    default_roles: tuple[str, ...] = ()  # granted to these roles when first seen
    plugin: str = ""


@dataclass(frozen=True)
class RoleTemplate:
    """A role seeded on first run with default permissions; offices edit the mapping afterwards.

    ``title`` is the untranslated English title marked with ``N_``: it is stored as is and
    translated when shown.
    """

    name: str
    title: str
    permissions: tuple[str, ...] = ()
    plugin: str = ""


@dataclass(frozen=True)
class MenuItem:
    """An entry of the staff site's top navigation."""

    endpoint: str
    title: object
    permission: str | None = None
    weight: int = 100
    plugin: str = ""


@dataclass(frozen=True)
class DashboardWidget:
    """A box on the dashboard; ``render`` returns HTML for the signed-in user.

    The HTML is inserted as is: render it with a template (which escapes data) or escape it.
    """

    name: str
    title: object
    render: Callable[[], Markup | str]
    permission: str | None = None
    weight: int = 100
    plugin: str = ""


@dataclass
class PluginRecord:
    """What boot learned about one installed plugin (``khet plugins list`` shows it)."""

    name: str
    version: str = ""
    allowed: bool = True
    loaded: bool = False
    error: str | None = None
    requires: tuple[str, ...] = ()
    title: object = ""
    plugin: object | None = field(default=None, repr=False)
