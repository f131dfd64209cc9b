"""A request that lacks details goes back to its requester (ประสานงานผู้ขอรับบริการ, §6.7).

The technician says what is missing; the ticket waits for the requester (รอข้อมูลจากผู้แจ้ง)
with its clock stopped and the requester is told. The requester completes it from the ticket's
page (an account request with the fields its kind needs), and the work resumes.
"""

from __future__ import annotations

from core.auth.models import User
from core.i18n import N_
from core.i18n import lazy_gettext as _l
from core.notifications import NotificationKind
from plugins.helpdesk.models import AccountDetails, AccountRequest, RequestType, Step, Ticket, TicketStatus
from plugins.helpdesk.services import TicketError, change_status, clean_text, tell_workers

S = TicketStatus
ASKABLE = frozenset({S.NEW, S.ACCEPTED, S.IN_PROGRESS})
COMPLETED_MESSAGE = N_("The requester completed request %(number)s “%(title)s”.")


def ask_requester(ticket: Ticket, actor: User, missing: str) -> None:
    """Send the request back to its requester, saying what is missing."""
    what = clean_text(missing)
    if what is None:
        raise TicketError(_l("Say what is missing."))
    if ticket.requester_id is None:
        raise TicketError(_l("The requester has no account here to complete it: telephone them instead."))
    if TicketStatus(ticket.status) not in ASKABLE:
        raise TicketError(_l("Only a request being worked on can go back to its requester."))
    change_status(ticket, S.WAITING_REQUESTER, actor, what, step=Step.INFO_ASKED)


def what_is_missing(ticket: Ticket) -> str | None:
    """What the technician last asked for, while the ticket waits for its requester."""
    if ticket.status != S.WAITING_REQUESTER:
        return None
    asked = [e for e in ticket.entries if e.step == Step.INFO_ASKED]
    return asked[-1].body if asked else None


def complete(
    ticket: Ticket,
    requester: User,
    message: str | None,
    *,
    position: str | None = None,
    account: AccountDetails | None = None,
) -> None:
    """The requester gives what was missing; the work resumes and the technician hears of it."""
    if ticket.requester_id != requester.id or ticket.status != S.WAITING_REQUESTER:
        raise TicketError(_l("This request is not waiting for you."))
    if clean_text(position):
        ticket.requester_position = clean_text(position)
    if ticket.request_type == RequestType.ACCOUNT and account is not None:
        if account.missing():
            raise TicketError(_l("The account request lacks details its kind needs."))
        _save(ticket, account)
    elif clean_text(message) is None:
        raise TicketError(_l("Write the information that was asked for."))
    change_status(ticket, S.IN_PROGRESS, requester, message, step=Step.INFO_GIVEN)
    tell_workers(ticket, NotificationKind.UPDATE, COMPLETED_MESSAGE, actor=requester)


def _save(ticket: Ticket, account: AccountDetails) -> None:
    values = account.values()
    if ticket.account is None:
        ticket.account = AccountRequest(**values)
        return
    for name, value in values.items():
        setattr(ticket.account, name, value)
