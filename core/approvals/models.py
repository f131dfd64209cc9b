"""Approval chains (แฟ้มเสนอ): definitions as versioned data, requests with their steps
snapshotted at submission, the insert-only journal of actions, and delegations.

A request goes up "ตามลำดับขั้น": each step names who decides by a rule, how many of them
must agree, and how long it may take in working hours. Definitions are edited by creating a
new version; a request keeps the steps copied when it was submitted.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import AuditSpec
from core.auth.models import User
from core.db import Base, utcnow
from core.i18n import lazy_gettext as _l
from core.org.models import OrgUnit


class ApproverRule(StrEnum):
    """Who decides a step."""

    ROLE_IN_UNIT = "role_in_unit"  # holders of a role over the requester's unit
    ROLE_IN_PARENT = "role_in_parent"  # ... over the unit above the requester's
    ROLE_IN_OFFICE = "role_in_office"  # ... over the requester's office
    ROLE_IN_FIXED_UNIT = "role_in_fixed_unit"  # ... over one named unit
    USER = "user"  # one named person
    RESOLVER = "resolver"  # the subject's plugin names them (``resolve_approvers`` hook)


class Quorum(StrEnum):
    ANY = "any"  # the first decision settles the step
    ALL = "all"  # every candidate must approve
    COUNT = "count"  # ``quorum_count`` approvals


class ReturnTo(StrEnum):
    REQUESTER = "requester"
    PREVIOUS = "previous"


class RequestStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    RETURNED = "returned"  # back with the requester for revision
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class StepStatus(StrEnum):
    WAITING = "waiting"  # not reached yet
    PENDING = "pending"  # with its candidates now
    APPROVED = "approved"
    REJECTED = "rejected"
    RETURNED = "returned"
    SKIPPED = "skipped"  # its only candidate was the requester, who may not decide


class ActionKind(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    RETURN = "return"
    RESUBMIT = "resubmit"
    WITHDRAW = "withdraw"
    COMMENT = "comment"
    REASSIGN = "reassign"


class DelegationKind(StrEnum):
    ACTING = "acting"  # รักษาราชการแทน: holds the post while it is vacant or its holder is away
    ON_BEHALF = "on_behalf"  # ปฏิบัติราชการแทน: acts for the holder by a written delegation


DELEGATION_KIND_LABELS = {
    DelegationKind.ACTING: _l("Acting for (รักษาราชการแทน)"),
    DelegationKind.ON_BEHALF: _l("On behalf of (ปฏิบัติราชการแทน)"),
}

STEP_LABELS = {
    "name": _l("Step"),
    "rule": _l("Who decides"),
    "role_name": _l("Role"),
    "unit_id": _l("Unit"),
    "user_id": _l("Person"),
    "quorum": _l("How many must agree"),
    "quorum_count": _l("Number of approvals"),
    "return_to": _l("Returns go to"),
    "comment_on_approve": _l("Comment required to approve"),
    "allow_self_approval": _l("Requester may decide"),
    "sla_hours": _l("Time allowed (working hours)"),
    "vocabulary": _l("Wording of decisions"),
}


class ChainDefinition(Base):
    """One version of a chain; ``office_id`` None is the installation's default."""

    __tablename__ = "core_approval_chains"
    __table_args__ = (UniqueConstraint("key", "office_id", "version"),)
    __audit__ = AuditSpec(
        "core.approval_chain",
        label=lambda chain: f"{chain.key} v{chain.version}",
        labels={
            "key": _l("Chain"),
            "title": _l("Title"),
            "version": _l("Version"),
            "is_current": _l("Current"),
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)  # e.g. helpdesk.parts_request
    office_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(200))
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))

    office: Mapped[OrgUnit | None] = relationship()
    steps: Mapped[list[ChainStep]] = relationship(
        back_populates="chain", order_by="ChainStep.position", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return self.title


class StepRuleMixin:
    """The columns that describe a step: on a definition, and copied onto each request's step."""

    name: Mapped[str] = mapped_column(String(200))
    rule: Mapped[str] = mapped_column(String(30))
    role_name: Mapped[str | None] = mapped_column(String(80))
    unit_id: Mapped[int | None] = mapped_column(Integer)  # for role_in_fixed_unit
    user_id: Mapped[int | None] = mapped_column(Integer)  # for user
    quorum: Mapped[str] = mapped_column(String(10), default=Quorum.ANY)
    quorum_count: Mapped[int | None] = mapped_column(Integer)
    return_to: Mapped[str] = mapped_column(String(10), default=ReturnTo.REQUESTER)
    comment_on_approve: Mapped[bool] = mapped_column(Boolean, default=False)
    allow_self_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    sla_hours: Mapped[float | None] = mapped_column()
    vocabulary: Mapped[str] = mapped_column(String(80), default="core.approve")

    RULE_FIELDS = (
        "name",
        "rule",
        "role_name",
        "unit_id",
        "user_id",
        "quorum",
        "quorum_count",
        "return_to",
        "comment_on_approve",
        "allow_self_approval",
        "sla_hours",
        "vocabulary",
    )

    def rule_values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.RULE_FIELDS}


