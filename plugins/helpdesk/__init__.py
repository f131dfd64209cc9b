"""The ICT service centre (ศูนย์บริการ ICT): requests, repairs, assets, loans."""

from plugins.helpdesk.plugin import HelpdeskPlugin

plugin = HelpdeskPlugin()
