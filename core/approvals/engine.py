"""The approval engine: the only code that changes the state of a request.

``submit`` starts a request on the chain its subject names; ``act`` applies one action
(approve, reject, return, resubmit, withdraw, comment, reassign) after checking it against
``available_actions``. Each call works in the caller's transaction: the journal entry, the
audit event and the plugin's own update commit together, or not at all. A request row
carries a version: when two people act on the same version, the second gets ``StaleRequest``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from core.approvals.chains import current_chain
from core.approvals.contributions import APPROVE, REJECT, ApprovalSubject, Decision, DecisionVocabulary
from core.approvals.events import AUDIT_TYPES
from core.approvals.models import (
    ActionKind,
    ApprovalAction,
    ApprovalCandidate,
    ApprovalRequest,
    ApprovalStep,
    Delegation,
    Quorum,
    RequestStatus,
    ReturnTo,
    StepStatus,
)
from core.approvals.notices import after_action
from core.approvals.rules import delegations_to, resolve_candidates
from core.audit import record
from core.auth.models import User
from core.calendar.holidays import calendar_for
from core.db import db, utcnow
from core.i18n.thaidate import today
from core.state import khet

CANDIDATE_ACTIONS = {ActionKind.APPROVE, ActionKind.REJECT, ActionKind.RETURN, ActionKind.REASSIGN}
COMMENT_REQUIRED = {ActionKind.REJECT, ActionKind.RETURN, ActionKind.COMMENT}


class ApprovalError(Exception):
    """An action that cannot be taken now; ``reason`` selects the translated message."""

    def __init__(self, reason: str, **params: object):
        super().__init__(reason)
        self.reason = reason
        self.params = params


class StaleRequest(ApprovalError):
    def __init__(self) -> None:
        super().__init__("stale")


@dataclass(frozen=True)
class Capacity:
    """In whose name a person decides: their own, or a principal's through a delegation."""

    principal: User
    delegation: Delegation | None = None


def subject_of(key: str) -> ApprovalSubject:
    subject = khet().registry.approval_subjects.get(key)
    if subject is None:
        raise ApprovalError("unknown_subject", subject=key)
    return subject


def vocabulary_of(step: ApprovalStep) -> DecisionVocabulary:
    return khet().registry.decision_vocabularies[step.vocabulary]


def open_request_for(subject_key: str, subject_id: object) -> ApprovalRequest | None:
    return db.session.scalar(
        select(ApprovalRequest).where(
            ApprovalRequest.subject_key == subject_key,
            ApprovalRequest.subject_id == str(subject_id),
            ApprovalRequest.status.in_((RequestStatus.IN_PROGRESS, RequestStatus.RETURNED)),
        )
    )


# --- submitting --------------------------------------------------------------------------


def submit(subject_key: str, subject_id: object, title: str, requester: User) -> ApprovalRequest:
    """Send a subject up its chain; the steps are copied from the chain's current version."""
    subject = subject_of(subject_key)
    if open_request_for(subject_key, subject_id) is not None:
        raise ApprovalError("already_submitted")
    chain = current_chain(subject.chain_key, requester.office_id)
    if chain is None:
        raise ApprovalError("no_chain", chain=subject.chain_key)
    request = ApprovalRequest(
        chain=chain,
        subject_key=subject_key,
        subject_id=str(subject_id),
        title=title[:300],
        requester=requester,
        requester_unit=requester.org_unit,
        office_id=requester.office_id,
        steps=[ApprovalStep(position=step.position, **step.rule_values()) for step in chain.steps],
    )
    db.session.add(request)
    _start(request, first_position=0)
    _finish(request, _journal(request, ActionKind.SUBMIT, requester))
    return request


def _start(request: ApprovalRequest, first_position: int) -> None:
    """Open the first step at or after ``first_position`` that someone other than the requester decides."""
    for step in request.steps:
        if step.position < first_position:
            continue
        if _activate(request, step):
            return
    _close(request, RequestStatus.APPROVED)


