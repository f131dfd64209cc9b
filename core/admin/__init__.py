"""Secure base views for the admin console; plugins derive their admin views from these."""

from core.admin.base import OfficeScopedModelView, SecureModelView, SecureView

__all__ = ["OfficeScopedModelView", "SecureModelView", "SecureView"]
