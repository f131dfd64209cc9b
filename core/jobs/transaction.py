"""Calling back once the session's transaction commits, and never when it rolls back.

A callback belongs to the innermost transaction open when it is registered. When a savepoint
is released its callbacks move to the enclosing transaction; when the outermost transaction
commits they run; whatever rolls back, or is closed without a commit, drops its own.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

PENDING_KEY = "khet.after_commit"

Callback = Callable[[], None]


def _pending(session: Session) -> dict[SessionTransaction, list[Callback]]:
    return session.info.setdefault(PENDING_KEY, {})


def _innermost(session: Session) -> SessionTransaction | None:
    return session.get_nested_transaction() or session.get_transaction()


def call_after_commit(session: Session, callback: Callback) -> None:
    """Run ``callback`` after the transaction in progress commits (one is begun if none is)."""
    transaction = _innermost(session) or session.begin()
    _pending(session).setdefault(transaction, []).append(callback)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    pending = session.info.get(PENDING_KEY)
    transaction = _innermost(session)
    if not pending or transaction is None or transaction not in pending:
        return
    callbacks = pending.pop(transaction)
    if transaction.nested:  # a released savepoint: wait for the enclosing commit
        pending.setdefault(transaction.parent, []).extend(callbacks)
        return
    for callback in callbacks:
        callback()


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    # Committed callbacks were taken by _after_commit already; what is left was rolled back.
    pending = session.info.get(PENDING_KEY)
    if pending:
        pending.pop(transaction, None)