def _activate(request: ApprovalRequest, step: ApprovalStep) -> bool:
    """Make a step pending with its candidates; False when it is skipped."""
    people = resolve_candidates(request, step)
    if not people:
        raise ApprovalError("no_approver", step=step.name)
    if not step.allow_self_approval:
        people = [p for p in people if p.id != request.requester_id]
    now = utcnow()
    _set_candidates(step, people)
    step.activated_at, step.closed_at, step.overdue_notified_at = now, None, None
    if not people:  # the requester holds the post themselves: the chain goes on above them
        step.status, step.closed_at = StepStatus.SKIPPED, now
        return False
    step.status = StepStatus.PENDING
    step.due_at = _due(request, step)
    step.opened_now = True  # not a column: tells _finish whom to notify
    return True


def _set_candidates(step: ApprovalStep, people: list[User]) -> None:
    """Open the step to these people; rows of an earlier pass are reused (one row per person)."""
    earlier = {c.user_id: c for c in step.candidates}
    step.candidates = [earlier.get(p.id) or ApprovalCandidate(user=p) for p in people]
    for candidate in step.candidates:
        candidate.open, candidate.decision, candidate.via = True, None, step.rule


def _due(request: ApprovalRequest, step: ApprovalStep):
    if not step.sla_hours:
        return None
    return calendar_for(request.office_id).add_working_time(
        step.activated_at, timedelta(hours=step.sla_hours)
    )


# --- who may do what ---------------------------------------------------------------------


def capacity(request: ApprovalRequest, user: User) -> Capacity | None:
    """Whether ``user`` decides the pending step, in their own name or a principal's."""
    step = request.current_step
    if step is None or not request.is_open:
        return None
    open_ids = {c.user_id for c in step.candidates if c.open}
    if user.id in open_ids:
        return Capacity(user)
    day = today()
    for delegation in delegations_to(user.id, day):
        if delegation.principal_id in open_ids and delegation.covers(request.chain.key, day):
            return Capacity(delegation.principal, delegation)
    return None


def available_actions(request: ApprovalRequest, user: User) -> set[ActionKind]:
    """Every action ``user`` may take on the request now (the transition table)."""
    return allowed_actions(request, user, capacity(request, user))


def allowed_actions(request: ApprovalRequest, user: User, role: Capacity | None) -> set[ActionKind]:
    """``available_actions`` for a caller that already knows the person's ``capacity``."""
    allowed: set[ActionKind] = set()
    is_requester = user.id == request.requester_id
    if is_requester and request.status in (RequestStatus.IN_PROGRESS, RequestStatus.RETURNED):
        allowed |= {ActionKind.WITHDRAW, ActionKind.COMMENT}
    if is_requester and request.status == RequestStatus.RETURNED:
        allowed.add(ActionKind.RESUBMIT)
    if role is not None and (not is_requester or request.current_step.allow_self_approval):
        vocabulary = vocabulary_of(request.current_step)
        allowed |= {ActionKind.RETURN, ActionKind.REASSIGN, ActionKind.COMMENT}
        if vocabulary.offers(APPROVE):
            allowed.add(ActionKind.APPROVE)
        if vocabulary.offers(REJECT):
            allowed.add(ActionKind.REJECT)
    elif request.status in (RequestStatus.IN_PROGRESS, RequestStatus.RETURNED) and _took_part(request, user):
        allowed.add(ActionKind.COMMENT)
    return allowed


def _took_part(request: ApprovalRequest, user: User) -> bool:
    return any(a.actor_id == user.id or a.on_behalf_of_id == user.id for a in request.actions)


# --- acting ------------------------------------------------------------------------------


def act(
    request: ApprovalRequest,
    kind: ActionKind,
    actor: User,
    *,
    expected_version: int,
    decision: str | None = None,
    comment: str | None = None,
    target: User | None = None,
    signed: bool = False,
) -> ApprovalAction:
    """Apply one action; raise ApprovalError (nothing changed) when it is not allowed.

    ``signed`` says the actor has just typed their password: decisions carry an electronic
    signature. The caller commits, and rolls back on any error.
    """
    if request.version != expected_version:
        raise StaleRequest()
    try:
        return _act(request, kind, actor, decision=decision, comment=comment, target=target, signed=signed)
    except StaleDataError:  # another transaction moved the version first (at any flush)
        raise StaleRequest() from None
    except ApprovalError as error:
        # The permission check may have read another approver's decision committed a moment
        # ago: then the person was too late, not wrong.
        if error.reason == "not_allowed" and _stored_version(request) != expected_version:
            raise StaleRequest() from None
        raise


