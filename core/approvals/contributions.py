"""What plugins give the approval engine: their subjects, default chains and decision wording."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.approvals.models import ApproverRule, Quorum, ReturnTo

if TYPE_CHECKING:
    from core.approvals.models import ApprovalAction, ApprovalRequest

APPROVE, REJECT = "approve", "reject"


@dataclass(frozen=True)
class Decision:
    """One choice an approver makes: its button, its official wording, and what it does."""

    key: str  # e.g. agree
    title: object  # the button, translated: _l("Agree")
    endorsement: str  # the wording kept in the record (Thai, official): เห็นชอบ
    outcome: str  # APPROVE or REJECT


@dataclass(frozen=True)
class DecisionVocabulary:
    """The decisions offered at a step, e.g. อนุมัติ / ไม่อนุมัติ; named ``<plugin>.<name>``."""

    name: str
    decisions: tuple[Decision, ...]
    plugin: str = ""

    def get(self, key: str) -> Decision | None:
        return next((d for d in self.decisions if d.key == key), None)

    def offers(self, outcome: str) -> list[Decision]:
        return [d for d in self.decisions if d.outcome == outcome]


@dataclass(frozen=True)
class StepTemplate:
    """A step of a default chain; the office edits the copy in the database."""

    name: str
    rule: ApproverRule
    role_name: str | None = None
    quorum: Quorum = Quorum.ANY
    quorum_count: int | None = None
    return_to: ReturnTo = ReturnTo.REQUESTER
    comment_on_approve: bool = False
    allow_self_approval: bool = False
    sla_hours: float | None = None
    vocabulary: str = "core.approve"


@dataclass(frozen=True)
class ChainTemplate:
    """A default chain a plugin ships, seeded once; ``key`` is ``<plugin>.<name>``."""

    key: str
    title: str
    steps: tuple[StepTemplate, ...]
    plugin: str = ""


@dataclass(frozen=True)
class ApprovalSubject:
    """A kind of record that goes through chains, e.g. ``helpdesk.parts_request``.

    ``url(subject_id)`` links the inbox to the record's page. ``on_transition(request,
    action)`` runs in the action's transaction, so the plugin updates its own record with it.
    """

    key: str
    title: object
    chain_key: str
    url: Callable[[str], str] | None = None
    on_transition: Callable[[ApprovalRequest, ApprovalAction], None] | None = field(default=None, repr=False)
    plugin: str = ""
