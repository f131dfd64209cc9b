"""Telling people about approvals: whose decision is needed, how a request ended, what is late.

Called by the engine inside the action's transaction: notifications are written with the
action and sent after the commit, so a refused or rolled-back action tells nobody anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from core.approvals.models import (
    ActionKind,
    ApprovalAction,
    ApprovalRequest,
    ApprovalStep,
    RequestStatus,
    StepStatus,
)
from core.approvals.rules import delegations_from
from core.auth.models import User
from core.db import db, utcnow
from core.i18n.thaidate import today
from core.jobs import Job, register_job
from core.notifications import NotificationKind, mark_read_about, notify

OVERDUE_JOB = "core.approvals.overdue"
OVERDUE_EVERY = timedelta(minutes=15)

CLOSING = {
    RequestStatus.APPROVED: NotificationKind.APPROVED,
    RequestStatus.REJECTED: NotificationKind.REJECTED,
    RequestStatus.RETURNED: NotificationKind.RETURNED,
}


def _subject(request: ApprovalRequest) -> tuple[str, int]:
    return ("core.approval_request", request.id)


def _tell(people: Iterable[User], kind: NotificationKind, request: ApprovalRequest) -> None:
    for person in {p.id: p for p in people}.values():
        notify(
            person,
            kind,
            kind.default_message,
            {"title": request.title},
            url=f"/approvals/{request.id}",
            subject=_subject(request),
        )


def deciders(request: ApprovalRequest, step: ApprovalStep) -> list[User]:
    """The step's open candidates and whoever decides for them by delegation today."""
    people = {c.user.id: c.user for c in step.candidates if c.open}
    day = today()
    for principal_id in list(people):
        for delegation in delegations_from(principal_id, day):
            if delegation.covers(request.chain.key, day):
                people.setdefault(delegation.delegate_id, delegation.delegate)
    return list(people.values())


def after_action(request: ApprovalRequest, action: ApprovalAction, opened: list[ApprovalStep]) -> None:
    """The notifications one action causes."""
    if action.kind == ActionKind.COMMENT:
        return
    for person_id in {action.actor_id, action.on_behalf_of_id} - {None}:
        mark_read_about(_subject(request), [NotificationKind.NEEDS_DECISION], recipient_id=person_id)
    if opened or not request.is_open:
        mark_read_about(_subject(request), [NotificationKind.NEEDS_DECISION])
    for step in opened:
        _tell(deciders(request, step), NotificationKind.NEEDS_DECISION, request)
    if action.kind == ActionKind.REASSIGN and action.target_user is not None:
        _tell([action.target_user], NotificationKind.NEEDS_DECISION, request)
    kind = CLOSING.get(RequestStatus(request.status))
    if kind is not None and action.kind in (ActionKind.APPROVE, ActionKind.REJECT, ActionKind.RETURN):
        _tell([request.requester], kind, request)


def notify_overdue() -> int:
    """Tell the deciders of every pending step past its due time, once; return how many steps."""
    late = db.session.scalars(
        select(ApprovalStep)
        .join(ApprovalRequest, ApprovalRequest.id == ApprovalStep.request_id)
        .where(
            ApprovalStep.status == StepStatus.PENDING,
            ApprovalStep.due_at < utcnow(),
            ApprovalStep.overdue_notified_at.is_(None),
            ApprovalRequest.status == RequestStatus.IN_PROGRESS,
        )
    ).all()
    for step in late:
        _tell(deciders(step.request, step), NotificationKind.OVERDUE, step.request)
        step.overdue_notified_at = utcnow()
    db.session.commit()
    return len(late)


def init_approvals(app: Flask) -> None:
    """Register the periodic check that tells deciders when a step is past its due time."""
    register_job(app, Job(OVERDUE_JOB, notify_overdue, retries=(), every=OVERDUE_EVERY))