def _stored_version(request: ApprovalRequest) -> int | None:
    with db.session.no_autoflush:
        return db.session.scalar(select(ApprovalRequest.version).where(ApprovalRequest.id == request.id))


def _act(request, kind, actor, *, decision, comment, target, signed) -> ApprovalAction:
    comment = (comment or "").strip() or None
    role = capacity(request, actor)  # read once: it looks up the actor's delegations
    if kind not in allowed_actions(request, actor, role):
        raise ApprovalError("not_allowed")
    if kind in COMMENT_REQUIRED and comment is None:
        raise ApprovalError("comment_required")
    step = request.current_step if role else None
    if kind is ActionKind.APPROVE or kind is ActionKind.REJECT:
        action = _decide(request, kind, actor, role, step, decision, comment, signed)
    elif kind is ActionKind.RETURN:
        action = _return(request, actor, role, step, comment)
    elif kind is ActionKind.REASSIGN:
        action = _reassign(request, actor, role, step, target, comment)
    elif kind is ActionKind.RESUBMIT:
        action = _resubmit(request, actor, comment)
    elif kind is ActionKind.WITHDRAW:
        _close(request, RequestStatus.WITHDRAWN)
        action = _journal(request, kind, actor, comment=comment)
    else:
        action = _journal(request, kind, actor, comment=comment, role=role, step=request.current_step)
    _finish(request, action)
    return action


def _decide(request, kind, actor, role, step, decision_key, comment, signed) -> ApprovalAction:
    outcome = APPROVE if kind is ActionKind.APPROVE else REJECT
    decision = vocabulary_of(step).get(decision_key or "")
    if decision is None or decision.outcome != outcome:
        decision = _only(vocabulary_of(step).offers(outcome))
    if not signed:
        raise ApprovalError("signature_required")
    if kind is ActionKind.APPROVE and step.comment_on_approve and comment is None:
        raise ApprovalError("comment_required")
    candidate = next(c for c in step.candidates if c.user_id == role.principal.id and c.open)
    candidate.open, candidate.decision = False, outcome
    action = _journal(
        request, kind, actor, role=role, step=step, decision=decision, comment=comment, signed=True
    )
    if outcome == REJECT:
        _close_step(step, StepStatus.REJECTED)
        _close(request, RequestStatus.REJECTED)
    elif _quorum_reached(step):
        _close_step(step, StepStatus.APPROVED)
        _start(request, first_position=step.position + 1)
    return action


def _only(decisions: list[Decision]) -> Decision:
    if not decisions:
        raise ApprovalError("not_allowed")
    return decisions[0]


def _quorum_reached(step: ApprovalStep) -> bool:
    approvals = sum(1 for c in step.candidates if c.decision == APPROVE)
    if step.quorum == Quorum.ALL:
        return all(c.decision == APPROVE for c in step.candidates)
    if step.quorum == Quorum.COUNT:
        return approvals >= min(step.quorum_count or 1, len(step.candidates))
    return approvals >= 1


def _return(request, actor, role, step, comment) -> ApprovalAction:
    action = _journal(request, ActionKind.RETURN, actor, role=role, step=step, comment=comment)
    previous = [s for s in request.steps if s.position < step.position and s.status == StepStatus.APPROVED]
    _close_step(step, StepStatus.RETURNED)
    if step.return_to == ReturnTo.PREVIOUS and previous:
        step.status, step.candidates, step.due_at = StepStatus.WAITING, [], None
        _activate(request, previous[-1])
    else:
        request.status = RequestStatus.RETURNED
    return action


