"""Sarabun for PDFs: the staff site's web font, merged into one TrueType face per weight.

The site serves Sarabun as Thai and Latin woff2 subsets picked by ``unicode-range``, which
WeasyPrint ignores, so a PDF gets each weight's two subsets merged into one face instead.

HarfBuzz splits sara am (ำ) into nikhahit and sara aa before the font is consulted, and WeasyPrint
maps each glyph to the first text it drew it for: the one sara aa glyph would then stand for both
า and ำ when the PDF's text is copied or searched ("สำนักงาน" came back as "สำนักงำน"). The merged
face draws the sara aa of a sara am with copies of its own, one for each tone mark that may stand
between, so that every glyph maps to one piece of text.
"""

from __future__ import annotations

import copy
import re
from functools import cache
from io import BytesIO
from pathlib import Path

from fontTools.merge import Merger
from fontTools.otlLib.builder import buildCoverage, buildLookup, buildSingleSubstSubtable
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables

FONTS = Path(__file__).resolve().parents[1] / "static" / "core" / "fonts"
URL_SCHEME = "khet-font:"  # print.css: src: url("khet-font:sarabun-400.ttf")
WEIGHTS = (400, 700)

SARA_AA = "uni0E32"
# Nikhahit alone or ligated with the tone mark HarfBuzz moves before it (and their narrow forms).
NIKHAHIT = re.compile(r"uni0E4D(?P<tone>0E4[89AB])?(?:\.narrow)?")


def font_file(url: str) -> bytes | None:
    """The TrueType face that a ``khet-font:`` URL names, or None for any other URL."""
    for weight in WEIGHTS:
        if url == f"{URL_SCHEME}sarabun-{weight}.ttf":
            return _sarabun(weight)
    return None


@cache
def _sarabun(weight: int) -> bytes:
    subsets = [FONTS / f"sarabun-{script}-{weight}-normal.woff2" for script in ("latin", "thai")]
    font = Merger().merge([str(path) for path in subsets])
    _distinct_sara_am(font)
    font.flavor = None
    data = BytesIO()
    font.save(data)
    return data.getvalue()


def _distinct_sara_am(font: TTFont) -> None:
    """Give the sara aa after each kind of nikhahit a glyph of its own (see the module's doc)."""
    nikhahits: dict[str, list[str]] = {}
    for name in font.getGlyphOrder():
        if match := NIKHAHIT.fullmatch(name):
            nikhahits.setdefault(f"{SARA_AA}.am{match['tone'] or ''}", []).append(name)
    font.setGlyphOrder([*font.getGlyphOrder(), *nikhahits])
    for copy_name in nikhahits:
        _copy_glyph(font, SARA_AA, copy_name)
    glyph_map = font.getReverseGlyphMap(rebuild=True)
    lookups = font["GSUB"].table.LookupList.Lookup
    rules = []
    for copy_name, after in nikhahits.items():
        lookups.append(buildLookup([buildSingleSubstSubtable({SARA_AA: copy_name})]))
        rules.append(_after(after, SARA_AA, len(lookups) - 1, glyph_map))
    lookups.append(buildLookup(rules))
    font["GSUB"].table.LookupList.LookupCount = len(lookups)
    # Appended to ccmp, the lookup runs after the font's own nikhahit and tone-mark ligatures.
    for record in font["GSUB"].table.FeatureList.FeatureRecord:
        if record.FeatureTag == "ccmp":
            record.Feature.LookupListIndex.append(len(lookups) - 1)
            record.Feature.LookupCount += 1


def _copy_glyph(font: TTFont, source: str, name: str) -> None:
    font["glyf"][name] = copy.deepcopy(font["glyf"][source])
    font["hmtx"][name] = font["hmtx"][source]
    classes = font["GDEF"].table.GlyphClassDef.classDefs
    classes[name] = classes.get(source, 1)


def _after(
    before: list[str], glyph: str, lookup_index: int, glyph_map: dict[str, int]
) -> otTables.ChainContextSubst:
    """A chained rule: ``glyph`` right after one of ``before`` goes through the lookup."""
    rule = otTables.ChainContextSubst()
    rule.Format = 3
    rule.BacktrackCoverage = [buildCoverage(before, glyph_map)]
    rule.InputCoverage, rule.LookAheadCoverage = [buildCoverage([glyph], glyph_map)], []
    rule.BacktrackGlyphCount, rule.InputGlyphCount, rule.LookAheadGlyphCount = 1, 1, 0
    record = otTables.SubstLookupRecord()
    record.SequenceIndex, record.LookupListIndex = 0, lookup_index
    rule.SubstLookupRecord, rule.SubstCount = [record], 1
    return rule
