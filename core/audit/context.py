"""Who is acting and from where: the context every audit event is stamped with.

In a web request the context comes from the request (signed-in person, address, browser,
a request id shared by all events of the request). CLI commands and background jobs open
their own with ``audit_context``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from flask import Flask, g, has_request_context, request

USER_AGENT_LENGTH = 300


@dataclass(frozen=True)
class AuditContext:
    origin: str  # web, cli:<command>, job:<name>, system
    request_id: str
    actor_id: int | None = None
    on_behalf_of_id: int | None = None
    office_id: int | None = None
    ip: str | None = None
    user_agent: str | None = None


_opened: ContextVar[AuditContext | None] = ContextVar("khet_audit_context", default=None)
# Outside any request, command or job (a Python shell, a test): one id per process.
_SYSTEM = AuditContext(origin="system", request_id=uuid.uuid4().hex)


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def audit_context(
    origin: str, *, actor_id: int | None = None, on_behalf_of_id: int | None = None
) -> Iterator[AuditContext]:
    """Stamp the events recorded inside with ``origin`` (``cli:users``, ``job:reminders``)."""
    context = AuditContext(
        origin=origin[:60], request_id=new_request_id(), actor_id=actor_id, on_behalf_of_id=on_behalf_of_id
    )
    token = _opened.set(context)
    try:
        yield context
    finally:
        _opened.reset(token)


def current_context() -> AuditContext:
    opened = _opened.get()
    if opened is not None:
        return opened
    if has_request_context():
        return _request_context()
    return _SYSTEM


def _request_context() -> AuditContext:
    if "audit_request_id" not in g:
        g.audit_request_id = new_request_id()
    # Flask-Login has loaded the person by now (every request checks the idle clock first);
    # reading its cache avoids a query inside a flush.
    user = g.get("_login_user")
    signed_in = user is not None and user.is_authenticated
    return AuditContext(
        origin="web",
        request_id=g.audit_request_id,
        actor_id=user.id if signed_in else None,
        office_id=user.office_id if signed_in else None,
        ip=request.remote_addr,
        user_agent=(request.user_agent.string or None) and request.user_agent.string[:USER_AGENT_LENGTH],
    )


def _add_request_id_header(response):
    if "audit_request_id" in g:
        response.headers["X-Request-Id"] = g.audit_request_id
    return response


def init_request_ids(app: Flask) -> None:
    """Answer with the request id of the events a request recorded, for support questions."""
    app.after_request(_add_request_id_header)
