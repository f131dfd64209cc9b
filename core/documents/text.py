"""How wide text looks, counted in characters, for layouts drawn without font metrics."""

from __future__ import annotations

import unicodedata

ZERO_WIDTH = {"Mn", "Me", "Cf"}  # Unicode categories of combining marks and format characters


def shown_length(text: str) -> int:
    """Characters that take width: Thai vowels and tone marks above and below a consonant do not."""
    return sum(unicodedata.category(char) not in ZERO_WIDTH for char in text)
