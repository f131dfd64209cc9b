"""Hook wiring of the helpdesk plugin."""

from flask_babel import lazy_gettext as _l

from core.plugins import KhetPlugin, hookimpl
from plugins.helpdesk.catalogue import SERVICE_TYPES


class HelpdeskPlugin(KhetPlugin):
    name = "helpdesk"
    title = _l("ICT service center")
    description = _l("Service requests, repairs, assets and loans of ICT equipment, with service standards.")

    @hookimpl
    def register_service_types(self):
        return SERVICE_TYPES
