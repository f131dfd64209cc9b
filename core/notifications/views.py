"""The signed-in person's notifications: the list, opening one, marking them read.

Every query is narrowed to the signed-in person: another person's notification answers 404,
as if it did not exist.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from core.auth.views import safe_next
from core.db import db
from core.i18n import gettext as _
from core.notifications.service import mark_all_read, mark_read, page_for

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def index():
    before = request.args.get("before", type=int)
    return render_template("core/notifications.html", page=page_for(current_user.id, before), before=before)


@bp.post("/<int:notification_id>/open")
@login_required
def open_notification(notification_id: int):
    """Mark it read and go to what it is about."""
    notification = mark_read(current_user.id, notification_id) or abort(404)
    db.session.commit()
    return redirect(safe_next(notification.url, url_for(".index")))


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id: int):
    if mark_read(current_user.id, notification_id) is None:
        abort(404)
    db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for(".index")))


@bp.post("/read-all")
@login_required
def read_all():
    if mark_all_read(current_user.id):
        flash(_("All your notifications are marked as read."), "success")
    db.session.commit()
    return redirect(url_for(".index"))
