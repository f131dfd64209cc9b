"""The video-conference service and its standard times (seed 000: coordinate, set up, check)."""

from core.i18n import lazy_gettext as _l
from core.standards.contributions import Clock, Mark, ServiceType, StandardTime

SCHEDULED_START, SCHEDULED_END, SET_UP, CHECKED = "scheduled_start", "scheduled_end", "set_up", "checked"

SERVICE_TYPES = (
    ServiceType(
        "conference.video",
        _l("Video conference service"),
        (
            StandardTime("coordinate", _l("Request coordinated"), Mark.RECEIVED, Mark.STARTED, 3),
            StandardTime(
                "set_up",
                _l("Set up and tested before the meeting"),
                SET_UP,
                SCHEDULED_START,
                30,
                Clock.CALENDAR,
                at_least=True,
            ),
            StandardTime(
                "check", _l("Checked after the meeting"), SCHEDULED_END, CHECKED, 10, Clock.CALENDAR
            ),
        ),
        marks=(SCHEDULED_START, SCHEDULED_END, SET_UP, CHECKED),
    ),
)
