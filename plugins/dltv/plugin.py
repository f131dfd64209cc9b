"""Hook wiring of the dltv plugin."""

from flask_babel import lazy_gettext as _l

from core.plugins import KhetPlugin


class DltvPlugin(KhetPlugin):
    name = "dltv"
    title = _l("Distance learning (DLTV)")
    description = _l("Satellite distance learning: schools, equipment, usage records and supervision.")
