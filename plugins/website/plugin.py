"""Hook wiring of the website plugin."""

from flask_babel import lazy_gettext as _l

from core.plugins import KhetPlugin


class WebsitePlugin(KhetPlugin):
    name = "website"
    title = _l("Office website")
    description = _l("Requests to publish news on the office website, approval and publishing.")
