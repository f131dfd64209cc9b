"""Notifications: in the application first, then e-mail and the channels plugins add.

``notify(recipient, kind, message, params, url, subject)`` is the one call; plugins add
channels with the ``register_notification_channels`` hook.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from core.jobs import Job, register_job
from core.notifications.delivery import deliver, retry_due
from core.notifications.models import DeliveryStatus, Notification, NotificationKind
from core.notifications.service import (
    DELIVER_JOB,
    RETRY_JOB,
    mark_all_read,
    mark_read,
    mark_read_about,
    notify,
    quietly,
)
from core.plugins.contributions import NotificationChannel

__all__ = [
    "DeliveryStatus",
    "Notification",
    "NotificationChannel",
    "NotificationKind",
    "init_notifications",
    "mark_all_read",
    "mark_read",
    "mark_read_about",
    "notify",
    "quietly",
]

RETRY_EVERY = timedelta(minutes=1)


def _retry_job() -> None:
    retry_due()


def init_notifications(app: Flask) -> None:
    """Register the sending jobs."""
    register_job(app, Job(DELIVER_JOB, deliver))
    # Periodic: it runs again in a minute anyway, so a failed sweep is not retried sooner.
    register_job(app, Job(RETRY_JOB, _retry_job, retries=(), every=RETRY_EVERY))
