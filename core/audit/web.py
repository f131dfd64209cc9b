"""Traffic events of refused requests: access denied (403) and lock-outs after failed sign-ins (429)."""

from __future__ import annotations

from flask import request

from core.audit.service import record
from core.audit.types import ACCESS_DENIED, LOCKED_OUT
from core.auth.ratelimit import PASSWORD_ENDPOINTS
from core.db import db


def record_refusal(status: int) -> None:
    """Record a refused request in its own transaction; whatever the request began is dropped."""
    data = {"method": request.method, "path": request.path[:500]}
    if status == 403:
        event_type = ACCESS_DENIED
    elif status == 429 and request.endpoint in PASSWORD_ENDPOINTS:
        event_type = LOCKED_OUT
        if request.endpoint == "auth.login":
            data["email"] = (request.form.get("email") or "").strip().lower()[:254]
    else:
        return
    db.session.rollback()
    record(event_type, data=data)
    db.session.commit()
