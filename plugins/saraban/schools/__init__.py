"""The schools' side of the correspondence: letters from the office, acknowledged, and letters to it."""
