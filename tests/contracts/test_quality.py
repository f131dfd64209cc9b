"""House rules checked on every run: lint, module boundaries, complete Thai catalogs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from core.translations import extract

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_ruff_finds_nothing():
    result = _run(str(BIN / "ruff"), "check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_never_imports_plugins_and_plugins_stay_apart():
    result = _run(str(BIN / "lint-imports"))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("domain", ["messages", "admin"])
def test_every_message_has_a_thai_translation(domain):
    with open(ROOT / "translations" / "th" / "LC_MESSAGES" / f"{domain}.po", "rb") as po:
        catalog = read_po(po)
    untranslated = [m.id for m in catalog if m.id and (m.fuzzy or not all(_strings(m)))]
    assert not untranslated, f"{len(untranslated)} without Thai: {untranslated[:5]}"


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def test_catalog_holds_every_string_of_the_code(tmp_path, monkeypatch):
    """A string added to the code but not extracted and translated fails here."""
    monkeypatch.setattr("core.translations.TRANSLATIONS", tmp_path)
    extract()
    with open(tmp_path / "messages.pot", "rb") as pot:
        wanted = {(m.context or "", m.id) for m in read_po(pot) if m.id}  # a word may have two uses
    with open(ROOT / "translations" / "th" / "LC_MESSAGES" / "messages.po", "rb") as po:
        present = {(m.context or "", m.id) for m in read_po(po) if m.id}
    assert not wanted - present, (
        f"run `khet i18n extract && khet i18n update`: {sorted(wanted - present)[:5]}"
    )