def _resubmit(request: ApprovalRequest, actor: User, comment: str | None) -> ApprovalAction:
    """The requester sends the revised subject up again, from the first step; history stays."""
    request.round += 1
    request.status = RequestStatus.IN_PROGRESS
    for step in request.steps:
        step.status, step.candidates, step.due_at = StepStatus.WAITING, [], None
    action = _journal(request, ActionKind.RESUBMIT, actor, comment=comment)
    _start(request, first_position=0)
    return action


def _reassign(request, actor, role, step, target, comment) -> ApprovalAction:
    if target is None or not target.active or target.office_id != request.office_id:
        raise ApprovalError("bad_target")
    if target.id == request.requester_id and not step.allow_self_approval:
        raise ApprovalError("bad_target")
    if any(c.user_id == target.id and c.open for c in step.candidates):
        raise ApprovalError("already_candidate")
    mine = next(c for c in step.candidates if c.user_id == role.principal.id and c.open)
    mine.open = False
    existing = next((c for c in step.candidates if c.user_id == target.id), None)
    if existing is not None:
        existing.open, existing.via = True, ActionKind.REASSIGN.value
    else:
        step.candidates.append(ApprovalCandidate(user=target, via=ActionKind.REASSIGN.value))
    return _journal(request, ActionKind.REASSIGN, actor, role=role, step=step, comment=comment, target=target)


def _close_step(step: ApprovalStep, status: StepStatus) -> None:
    step.status, step.closed_at = status, utcnow()
    for candidate in step.candidates:
        candidate.open = False


def _close(request: ApprovalRequest, status: RequestStatus) -> None:
    request.status, request.closed_at = status, utcnow()
    for step in request.steps:
        if step.status == StepStatus.PENDING:
            _close_step(step, StepStatus.WAITING)


def _journal(
    request: ApprovalRequest,
    kind: ActionKind,
    actor: User,
    *,
    role: Capacity | None = None,
    step: ApprovalStep | None = None,
    decision: Decision | None = None,
    comment: str | None = None,
    target: User | None = None,
    signed: bool = False,
) -> ApprovalAction:
    delegation = role.delegation if role else None
    now = utcnow()
    action = ApprovalAction(
        round=request.round,
        kind=kind,
        step=step,
        decision=decision.key if decision else None,
        endorsement=decision.endorsement if decision else None,
        comment=comment,
        actor=actor,
        on_behalf_of=role.principal if delegation else None,
        delegation_kind=delegation.kind if delegation else None,
        target_user=target,
        signature=_signature(actor, role, now) if signed else None,
        created_at=now,
    )
    request.actions.append(action)
    request.last_action_at = now  # every action updates the row, so its version moves
    return action


def _signature(actor: User, role: Capacity | None, now) -> dict[str, object]:
    """The typed-name electronic signature: who, in which position at that moment, when."""
    signature: dict[str, object] = {
        "name": actor.name,
        "position": actor.position,
        "signed_at": now.isoformat(),
    }
    if role is not None and role.delegation is not None:
        signature |= {
            "kind": role.delegation.kind,
            "for_name": role.principal.name,
            "for_position": role.principal.position,
        }
    return signature


def _finish(request: ApprovalRequest, action: ApprovalAction) -> None:
    """Write the journal, then the audit event and the plugin's update, in one transaction."""
    db.session.flush()  # the version check: a stale request fails here, before anything else
    step = action.step
    record(
        AUDIT_TYPES[ActionKind(action.kind)],
        subject=("core.approval_request", request.id),
        data={
            "subject": f"{request.subject_key}:{request.subject_id}",
            "step": step.name if step else None,
            "endorsement": action.endorsement,
            "comment": action.comment,
            "status": request.status,
        },
        actor=action.actor,
        on_behalf_of_id=action.on_behalf_of_id,
    )
    subject = khet().registry.approval_subjects.get(request.subject_key)
    if subject is not None and subject.on_transition is not None:
        subject.on_transition(request, action)
    opened = [step for step in request.steps if step.__dict__.pop("opened_now", False)]
    after_action(request, action, opened)
