"""Hook wiring of the website plugin."""

from core.i18n import lazy_gettext as _l
from core.plugins import KhetPlugin, hookimpl
from plugins.website.catalogue import SERVICE_TYPES


class WebsitePlugin(KhetPlugin):
    name = "website"
    title = _l("Office website")
    description = _l("Requests to publish news on the office website, approval and publishing.")

    @hookimpl
    def register_service_types(self):
        return SERVICE_TYPES
