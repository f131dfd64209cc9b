"""The top bar's two numbers, unread notifications and items waiting for a decision, read in
one round trip per page: every signed-in page shows them."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from flask import g
from flask_login import current_user
from sqlalchemy import Select, select
from sqlalchemy.exc import SQLAlchemyError

from core.approvals.inbox import anything_open_query, inbox
from core.auth.models import User
from core.db import db
from core.i18n.thaidate import today
from core.notifications.service import UNREAD_SHOWN, unread_count_query

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TopBar:
    unread: int = 0
    waiting: int = 0

    @property
    def unread_badge(self) -> str:
        """Nothing, the number, or "99+": no count runs over a long unread history."""
        return f"{UNREAD_SHOWN}+" if self.unread > UNREAD_SHOWN else str(self.unread or "")


@cache
def _counts() -> Select:
    return select(unread_count_query().scalar_subquery(), anything_open_query().scalar_subquery())


def top_bar() -> TopBar:
    """This request's numbers, read once; a failure never breaks the page (the error page included)."""
    bar = g.get("_khet_top_bar")
    if bar is None:
        user = current_user._get_current_object()
        bar = g._khet_top_bar = _read(user) if user.is_authenticated else TopBar()
    return bar


def _read(user: User) -> TopBar:
    try:
        # Two numbers, no ORM entity: the session's connection runs it without the ORM's
        # result machinery, in the same transaction.
        unread, anything = (
            db.session.connection()
            .execute(_counts(), {"user_id": user.id, "at_most": UNREAD_SHOWN + 1, "day": today()})
            .one()
        )
        return TopBar(unread or 0, len(inbox(user)) if anything is not None else 0)
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("the top bar's numbers could not be read")
        return TopBar()
