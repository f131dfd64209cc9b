"""Value objects that hooks return. Core validates and registers them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup

if TYPE_CHECKING:
    from core.auth.models import User
    from core.notifications.models import DeliveryStatus, Notification


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


@dataclass(frozen=True)
class NotificationChannel:
    """A way to reach people besides the application itself (core's is ``email``).

    ``send(notification, recipient)`` runs in a background job with the recipient's language
    selected: ``notification.title`` and ``notification.text`` are translated for them. It
    returns ``None`` (sent) or ``DeliveryStatus.LOGGED``; an exception is a failure that is
    retried later. ``reaches(recipient)`` says whether the channel can reach that person at all.
    """

    name: str
    send: Callable[[Notification, User], DeliveryStatus | None]
    reaches: Callable[[User], bool] | None = None  # None: everyone
    plugin: str = ""


@dataclass(frozen=True)
class ServiceRequest:
    """One plugin asking the office's ICT service centre for help (dltv: a school's receiver is down).

    ``kind`` is ``repair``, ``phone``, ``software``, ``account`` or ``general``; ``origin`` names
    the asking plugin, so the centre can tell where the request came from.
    """

    office_id: int
    title: str
    description: str = ""
    kind: str = "general"
    requester: User | None = None
    requester_name: str | None = None
    requester_unit_id: int | None = None
    origin: str = ""


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
