"""Sending notifications through their channels, in background jobs, until each is done.

A delivery is claimed before it is sent (its next attempt is pushed past the time a send may
take), so two workers, or a worker and ``khet notifications retry``, never send it twice; a
worker that dies mid-send leaves a claim that runs out, and the delivery is tried again. A
failure is recorded on the delivery with the time of its next attempt; after the last one it
is marked failed. The notification itself is never removed.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta

from flask_babel import force_locale
from sqlalchemy import literal, select, update

from core.db import db, utcnow
from core.i18n import DEFAULT_LOCALE
from core.notifications.models import Delivery, DeliveryStatus
from core.plugins.contributions import NotificationChannel
from core.state import khet

log = logging.getLogger(__name__)

# Waits after the 1st, 2nd, ... failed attempt; the attempt after the last wait is the final one.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=8),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
CLAIM_TIME = timedelta(minutes=10)  # longer than any send; then a lost attempt is tried again
RETRY_BATCH = 500
DONE = (DeliveryStatus.SENT, DeliveryStatus.LOGGED)
# A literal, not a parameter: PostgreSQL then always matches the partial index of pending rows.
_PENDING = literal(DeliveryStatus.PENDING.value, literal_execute=True)


def channels() -> dict[str, NotificationChannel]:
    return khet().registry.notification_channels


def deliver(notification_id: int) -> None:
    """The job queued by ``notify``: try every pending delivery of one notification."""
    due = db.session.scalars(
        select(Delivery.id).where(Delivery.notification_id == notification_id, Delivery.status == _PENDING)
    ).all()
    for delivery_id in due:
        attempt(delivery_id)


def retry_due(now: datetime | None = None, limit: int = RETRY_BATCH) -> Counter[DeliveryStatus]:
    """Try the pending deliveries whose next attempt is due; count the outcomes."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Delivery.id)
        .where(Delivery.status == _PENDING, Delivery.next_attempt_at <= now)
        .order_by(Delivery.next_attempt_at)
        .limit(limit)
    ).all()
    outcomes: Counter[DeliveryStatus] = Counter()
    for delivery_id in due:
        status = attempt(delivery_id, now)
        if status is not None:
            outcomes[status] += 1
    return outcomes


def attempt(delivery_id: int, now: datetime | None = None) -> DeliveryStatus | None:
    """Send one due delivery; None when it is not due or another worker has claimed it."""
    now = now or utcnow()
    if not _claim(delivery_id, now):
        return None
    db.session.commit()
    delivery = db.session.get_one(Delivery, delivery_id)
    try:
        status = _send(delivery)
    except Exception as exc:  # any failure of a channel is recorded and retried, never raised
        db.session.rollback()
        _record_failure(delivery, exc, now)
    else:
        delivery.status, delivery.next_attempt_at, delivery.finished_at = status, None, now
    db.session.commit()
    return DeliveryStatus(delivery.status)


def _claim(delivery_id: int, now: datetime) -> bool:
    claimed = db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == _PENDING, Delivery.next_attempt_at <= now)
        .values(attempts=Delivery.attempts + 1, next_attempt_at=now + CLAIM_TIME)
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def _send(delivery: Delivery) -> DeliveryStatus:
    channel = channels().get(delivery.channel)
    if channel is None:  # its plugin was removed; it may come back before the last attempt
        raise LookupError(f"no notification channel named {delivery.channel!r} is registered")
    notification = delivery.notification
    recipient = notification.recipient
    with force_locale(recipient.locale or DEFAULT_LOCALE):
        status = channel.send(notification, recipient) or DeliveryStatus.SENT
    if status not in DONE:
        raise ValueError(f"channel {channel.name!r} answered {status!r}: raise to report a failure")
    return DeliveryStatus(status)


def _record_failure(delivery: Delivery, error: Exception, now: datetime) -> None:
    delivery.last_error = f"{type(error).__name__}: {error}"[:500]
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at, delivery.finished_at = DeliveryStatus.FAILED, None, now
        log.error(
            "notification %s: %s failed %d times, giving up: %s",
            delivery.notification_id,
            delivery.channel,
            delivery.attempts,
            delivery.last_error,
        )
        return
    delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
    log.warning(
        "notification %s: %s failed (attempt %d), next attempt at %s UTC: %s",
        delivery.notification_id,
        delivery.channel,
        delivery.attempts,
        delivery.next_attempt_at,
        delivery.last_error,
    )