class ChainStep(StepRuleMixin, Base):
    __tablename__ = "core_approval_chain_steps"
    __audit__ = AuditSpec(
        "core.approval_chain_step",
        label=lambda step: step.name,
        parent=lambda step: ("core.approval_chain", step.chain_id),
        labels=STEP_LABELS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(
        ForeignKey("core_approval_chains.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)

    chain: Mapped[ChainDefinition] = relationship(back_populates="steps")


class ApprovalRequest(Base):
    """A subject of a plugin (a booking, a letter) going up a chain."""

    __tablename__ = "core_approval_requests"
    __table_args__ = (Index("ix_core_approval_requests_subject", "subject_key", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chain_id: Mapped[int] = mapped_column(ForeignKey("core_approval_chains.id"))
    subject_key: Mapped[str] = mapped_column(String(80))
    subject_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    requester_id: Mapped[int] = mapped_column(ForeignKey("core_users.id"), index=True)
    requester_unit_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=RequestStatus.IN_PROGRESS)
    round: Mapped[int] = mapped_column(Integer, default=1)  # grows with each resubmission
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_action_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)  # every action updates the row
    # Optimistic locking: two people deciding at once cannot both win.
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    chain: Mapped[ChainDefinition] = relationship()
    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    requester_unit: Mapped[OrgUnit | None] = relationship(foreign_keys=[requester_unit_id])
    steps: Mapped[list[ApprovalStep]] = relationship(
        back_populates="request", order_by="ApprovalStep.position", cascade="all, delete-orphan"
    )
    actions: Mapped[list[ApprovalAction]] = relationship(
        back_populates="request", order_by="ApprovalAction.id", cascade="all, delete-orphan"
    )

    @property
    def current_step(self) -> ApprovalStep | None:
        return next((s for s in self.steps if s.status == StepStatus.PENDING), None)

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.IN_PROGRESS


class ApprovalStep(StepRuleMixin, Base):
    """A request's copy of a definition step, with its progress."""

    __tablename__ = "core_approval_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("core_approval_requests.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=StepStatus.WAITING)
    activated_at: Mapped[datetime | None] = mapped_column(DateTime)
    due_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    overdue_notified_at: Mapped[datetime | None] = mapped_column(DateTime)

    request: Mapped[ApprovalRequest] = relationship(back_populates="steps")
    candidates: Mapped[list[ApprovalCandidate]] = relationship(
        back_populates="step", cascade="all, delete-orphan", order_by="ApprovalCandidate.id"
    )


class ApprovalCandidate(Base):
    """A person who may decide a pending step; the inbox reads this table."""

    __tablename__ = "core_approval_candidates"
    __table_args__ = (
        UniqueConstraint("step_id", "user_id"),
        Index("ix_core_approval_candidates_inbox", "user_id", "open"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("core_approval_steps.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_users.id"))
    via: Mapped[str] = mapped_column(String(20))  # the rule, resolver or reassign
    open: Mapped[bool] = mapped_column(Boolean, default=True)  # still expected to decide
    decision: Mapped[str | None] = mapped_column(String(20))  # approve / reject once decided

    step: Mapped[ApprovalStep] = relationship(back_populates="candidates")
    user: Mapped[User] = relationship()


class ApprovalAction(Base):
    """One entry of the journal; rows are only ever added."""

    __tablename__ = "core_approval_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("core_approval_requests.id", ondelete="CASCADE"), index=True
    )
    step_id: Mapped[int | None] = mapped_column(ForeignKey("core_approval_steps.id"))
    round: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str | None] = mapped_column(String(40))  # the vocabulary's key, e.g. agree
    endorsement: Mapped[str | None] = mapped_column(String(200))  # its official wording, e.g. เห็นชอบ
    comment: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int] = mapped_column(ForeignKey("core_users.id"))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))
    delegation_kind: Mapped[str | None] = mapped_column(String(20))
    target_user_id: Mapped[int | None] = mapped_column(ForeignKey("core_users.id"))  # reassign
    # The electronic signature: name and position at that moment, and the time.
    signature: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[ApprovalRequest] = relationship(back_populates="actions")
    step: Mapped[ApprovalStep | None] = relationship()
    actor: Mapped[User] = relationship(foreign_keys=[actor_id])
    on_behalf_of: Mapped[User | None] = relationship(foreign_keys=[on_behalf_of_id])
    target_user: Mapped[User | None] = relationship(foreign_keys=[target_user_id])


class Delegation(Base):
    """A person deciding for another during a period (ผู้รักษาราชการแทน / ผู้ปฏิบัติราชการแทน)."""

    __tablename__ = "core_delegations"
    __table_args__ = (Index("ix_core_delegations_delegate", "delegate_id", "starts_on", "ends_on"),)
    __audit__ = AuditSpec(
        "core.delegation",
        labels={
            "principal": _l("For"),
            "delegate": _l("Delegate"),
            "kind": _l("Kind"),
            "starts_on": _l("From"),
            "ends_on": _l("To"),
            "chain_keys": _l("Chains"),
            "reason": _l("Reason"),
            "revoked_at": _l("Revoked"),
        },
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    principal_id: Mapped[int] = mapped_column(ForeignKey("core_users.id"), index=True)
    delegate_id: Mapped[int] = mapped_column(ForeignKey("core_users.id"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("core_org_units.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), default=DelegationKind.ON_BEHALF)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # included
    chain_keys: Mapped[list[str] | None] = mapped_column(JSON)  # None: every chain
    reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    principal: Mapped[User] = relationship(foreign_keys=[principal_id])
    delegate: Mapped[User] = relationship(foreign_keys=[delegate_id])

    def __str__(self) -> str:
        return f"{self.delegate} → {self.principal}"

    def covers(self, chain_key: str, day: date) -> bool:
        in_scope = not self.chain_keys or chain_key in self.chain_keys
        return self.revoked_at is None and self.starts_on <= day <= self.ends_on and in_scope
