"""Meeting rooms and video-conference service (บริการห้องประชุมและ VDO Conference)."""

from plugins.conference.plugin import ConferencePlugin

plugin = ConferencePlugin()
