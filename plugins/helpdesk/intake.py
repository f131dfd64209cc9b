"""Filing a request as its requester does: the ticket, then what its kind asks before work starts."""

from __future__ import annotations

from werkzeug.datastructures import FileStorage

from core.auth.models import User
from plugins.helpdesk import opinion, photos
from plugins.helpdesk.models import Ticket
from plugins.helpdesk.services import TicketRequest, open_ticket


def file_request(
    office_id: int, request: TicketRequest, requester: User, pictures: list[FileStorage] | None = None
) -> tuple[Ticket, str]:
    """Open the requester's ticket with the photos they took; a service request goes to the DLICT
    group director for an opinion. Returns the ticket and its access code."""
    ticket, code = open_ticket(office_id, request, requester, requester)
    photos.attach(ticket, pictures or [], requester, ticket.entries[0])
    if opinion.needs_opinion(ticket):
        opinion.ask(ticket)
    return ticket, code
