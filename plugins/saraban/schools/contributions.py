"""What the schools' side adds to the saraban plugin's hooks (``plugin.py`` returns these)."""

from __future__ import annotations

from plugins.saraban.schools.models import SchoolLetter, SchoolLetterFile

MODELS = (SchoolLetter, SchoolLetterFile)
