"""The branches of a repair once its cause is known (seed 002 §6.2).

Leased or under warranty, the device goes to its vendor (ส่งร้าน), named by the asset register.
When parts are needed, a parts request (รายการอะไหล่, estimated cost, reason) goes up the chain
``helpdesk.parts_request`` of ``core.approvals``; the ticket waits for parts (รออะไหล่, the
clock stopped) until the decision, then goes back to work whether the parts were approved or
not: refused, the technician repairs otherwise, sends it to the vendor or hands it back.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from core.approvals.contributions import ApprovalSubject, ChainTemplate, StepTemplate
from core.approvals.engine import ApprovalError, submit
from core.approvals.messages import refusal
from core.approvals.models import ApprovalAction, ApprovalRequest, ApproverRule, RequestStatus
from core.auth.models import User
from core.db import db, utcnow
from core.i18n import lazy_gettext as _l
from core.i18n.thaidate import today
from plugins.helpdesk.assets.models import AssetStatus
from plugins.helpdesk.assets.services import set_status
from plugins.helpdesk.models import PartsRequest, PartsStatus, RequestType, Step, Ticket, TicketStatus
from plugins.helpdesk.services import (
    TicketError,
    add_step,
    change_status,
    clean_text,
    deciders,
    parts_pending,
)
from plugins.helpdesk.steps import cause_recorded

S = TicketStatus
SUBJECT = "helpdesk.parts_request"
APPROVE = "helpdesk.parts.approve"
MAX_COST = Decimal("10000000")
BRANCHING = frozenset({S.ACCEPTED, S.IN_PROGRESS})

CHAIN = ChainTemplate(
    SUBJECT,
    "ขออนุมัติจัดซื้ออะไหล่เพื่อซ่อมครุภัณฑ์คอมพิวเตอร์",
    (StepTemplate("ผู้อำนวยการกลุ่มส่งเสริมการศึกษาทางไกลฯ พิจารณา", ApproverRule.RESOLVER, sla_hours=7),),
)


def can_branch(ticket: Ticket) -> bool:
    """A repair whose cause is written down, being worked on, with no parts request pending."""
    return (
        ticket.request_type == RequestType.REPAIR
        and TicketStatus(ticket.status) in BRANCHING
        and cause_recorded(ticket)
        and parts_pending(ticket) is None
    )


def vendor_of(ticket: Ticket) -> str | None:
    """The vendor that repairs the ticket's asset for free (leased or under warranty), if any."""
    asset = ticket.asset
    if asset is None or not asset.repaired_by_vendor(today()) or not asset.vendor:
        return None
    return asset.vendor


def send_to_vendor(ticket: Ticket, actor: User, note: str | None = None) -> None:
    """Send the device to the vendor the asset register names (ส่งร้าน): the clock stops."""
    _check_branch(ticket)
    asset = ticket.asset
    if asset is None:
        raise TicketError(_l("Link the ticket to its asset first: the vendor comes from the asset register."))
    if not asset.repaired_by_vendor(today()):
        raise TicketError(
            _l("The asset is neither leased nor under warranty: its vendor does not repair it.")
        )
    if not asset.vendor:
        raise TicketError(_l("The asset register names no vendor for this asset."))
    vendor = " · ".join(part for part in (asset.vendor, asset.vendor_contact, clean_text(note)) if part)
    change_status(ticket, S.AT_VENDOR, actor, vendor, step=Step.SENT_TO_VENDOR)
    set_status(asset, AssetStatus.AT_VENDOR)


def back_from_vendor(ticket: Ticket, actor: User, note: str | None = None) -> None:
    """The vendor returned the device: back to work, its repair to be checked."""
    if ticket.status != S.AT_VENDOR:
        raise TicketError(_l("The device is not at the vendor."))
    change_status(ticket, S.IN_PROGRESS, actor, note, step=Step.BACK_FROM_VENDOR)
    if ticket.asset is not None and ticket.asset.status == AssetStatus.AT_VENDOR:
        set_status(ticket.asset, AssetStatus.IN_REPAIR)


def request_parts(
    ticket: Ticket, actor: User, items: str, estimated_cost: Decimal, reason: str
) -> PartsRequest:
    """Ask for parts: the request goes up its approval chain and the ticket waits for parts."""
    _check_branch(ticket)
    items, reason = clean_text(items), clean_text(reason)
    if items is None or reason is None:
        raise TicketError(_l("List the parts and say why they are needed."))
    if not Decimal(0) <= estimated_cost < MAX_COST:
        raise TicketError(_l("Give the estimated cost in baht."))
    now = utcnow()
    parts = PartsRequest(
        office_id=ticket.office_id,
        ticket=ticket,
        items=items,
        estimated_cost=estimated_cost,
        reason=reason,
        status=PartsStatus.PENDING,
        requested_by=actor,
        created_at=now,
    )
    db.session.add(parts)
    db.session.flush()
    change_status(ticket, S.WAITING_PARTS, actor, items, at=now, step=Step.PARTS_REQUESTED)
    try:
        submit(SUBJECT, parts.id, f"{ticket.number} {items}"[:300], actor)
    except ApprovalError as error:
        raise TicketError(refusal(error)) from None
    return parts


def on_decision(request: ApprovalRequest, action: ApprovalAction) -> None:
    """The chain's outcome, in the approval's own transaction: the ticket goes back to work."""
    parts = db.session.get(PartsRequest, int(request.subject_id))
    if parts is None or parts.status != PartsStatus.PENDING:
        return
    outcome = {
        RequestStatus.APPROVED: (PartsStatus.APPROVED, Step.PARTS_APPROVED),
        RequestStatus.REJECTED: (PartsStatus.REFUSED, Step.PARTS_REFUSED),
        RequestStatus.WITHDRAWN: (PartsStatus.WITHDRAWN, Step.PARTS_WITHDRAWN),
    }.get(RequestStatus(request.status))
    if outcome is None:
        return
    parts.status, step = outcome
    parts.decided_at = utcnow()
    ticket = parts.ticket
    if ticket.status == S.WAITING_PARTS:
        change_status(ticket, S.IN_PROGRESS, action.actor, action.comment, step=step)
    else:  # moved on meanwhile (merged as a duplicate): the decision is still on its record
        add_step(ticket, step, action.actor, action.comment)


def approvers(request: ApprovalRequest) -> list[User] | None:
    """Who decides a parts request: holders of ``helpdesk.parts.approve`` in the office, those
    whose grant covers the ticket's queue first (its group's director)."""
    if request.subject_key != SUBJECT:
        return None
    parts = db.session.get(PartsRequest, int(request.subject_id))
    return deciders(request.office_id, APPROVE, parts.ticket if parts else None)


def requests_of(ticket: Ticket) -> list[PartsRequest]:
    return list(
        db.session.scalars(
            select(PartsRequest).where(PartsRequest.ticket_id == ticket.id).order_by(PartsRequest.id)
        )
    )


def _check_branch(ticket: Ticket) -> None:
    if ticket.request_type != RequestType.REPAIR:
        raise TicketError(_l("Only a repair goes to a vendor or asks for parts."))
    if not cause_recorded(ticket):
        raise TicketError(_l("Inspect the device and write down the cause first."))
    if TicketStatus(ticket.status) not in BRANCHING or parts_pending(ticket) is not None:
        raise TicketError(_l("The repair cannot take this branch now."))


SUBJECT_SPEC = ApprovalSubject(
    SUBJECT,
    _l("Parts for a repair"),
    SUBJECT,
    url=lambda parts_id: f"/helpdesk/parts/{parts_id}",
    on_transition=on_decision,
)
