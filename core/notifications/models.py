"""Notifications shown in the application, and their deliveries through other channels.

A notification keeps its message untranslated (an ``N_`` message id and its parameters), so
that each reader sees it in their own language, as the audit trail does. Notifications are
not business records: they are not audited.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, utcnow
from core.i18n import N_, gettext
from core.i18n import lazy_gettext as _l

if TYPE_CHECKING:
    from core.auth.models import User


class NotificationKind(StrEnum):
    NEEDS_DECISION = "needs_decision"
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"
    OVERDUE = "overdue"
    SURVEY = "survey"
    UPDATE = "update"  # a request of the person's moved on (a plugin's own message says how)
    ASSIGNED = "assigned"
    DUE_SOON = "due_soon"

    @property
    def title(self) -> str:
        return str(KIND_TITLES[self])

    @property
    def default_message(self) -> str:
        """A message id for ``notify`` that names the record with the ``title`` parameter."""
        return KIND_MESSAGES[self]


KIND_TITLES = {
    NotificationKind.NEEDS_DECISION: _l("Needs your decision"),
    NotificationKind.APPROVED: _l("Approved"),
    NotificationKind.REJECTED: _l("Not approved"),
    NotificationKind.RETURNED: _l("Returned for revision"),
    NotificationKind.OVERDUE: _l("Overdue"),
    NotificationKind.SURVEY: _l("How did we do?"),
    NotificationKind.UPDATE: _l("Update"),
    NotificationKind.ASSIGNED: _l("Assigned to you"),
    NotificationKind.DUE_SOON: _l("Due soon"),
}

KIND_MESSAGES = {
    NotificationKind.NEEDS_DECISION: N_("“%(title)s” is waiting for your decision."),
    NotificationKind.APPROVED: N_("“%(title)s” has been approved."),
    NotificationKind.REJECTED: N_("“%(title)s” was not approved."),
    NotificationKind.RETURNED: N_("“%(title)s” was returned for revision."),
    NotificationKind.OVERDUE: N_("“%(title)s” is past its deadline."),
    NotificationKind.SURVEY: N_("“%(title)s” is done. Please rate the service."),
    NotificationKind.UPDATE: N_("“%(title)s” was updated."),
    NotificationKind.ASSIGNED: N_("“%(title)s” has been assigned to you."),
    NotificationKind.DUE_SOON: N_("“%(title)s” falls due soon."),
}


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # not yet sent; tried again at next_attempt_at
    SENT = "sent"
    LOGGED = "logged"  # written to the log instead (e-mail without an SMTP server)
    FAILED = "failed"  # every attempt failed; the notification itself stays


class Notification(Base):
    __tablename__ = "core_notifications"
    __table_args__ = (
        Index("ix_core_notifications_recipient", "recipient_id", "id"),
        Index("ix_core_notifications_subject", "subject_key", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("core_users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(String(300))  # an N_ message id, translated on display
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    url: Mapped[str | None] = mapped_column(String(500))  # a path on this site
    subject_key: Mapped[str | None] = mapped_column(String(80))  # what it is about: ("saraban.document", 7)
    subject_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Only unread rows are indexed: counting them for the top bar stays quick for any history.
    read_at: Mapped[datetime | None] = mapped_column(DateTime)

    recipient: Mapped[User] = relationship()
    deliveries: Mapped[list[Delivery]] = relationship(
        back_populates="notification", cascade="all, delete-orphan", order_by="Delivery.id"
    )

    @property
    def title(self) -> str:
        """The kind, translated (a kind added later without a title shows its name)."""
        try:
            return NotificationKind(self.kind).title
        except ValueError:
            return self.kind

    @property
    def text(self) -> str:
        """The message in the reader's language, its parameters filled in."""
        try:
            return gettext(self.message, **self.params)
        except (KeyError, ValueError, TypeError):  # a translation with a broken placeholder
            return self.message


Index(
    "ix_core_notifications_unread",
    Notification.recipient_id,
    sqlite_where=Notification.read_at.is_(None),
    postgresql_where=Notification.read_at.is_(None),
)


class Delivery(Base):
    """One notification sent through one channel (e-mail, or a plugin's), retried until done."""

    __tablename__ = "core_notification_deliveries"
    __table_args__ = (UniqueConstraint("notification_id", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("core_notifications.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(10), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)  # None once done
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    notification: Mapped[Notification] = relationship(back_populates="deliveries")


# The retry sweep reads due deliveries only: the index holds just the pending ones.
Index(
    "ix_core_notification_deliveries_due",
    Delivery.next_attempt_at,
    sqlite_where=Delivery.status == DeliveryStatus.PENDING.value,
    postgresql_where=Delivery.status == DeliveryStatus.PENDING.value,
)
