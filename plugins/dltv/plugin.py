"""Hook wiring of the dltv plugin."""

from core.i18n import lazy_gettext as _l
from core.plugins import KhetPlugin


class DltvPlugin(KhetPlugin):
    name = "dltv"
    title = _l("Distance learning (DLTV)")
    description = _l("Satellite distance learning: schools, equipment, usage records and supervision.")
