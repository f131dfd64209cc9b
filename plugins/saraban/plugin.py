"""Hook wiring of the saraban plugin."""

from flask_babel import lazy_gettext as _l

from core.plugins import KhetPlugin


class SarabanPlugin(KhetPlugin):
    name = "saraban"
    title = _l("Official correspondence")
    description = _l(
        "Registers of received and sent letters, circulars, orders and announcements; "
        "routing and endorsements."
    )
