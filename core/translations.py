"""Extracting, updating and compiling the translation catalogs with Babel's own tools.

One ``messages`` catalog serves core and the bundled plugins; ``admin`` translates
Flask-Admin's own interface (Flask-Admin ships no Thai catalog).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from core import __version__

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
LOCALES = ("th", "en")
DOMAINS = ("messages", "admin")
KEYWORDS = [
    "_",
    "gettext",
    "ngettext:1,2",
    "lazy_gettext",
    "_l",
    "N_",
    "N_plural:1,2",
    "pgettext:1c,2",
    "lazy_pgettext:1c,2",
]


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract() -> None:
    keywords = [arg for k in KEYWORDS for arg in ("-k", k)]
    _pybabel(
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        *keywords,
        "--no-location",
        "--sort-output",
        "--width=100",
        "--project=Khet",
        f"--version={__version__}",
        "-o",
        str(TRANSLATIONS / "messages.pot"),
        str(ROOT),
    )


def update() -> None:
    for locale in LOCALES:
        _pybabel(
            "update",
            "-i",
            str(TRANSLATIONS / "messages.pot"),
            "-d",
            str(TRANSLATIONS),
            "-l",
            locale,
            "--no-fuzzy-matching",
            "--width=100",
            "--ignore-obsolete",
        )
        _drop_placeholder_headers(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po")


# Babel's template headers that name nobody; the catalogs leave them out.
PLACEHOLDER_HEADERS = (
    '"Report-Msgid-Bugs-To: EMAIL@ADDRESS\\n"\n',
    '"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"\n',
)


def _drop_placeholder_headers(po: Path) -> None:
    text = po.read_text(encoding="utf-8")
    for header in PLACEHOLDER_HEADERS:
        text = text.replace(header, "")
    po.write_text(text, encoding="utf-8")


def compile_catalogs() -> list[Path]:
    """Compile every catalog whose ``.po`` is newer than its ``.mo``; return those compiled.

    Called when an application starts, so any way of running Khet serves translated pages.
    Each file is written aside and renamed, so workers starting together never read half a file.
    """
    compiled = []
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name, domain=po.stem)
        with tempfile.NamedTemporaryFile(dir=mo.parent, suffix=".tmp", delete=False) as target:
            write_mo(target, catalog)
        os.replace(target.name, mo)
        compiled.append(mo)
    return compiled
