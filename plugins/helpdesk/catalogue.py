"""The services of the ICT service centre, with the standard times of its manual (seed 002 §8)."""

from core.i18n import lazy_gettext as _l
from core.standards.contributions import Mark, ServiceType, StandardTime

WORKING_DAY = 7 * 60  # minutes of office hours

FIRST_RESPONSE = _l("First response")
RESOLVED = _l("Resolved")

SERVICE_TYPES = (
    ServiceType(
        "helpdesk.phone",
        _l("Phone consultation"),
        (StandardTime("resolution", RESOLVED, Mark.RECEIVED, Mark.FINISHED, 60),),
    ),
    ServiceType(
        "helpdesk.repair",
        _l("Repair of computers and peripherals"),
        (
            StandardTime("first_response", FIRST_RESPONSE, Mark.RECEIVED, Mark.STARTED, 4 * 60),
            StandardTime("resolution", RESOLVED, Mark.RECEIVED, Mark.FINISHED, 3 * WORKING_DAY),
        ),
    ),
    ServiceType(
        "helpdesk.software",
        _l("Software installation"),
        (StandardTime("resolution", RESOLVED, Mark.RECEIVED, Mark.FINISHED, WORKING_DAY),),
    ),
    ServiceType(
        "helpdesk.account",
        _l("E-office (saraban) accounts"),
        (StandardTime("resolution", RESOLVED, Mark.RECEIVED, Mark.FINISHED, WORKING_DAY),),
    ),
    ServiceType(
        "helpdesk.general",
        _l("Other ICT service requests"),
        (
            StandardTime("first_response", FIRST_RESPONSE, Mark.RECEIVED, Mark.STARTED, 4 * 60),
            StandardTime("resolution", RESOLVED, Mark.RECEIVED, Mark.FINISHED, 3 * WORKING_DAY),
        ),
    ),
    ServiceType(
        "helpdesk.development",
        _l("Development of applications and databases for management and services"),
        survey=False,
    ),
)
