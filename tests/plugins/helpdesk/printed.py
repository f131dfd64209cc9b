"""The text of a printed form, as pdftotext reads it."""

from __future__ import annotations

import shutil
import subprocess

import pytest


def pdf_text(data: bytes) -> str:
    """The PDF's text; skips the test where poppler-utils are missing (CI installs them)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian's poppler-utils; CI installs it)")
    return subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
