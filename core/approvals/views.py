"""The staff pages of approvals: "Waiting for me", one request, and its actions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from core.approvals.engine import ApprovalError, StaleRequest, act, allowed_actions, capacity, vocabulary_of
from core.approvals.forms import ActionForm
from core.approvals.inbox import can_view, inbox, sent_by, subject_url
from core.approvals.messages import (
    ACTION_LABELS,
    DONE_MESSAGES,
    REQUEST_STATUS_LABELS,
    STEP_STATUS_LABELS,
    refusal,
)
from core.approvals.models import DELEGATION_KIND_LABELS, ActionKind, ApprovalRequest
from core.audit import record
from core.audit.types import PASSWORD_CONFIRM_FAILED
from core.auth.passwords import verify_password
from core.auth.services import find_user
from core.db import db
from core.i18n import gettext as _

bp = Blueprint("approvals", __name__, url_prefix="/approvals")

SIGNED_ACTIONS = {ActionKind.APPROVE, ActionKind.REJECT}


@bp.route("/")
@login_required
def waiting():
    return render_template("core/approvals/inbox.html", items=inbox(current_user), sent=sent_by(current_user))


def _visible(request_id: int) -> ApprovalRequest:
    request = db.session.get(ApprovalRequest, request_id)
    if request is None or not can_view(request, current_user):
        abort(404)
    return request


@bp.route("/<int:request_id>")
@login_required
def show(request_id: int):
    request = _visible(request_id)
    return _page(request, ActionForm(version=request.version))


def _page(request: ApprovalRequest, form: ActionForm):
    """The request page; after a refused action it comes back with what was typed and why.

    A refused form answers 200, as the sign-in form does not: the browser shows the page with
    its messages, not an error.
    """
    step = request.current_step
    role = capacity(request, current_user)
    html = render_template(
        "core/approvals/request.html",
        req=request,
        allowed=allowed_actions(request, current_user, role),
        role=role,
        vocabulary=vocabulary_of(step) if step is not None else None,
        form=form,
        subject_url=subject_url(request),
    )
    return html


@bp.route("/<int:request_id>/act", methods=["POST"])
@login_required
def act_on(request_id: int):
    request = _visible(request_id)
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("The form was incomplete; nothing was changed."), "error")
        return _page(request, form)
    if form.version.data != request.version:  # the page was out of date: show where it stands now
        flash(refusal(StaleRequest()), "error")
        return redirect(url_for(".show", request_id=request_id))
    kind = _action_kind(request, form.action.data, form.decision.data)
    if kind is None:  # a forged action or decision
        flash(refusal(ApprovalError("not_allowed")), "error")
        return _page(request, form)
    signed = kind in SIGNED_ACTIONS and _signature_checked(form)
    if kind in SIGNED_ACTIONS and not signed:
        return _page(request, form)
    try:
        act(
            request,
            kind,
            current_user,
            expected_version=form.version.data,
            decision=form.decision.data,
            comment=form.comment.data,
            target=find_user(form.target.data) if form.target.data else None,
            signed=signed,
        )
        db.session.commit()
    except ApprovalError as error:
        db.session.rollback()
        field = {"comment_required": form.comment, "bad_target": form.target}.get(error.reason)
        if field is not None:
            field.errors = [*field.errors, refusal(error)]
        else:
            flash(refusal(error), "error")
        return _page(request, form)
    flash(str(DONE_MESSAGES[kind]), "success")
    return redirect(url_for(".show", request_id=request_id))


def _action_kind(request: ApprovalRequest, action: str, decision: str | None) -> ActionKind | None:
    """The action asked for; a decision button says approve or reject through its outcome."""
    if action == "decide":
        step = request.current_step
        chosen = vocabulary_of(step).get(decision or "") if step is not None else None
        return None if chosen is None else ActionKind(chosen.outcome)
    try:
        return ActionKind(action)
    except ValueError:
        return None


def _signature_checked(form: ActionForm) -> bool:
    """The typed password signs the decision; a wrong one counts as a failed attempt."""
    if verify_password(current_user.password_hash, form.password.data or ""):
        return True
    g.login_failed = True  # counted by the rate limiter (core.auth.ratelimit)
    record(PASSWORD_CONFIRM_FAILED, subject=("core.user", current_user.id))
    db.session.commit()
    form.password.errors = [*form.password.errors, _("The password is incorrect: nothing was signed.")]
    return False


def latest_request(subject_key: str, subject_id: object) -> ApprovalRequest | None:
    return db.session.scalar(
        select(ApprovalRequest)
        .where(ApprovalRequest.subject_key == subject_key, ApprovalRequest.subject_id == str(subject_id))
        .order_by(ApprovalRequest.id.desc())
        .limit(1)
    )


def approval_timeline(subject_key: str, subject_id: object) -> Markup:
    """The template slot a subject's page calls: its latest request's steps and journal."""
    request = latest_request(subject_key, subject_id)
    if request is None or not can_view(request, current_user):
        return Markup("")
    return Markup(render_template("core/approvals/_timeline.html", req=request))


TEMPLATE_GLOBALS = {
    "approval_timeline": approval_timeline,
    "ACTION_LABELS": ACTION_LABELS,
    "REQUEST_STATUS_LABELS": REQUEST_STATUS_LABELS,
    "STEP_STATUS_LABELS": STEP_STATUS_LABELS,
    "DELEGATION_KIND_LABELS": DELEGATION_KIND_LABELS,
}
