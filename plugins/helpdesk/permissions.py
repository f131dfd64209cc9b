"""The names of the helpdesk's own permissions (declared in ``plugin.py``)."""

CREATE = "helpdesk.ticket.create"
WORK = "helpdesk.ticket.work"
ASSIGN = "helpdesk.ticket.assign"
DUTIES = "helpdesk.duty.manage"
