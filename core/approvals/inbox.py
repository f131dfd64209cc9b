""" "Waiting for me" (รอพิจารณา): every pending step a person decides, in their own name or by
delegation, across the plugins their office runs; and who may open a request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, select

from core.approvals.models import (
    ApprovalCandidate,
    ApprovalRequest,
    ApprovalStep,
    Delegation,
    RequestStatus,
    StepStatus,
)
from core.approvals.rules import delegations_to, in_force
from core.auth.models import User
from core.auth.permissions import can, has_installation_scope
from core.db import db, utcnow
from core.i18n.thaidate import today
from core.plugins.manager import CORE
from core.plugins.offices import enabled_for_office
from core.state import khet

MANAGE = "core.approvals.manage"


@dataclass(frozen=True)
class InboxItem:
    request: ApprovalRequest
    step: ApprovalStep
    delegation: Delegation | None  # set when the person decides for someone else
    overdue: bool
    url: str | None


@cache
def _open_candidacies() -> Select:
    """Pending candidacies of a person and of everyone they decide for on a day, in one query.

    Built once with parameters (``user_id``, ``day``): the top bar asks on every page.
    """
    user_id = bindparam("user_id")
    acted_for = select(Delegation.principal_id).where(
        *in_force(bindparam("day")), Delegation.delegate_id == user_id
    )
    return (
        select(ApprovalCandidate, ApprovalStep, ApprovalRequest)
        .join(ApprovalStep, ApprovalStep.id == ApprovalCandidate.step_id)
        .join(ApprovalRequest, ApprovalRequest.id == ApprovalStep.request_id)
        .where(
            (ApprovalCandidate.user_id == user_id) | ApprovalCandidate.user_id.in_(acted_for),
            ApprovalCandidate.open,
            ApprovalStep.status == StepStatus.PENDING,
            ApprovalRequest.status == RequestStatus.IN_PROGRESS,
        )
    )


def inbox(user: User) -> list[InboxItem]:
    """Pending steps for ``user``: overdue first, then the soonest due, then the newest."""
    day = today()
    rows = db.session.execute(_open_candidacies(), {"user_id": user.id, "day": day}).all()
    if not rows:
        return []  # the usual answer, after a single query
    delegations = {d.principal_id: d for d in delegations_to(user.id, day)}
    enabled = enabled_for_office(user.office_id) | {CORE}
    now = utcnow()
    items: dict[int, InboxItem] = {}
    for candidate, step, request in rows:
        delegation = delegations.get(candidate.user_id) if candidate.user_id != user.id else None
        if delegation is not None and not delegation.covers(request.chain.key, day):
            continue
        if request.requester_id == user.id and not step.allow_self_approval:
            continue
        if request.subject_key.split(".", 1)[0] not in enabled:
            continue
        if step.id in items and items[step.id].delegation is None:
            continue  # their own candidacy is enough
        overdue = step.due_at is not None and step.due_at < now
        items[step.id] = InboxItem(request, step, delegation, overdue, subject_url(request))
    return sorted(items.values(), key=_urgency)


def _urgency(item: InboxItem) -> tuple:
    far = datetime.max
    return (not item.overdue, item.step.due_at or far, -item.step.activated_at.timestamp())


@cache
def anything_open_query() -> Select:
    """One open candidacy id or nothing (parameters ``user_id``, ``day``): the top bar's first look."""
    return _open_candidacies().with_only_columns(ApprovalCandidate.id).limit(1)


def subject_url(request: ApprovalRequest) -> str | None:
    subject = khet().registry.approval_subjects.get(request.subject_key)
    return subject.url(request.subject_id) if subject is not None and subject.url is not None else None


def sent_by(user: User, limit: int = 50) -> list[ApprovalRequest]:
    return list(
        db.session.scalars(
            select(ApprovalRequest)
            .where(ApprovalRequest.requester_id == user.id)
            .order_by(ApprovalRequest.id.desc())
            .limit(limit)
        )
    )


def can_view(request: ApprovalRequest, user: User) -> bool:
    """The requester, anyone who decides or decided it (or acts for them), and its managers."""
    if user.id == request.requester_id:
        return True
    involved = {c.user_id for s in request.steps for c in s.candidates}
    involved |= {a.actor_id for a in request.actions} | {a.on_behalf_of_id for a in request.actions}
    if user.id in involved:
        return True
    day = today()
    if any(d.principal_id in involved for d in delegations_to(user.id, day)):
        return True
    if has_installation_scope(user, MANAGE):
        return True
    return can(user, MANAGE) and user.office_id is not None and user.office_id == request.office_id
