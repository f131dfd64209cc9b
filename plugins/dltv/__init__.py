"""Satellite distance learning (การศึกษาทางไกลผ่านดาวเทียม, DLTV)."""

from plugins.dltv.plugin import DltvPlugin

plugin = DltvPlugin()
