"""Khet core: users, offices, permissions, plugins and the admin console."""

__version__ = "0.1.0"
