"""The per-application state: the plugin manager, what plugins contribute, and settings.

Kept in ``app.extensions`` so that several applications (as in tests) never share a manager.
"""

from __future__ import annotations

from dataclasses import dataclass

import pluggy
from flask import Flask, current_app

from core.config import Settings
from core.plugins.registry import Registry

EXTENSION_KEY = "khet"


@dataclass
class KhetState:
    settings: Settings
    pm: pluggy.PluginManager
    registry: Registry

    @property
    def loaded_plugins(self) -> list[str]:
        """Names of the plugins running on this installation, in dependency order."""
        return [name for name, _ in self.pm.list_name_plugin() if name != "core"]


def khet(app: Flask | None = None) -> KhetState:
    return (app or current_app).extensions[EXTENSION_KEY]
