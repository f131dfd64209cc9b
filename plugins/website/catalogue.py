"""The website services of the DLICT group (seed 002 §8, seed 000)."""

from core.i18n import lazy_gettext as _l
from core.standards.contributions import Mark, ServiceType, StandardTime

SERVICE_TYPES = (
    ServiceType("website.care", _l("Care and development of the office website"), survey=False),
    ServiceType(
        "website.publish",
        _l("Publishing news on the office website"),
        (StandardTime("resolution", _l("Published"), Mark.RECEIVED, Mark.FINISHED, 7 * 60),),
    ),
)
