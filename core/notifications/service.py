"""Notifying people, and what each person reads and marks as read.

``notify`` writes the notification and its deliveries in the caller's transaction; the
sending is queued for after the commit, so a rolled-back action notifies nobody and a slow
or failing mail server never holds up or breaks the request.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, func, select, update

from core.auth.models import User
from core.db import db, utcnow
from core.jobs import enqueue
from core.notifications.delivery import channels
from core.notifications.models import Delivery, Notification, NotificationKind
from core.plugins.contributions import NotificationChannel
from core.plugins.manager import CORE
from core.plugins.offices import enabled_for_office

DELIVER_JOB = "core.notifications.deliver"
RETRY_JOB = "core.notifications.retry"
PAGE_SIZE = 30
UNREAD_SHOWN = 99  # the top bar says "99+" beyond: no count runs over a long unread history

Subject = tuple[str, object]


_quiet: ContextVar[bool] = ContextVar("khet_notifications_quiet", default=False)


@contextmanager
def quietly() -> Iterator[None]:
    """Tell nobody about what happens inside: entering past records (a demo, an import)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def notify(
    recipient: User | int,
    kind: NotificationKind | str,
    message: str,
    params: Mapping[str, Any] | None = None,
    url: str | None = None,
    subject: Subject | None = None,
) -> Notification | None:
    """Notify one person in the current transaction; channels send after the commit.

    ``message`` is an ``N_`` message id (``kind.default_message`` or the caller's own) with
    ``%(name)s`` placeholders filled from ``params`` (JSON values) when it is shown, in each
    reader's language. ``url`` is a path on this site (``/saraban/documents/7``); ``subject``
    names the record, ``("saraban.document", 7)``, as in the audit trail.
    """
    if _quiet.get():
        return None
    person = recipient if isinstance(recipient, User) else db.session.get(User, recipient)
    if person is None:
        raise ValueError(f"no person with id {recipient!r} to notify")
    subject_key, subject_id = subject if subject else (None, None)
    now = utcnow()
    notification = Notification(
        recipient=person,
        kind=NotificationKind(kind).value,
        message=_checked(message, 300, "message"),
        params=_checked_params(message, params),
        url=_checked_url(url),
        subject_key=subject_key and _checked(subject_key, 80, "subject key"),
        subject_id=None if subject_id is None else _checked(str(subject_id), 64, "subject id"),
        created_at=now,
    )
    notification.deliveries = [Delivery(channel=c.name, next_attempt_at=now) for c in _channels_for(person)]
    db.session.add(notification)
    db.session.flush()
    if notification.deliveries:
        enqueue(DELIVER_JOB, notification_id=notification.id)
    return notification


def _checked(value: str, length: int, what: str) -> str:
    if len(value) > length:
        raise ValueError(f"the notification's {what} is longer than {length} characters")
    return value


def _checked_params(message: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Plain JSON values that fill every placeholder: a mistake shows here, not on display."""
    values = json.loads(json.dumps(dict(params or {})))
    try:
        if values:
            message % values
        elif "%(" in message:  # without params a message is shown as it is, never formatted
            raise KeyError(message)
    except (KeyError, ValueError, TypeError) as exc:
        raise ValueError(f"the message's placeholders do not match its params: {exc!r}") from None
    return values


def _checked_url(url: str | None) -> str | None:
    if url is None:
        return None
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        raise ValueError(f"a notification links to a path on this site, not {url!r}")
    return _checked(url, 500, "url")


def _channels_for(person: User) -> list[NotificationChannel]:
    """Channels that reach the person and whose plugin is on for their office."""
    if not person.active:
        return []
    enabled = enabled_for_office(person.office_id)
    return [
        channel
        for channel in channels().values()
        if (channel.plugin == CORE or channel.plugin in enabled)
        and (channel.reaches is None or channel.reaches(person))
    ]


# --- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationPage:
    notifications: list[Notification]
    older: int | None  # the ``before`` of the next page, None on the last one


def page_for(user_id: int, before_id: int | None = None, size: int = PAGE_SIZE) -> NotificationPage:
    """A person's notifications, newest first, a keyset page at a time (no count, no OFFSET)."""
    query = select(Notification).where(Notification.recipient_id == user_id)
    if before_id is not None:
        query = query.where(Notification.id < before_id)
    rows = list(db.session.scalars(query.order_by(Notification.id.desc()).limit(size + 1)))
    return NotificationPage(rows[:size], rows[size - 1].id if len(rows) > size else None)


@cache
def unread_count_query() -> Select:
    """Built once: every page asks, and building a statement costs more than running it."""
    unread = (
        select(Notification.id)
        .where(Notification.recipient_id == bindparam("user_id"), Notification.read_at.is_(None))
        .limit(bindparam("at_most"))
        .subquery()
    )
    return select(func.count()).select_from(unread)


def mark_read(user_id: int, notification_id: int, now: datetime | None = None) -> Notification | None:
    """Mark one of the person's notifications read; None when it is not theirs (or not there)."""
    notification = db.session.scalar(
        select(Notification).where(Notification.id == notification_id, Notification.recipient_id == user_id)
    )
    if notification is not None and notification.read_at is None:
        notification.read_at = now or utcnow()
    return notification


def mark_all_read(user_id: int, now: datetime | None = None) -> int:
    return _mark_unread_read([Notification.recipient_id == user_id], now)


def mark_read_about(
    subject: Subject, kinds: Iterable[NotificationKind] | None = None, recipient_id: int | None = None
) -> int:
    """Mark read what is no longer news, e.g. "needs your decision" once another approver decided."""
    key, subject_id = subject
    conditions = [Notification.subject_key == key, Notification.subject_id == str(subject_id)]
    if kinds is not None:
        conditions.append(Notification.kind.in_([NotificationKind(k).value for k in kinds]))
    if recipient_id is not None:
        conditions.append(Notification.recipient_id == recipient_id)
    return _mark_unread_read(conditions, None)


def _mark_unread_read(conditions: list[ColumnElement[bool]], now: datetime | None) -> int:
    result = db.session.execute(
        update(Notification)
        .where(*conditions, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
