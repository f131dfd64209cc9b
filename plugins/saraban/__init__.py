"""Official correspondence (งานสารบรรณ): registers, receiving and sending, routing, endorsements."""

from plugins.saraban.plugin import SarabanPlugin

plugin = SarabanPlugin()
