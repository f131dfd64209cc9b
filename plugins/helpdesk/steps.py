"""The steps of the manuals' procedures (seed 002 §6) as a technician records them on a ticket.

Each request type with a procedure has a flow: which steps may follow the last one recorded.
A repair is inspected and its cause written down, repaired, and its repair checked; a check that
passes finishes the service. Software is installed and tested, installed again after a failed
test, and followed up once it works. An account is recorded in its system and the requester told
how to sign in. Recording the first step starts the work (กำลังดำเนินการ);
a passed check or test marks it done; the follow-up closes it. The branches of a repair (vendor,
parts) are in ``repair``.
"""

from __future__ import annotations

from core.auth.models import User
from core.i18n import lazy_gettext as _l
from plugins.helpdesk.assets.models import AssetStatus
from plugins.helpdesk.assets.services import set_status
from plugins.helpdesk.models import RequestType, Step, Ticket, TicketEntry, TicketStatus
from plugins.helpdesk.services import TicketError, add_step, change_status, clean_text

S = TicketStatus
WORKING = frozenset({S.NEW, S.ACCEPTED, S.IN_PROGRESS})
AFTER_DONE = frozenset({Step.FOLLOWED_UP})  # recorded once the service is done
STARTS = frozenset({None, Step.REOPENED})

_REPAIR_AGAIN = {Step.INSPECTED, Step.REPAIRED}
FLOWS: dict[RequestType, dict[Step | None, frozenset[Step]]] = {
    RequestType.REPAIR: {
        **dict.fromkeys(STARTS, frozenset({Step.INSPECTED})),
        Step.INSPECTED: frozenset(_REPAIR_AGAIN),
        Step.REPAIRED: frozenset({Step.VERIFIED, Step.VERIFY_FAILED}),
        Step.VERIFY_FAILED: frozenset(_REPAIR_AGAIN),
        Step.BACK_FROM_VENDOR: frozenset({Step.VERIFIED, Step.VERIFY_FAILED}),
        Step.PARTS_APPROVED: frozenset({Step.REPAIRED}),
        Step.PARTS_REFUSED: frozenset(_REPAIR_AGAIN),
        Step.PARTS_WITHDRAWN: frozenset(_REPAIR_AGAIN),
    },
    RequestType.SOFTWARE: {
        **dict.fromkeys(STARTS, frozenset({Step.PREPARED, Step.INSTALLED})),
        Step.PREPARED: frozenset({Step.INSTALLED}),
        Step.INSTALLED: frozenset({Step.TEST_PASSED, Step.TEST_FAILED}),
        Step.REINSTALLED: frozenset({Step.TEST_PASSED, Step.TEST_FAILED}),
        Step.TEST_FAILED: frozenset({Step.REINSTALLED}),
        Step.TEST_PASSED: frozenset({Step.FOLLOWED_UP}),
    },
    RequestType.ACCOUNT: dict.fromkeys(STARTS | {Step.INFO_GIVEN}, frozenset({Step.ACCOUNT_CREATED})),
}
# The change of status a step brings: a check or test that passes finishes the service.
FINISHES = {
    Step.VERIFIED: S.DONE,
    Step.TEST_PASSED: S.DONE,
    Step.FOLLOWED_UP: S.CLOSED,
    Step.ACCOUNT_CREATED: S.DONE,
}
NOTE_REQUIRED = {
    Step.INSPECTED: _l("Write the cause you found."),
    Step.VERIFY_FAILED: _l("Write what still does not work."),
    Step.TEST_FAILED: _l("Write what went wrong in the test."),
    Step.ACCOUNT_CREATED: _l("Write how the requester signs in (never a password)."),
}


def last_step(ticket: Ticket) -> Step | None:
    """The latest step of the ticket's own procedure (other steps, such as a call-back, do not count)."""
    flow = FLOWS.get(RequestType(ticket.request_type), {})
    known = set(flow) | {step for following in flow.values() for step in following}
    for entry in reversed(ticket.entries):
        if entry.step is not None and Step(entry.step) in known:
            return Step(entry.step)
    return None


def next_steps(ticket: Ticket) -> list[Step]:
    """The steps that may be recorded now, in the procedure's order."""
    flow = FLOWS.get(RequestType(ticket.request_type))
    if flow is None:
        return []
    following = flow.get(last_step(ticket), frozenset())
    status = TicketStatus(ticket.status)
    if status in WORKING:
        allowed = following - AFTER_DONE
    elif status in (S.DONE, S.HANDED_OVER):
        allowed = following & AFTER_DONE
    else:
        allowed = frozenset()
    return [step for step in Step if step in allowed]


def record_step(ticket: Ticket, step: Step, actor: User, note: str | None = None) -> TicketEntry:
    """Record a step of the procedure, moving the status as the step implies."""
    if step not in next_steps(ticket):
        raise TicketError(_l("This step does not come next in the procedure."))
    if step in NOTE_REQUIRED and clean_text(note) is None:
        raise TicketError(NOTE_REQUIRED[step])
    if ticket.status in (S.NEW, S.ACCEPTED):
        change_status(ticket, S.IN_PROGRESS, actor)
    _follow_with_asset(ticket, step)
    if step in FINISHES:
        return change_status(ticket, FINISHES[step], actor, note, step=step)
    return add_step(ticket, step, actor, note)


def cause_recorded(ticket: Ticket) -> bool:
    """Whether the repair's cause was written down since the ticket was opened or reopened."""
    for entry in reversed(ticket.entries):
        if entry.step == Step.INSPECTED:
            return True
        if entry.step == Step.REOPENED:
            return False
    return False


def _follow_with_asset(ticket: Ticket, step: Step) -> None:
    """The asset register follows the repair: in repair once inspected, in use once it works."""
    asset = ticket.asset
    if asset is None:
        return
    if step == Step.INSPECTED and asset.status == AssetStatus.IN_USE:
        set_status(asset, AssetStatus.IN_REPAIR)
    elif step == Step.VERIFIED and asset.status in (AssetStatus.IN_REPAIR, AssetStatus.AT_VENDOR):
        set_status(asset, AssetStatus.IN_USE)
