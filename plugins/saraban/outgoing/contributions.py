"""What drafting and sending add to the saraban plugin's hooks (``plugin.py`` returns these)."""

from __future__ import annotations

from plugins.saraban.outgoing.models import Draft, DraftFile, LetterDelivery, SchoolGroup, SchoolGroupMember

MODELS = (Draft, DraftFile, LetterDelivery, SchoolGroup, SchoolGroupMember)
