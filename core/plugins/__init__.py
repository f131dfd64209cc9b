"""The plugin contract: the hook markers and the base every plugin object derives from."""

from __future__ import annotations

import pluggy

PROJECT_NAME = "khet"
ENTRY_POINT_GROUP = "khet.plugins"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


class KhetPlugin:
    """A work area that an office can switch on or off.

    Subclasses set ``name`` (the entry-point name and the prefix of everything the plugin
    contributes), ``title`` (a lazy translated string), ``requires`` (names of plugins that
    must be enabled with it) and implement hooks as ``@hookimpl`` methods.
    """

    name: str = ""
    title: object = ""
    description: object = ""
    requires: tuple[str, ...] = ()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"
