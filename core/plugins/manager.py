"""Finding installed plugins, applying the install-level allow-list, and building the manager.

Installed is not enabled: ``KHET_PLUGINS`` names what may run on this installation, and
each office then switches plugins on or off in the admin console.
"""

from __future__ import annotations

from collections.abc import Iterable
from graphlib import CycleError, TopologicalSorter
from importlib.metadata import entry_points

import pluggy

from core.config import ConfigError
from core.plugins import ENTRY_POINT_GROUP, PROJECT_NAME, KhetPlugin, hookspecs
from core.plugins.contributions import PluginRecord

CORE = "core"


class PluginError(ConfigError):
    """A plugin cannot be loaded: unknown, failed import, or missing requirement."""


def discover_plugins(allowed: tuple[str, ...] | None) -> list[PluginRecord]:
    """Every installed plugin with whether it may run and, if not, why."""
    records: dict[str, PluginRecord] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in records:
            records[ep.name].error = "installed twice by different packages"
            continue
        record = PluginRecord(
            name=ep.name,
            version=ep.dist.version if ep.dist else "",
            allowed=allowed is None or ep.name in allowed,
        )
        records[ep.name] = record
        if record.allowed:
            _load(ep, record)
    _drop_unmet_requirements(records)
    return list(records.values())


def _load(ep, record: PluginRecord) -> None:
    try:
        plugin = ep.load()
    except Exception as exc:  # any import error must become a clear start-up message
        record.error = f"import failed: {type(exc).__name__}: {exc}"
        return
    if not isinstance(plugin, KhetPlugin):
        record.error = f"{ep.value} is not a KhetPlugin"
    elif plugin.name != ep.name:
        record.error = f"its name is {plugin.name!r} but its entry point is {ep.name!r}"
    else:
        record.plugin, record.loaded = plugin, True
        record.requires, record.title = tuple(plugin.requires), plugin.title


def _drop_unmet_requirements(records: dict[str, PluginRecord]) -> None:
    """Unload plugins whose requirements are not loaded, repeating until nothing changes."""
    changed = True
    while changed:
        changed = False
        for record in records.values():
            missing = [r for r in record.requires if not (r in records and records[r].loaded)]
            if record.loaded and missing:
                record.loaded, record.plugin = False, None
                record.error = f"requires {missing[0]!r}, which is not installed or not enabled"
                changed = True


def load_order(records: Iterable[PluginRecord]) -> list[PluginRecord]:
    """Loaded plugins with every requirement before the plugin that needs it."""
    loaded = {r.name: r for r in records if r.loaded}
    try:
        order = TopologicalSorter({n: r.requires for n, r in loaded.items()}).static_order()
        return [loaded[name] for name in order]
    except CycleError as exc:
        raise PluginError(f"plugins require one another in a cycle: {' -> '.join(exc.args[1])}") from None


def check_plugins(records: list[PluginRecord], allowed: tuple[str, ...] | None) -> None:
    """Refuse to start when the allow-list names an unknown plugin or an allowed one failed."""
    installed = {r.name for r in records}
    for name in allowed or ():
        if name not in installed:
            known = ", ".join(sorted(installed)) or "none"
            raise PluginError(f"KHET_PLUGINS names {name!r}, which is not installed (installed: {known})")
    for record in records:
        if record.allowed and record.error:
            raise PluginError(f"plugin {record.name!r} cannot start: {record.error}")


def build_plugin_manager(records: list[PluginRecord], core_plugin: object) -> pluggy.PluginManager:
    """One manager per application: core's own hooks first, then plugins in dependency order."""
    pm = pluggy.PluginManager(PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    pm.register(core_plugin, name=CORE)
    for record in load_order(records):
        pm.register(record.plugin, name=record.name)
    pm.check_pending()
    return pm
