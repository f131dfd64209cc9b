"""Hook wiring of the conference plugin."""

from core.i18n import lazy_gettext as _l
from core.plugins import KhetPlugin, hookimpl
from plugins.conference.catalogue import SERVICE_TYPES


class ConferencePlugin(KhetPlugin):
    name = "conference"
    title = _l("Meetings and video conferences")
    description = _l("Booking of meeting rooms and video-conference service with set-up and check times.")

    @hookimpl
    def register_service_types(self):
        return SERVICE_TYPES
