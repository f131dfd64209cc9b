"""Which plugins run for which office: the install-level allow-list, then the office's switch."""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import ColumnElement, ScalarSelect, func, literal_column, select

from core.db import db
from core.plugins.models import OfficePlugin
from core.state import khet


def enabled_for_office(office_id: int | None) -> set[str]:
    """Loaded plugins switched on for ``office_id``; every loaded plugin when there is no office.

    Users without an office are the installation's administrators: they see every plugin.
    """
    loaded = set(khet().loaded_plugins)
    if office_id is None:
        return loaded
    cache = _cache()
    if office_id not in cache:
        switched_on = db.session.scalars(
            select(OfficePlugin.plugin).where(
                OfficePlugin.office_id == office_id, OfficePlugin.enabled.is_(True)
            )
        )
        cache[office_id] = loaded & set(switched_on)
    return cache[office_id]


def _cache() -> dict[int, set[str]]:
    return g.setdefault("_khet_office_plugins", {}) if has_request_context() else {}


def switched_on_names(office_id: ColumnElement[int]) -> ScalarSelect[str]:
    """The plugins switched on for ``office_id`` as one string, a column for a query that reads
    the office anyway (the signed-in person's, on every request); ``remember_switched_on`` then
    spares ``enabled_for_office`` its own query. Plugin names have no spaces."""
    return (
        select(func.aggregate_strings(OfficePlugin.plugin, literal_column("' '")))
        .where(OfficePlugin.office_id == office_id, OfficePlugin.enabled.is_(True))
        .scalar_subquery()
    )


def remember_switched_on(office_id: int, names: str | None) -> None:
    """Keep what ``switched_on_names`` read for the rest of the request."""
    if has_request_context():
        _cache()[office_id] = set(khet().loaded_plugins) & set((names or "").split())


def office_switches(office_id: int) -> dict[str, bool]:
    """Every loaded plugin with whether it is on for the office."""
    on = enabled_for_office(office_id)
    return {name: name in on for name in khet().loaded_plugins}


def set_plugin_enabled(office_id: int, plugin: str, enabled: bool) -> None:
    """Switch a plugin on or off for one office, refusing what would break a requirement."""
    registry = khet().registry
    if plugin not in khet().loaded_plugins:
        raise PluginSwitchError("unknown_plugin", plugin=plugin)
    on = enabled_for_office(office_id)
    if enabled:
        missing = [r for r in registry.plugins[plugin].requires if r not in on]
        if missing:
            raise PluginSwitchError("requires", plugin=plugin, other=missing[0])
    else:
        dependants = [n for n in on if plugin in registry.plugins[n].requires]
        if dependants:
            raise PluginSwitchError("required_by", plugin=plugin, other=dependants[0])
    row = db.session.get(OfficePlugin, (office_id, plugin))
    if row is None:
        row = OfficePlugin(office_id=office_id, plugin=plugin)
        db.session.add(row)
    row.enabled = enabled
    if has_request_context():
        g.pop("_khet_office_plugins", None)


class PluginSwitchError(ValueError):
    """A switch that would leave an office with a plugin whose requirement is off."""

    def __init__(self, reason: str, **params: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params
