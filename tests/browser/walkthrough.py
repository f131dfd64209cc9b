"""What every browser walkthrough shares: numbered screenshots and the browser's complaints."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page


class Walkthrough:
    """Numbered screenshots ``<prefix>-NN-<name>.png``, and the problems seen along the way.

    Console errors (CSP violations included), JavaScript errors and 4xx/5xx answers from the
    server are collected, not raised: the test reports them all at the end.
    """

    def __init__(self, page: Page, artifacts_dir: Path, base_url: str, prefix: str) -> None:
        self.page = page
        self.dir = artifacts_dir
        self.base_url = base_url
        self.prefix = prefix
        self.step = 0
        self.problems: dict[str, int] = {}  # problem -> how many times it happened
        for old in artifacts_dir.glob(f"{prefix}-*.png"):
            old.unlink()
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problem(f"JavaScript error on {page.url}: {error}"))
        page.on("response", self._response)

    def problem(self, text: str) -> None:
        self.problems[text] = self.problems.get(text, 0) + 1

    def check(self, ok: bool, problem: str) -> None:
        """A check that does not stop the walkthrough: every problem is reported at the end."""
        if not ok:
            self.problem(problem)

    def report(self) -> str:
        return "\n".join(f"- {text}" + (f" (x{n})" if n > 1 else "") for text, n in self.problems.items())

    def _console(self, message) -> None:
        if message.type != "error":
            return
        if message.location.get("url", "").endswith("/favicon.ico"):
            return  # a browser asking for a favicon is not a broken page
        text = re.sub(r"'nonce-[^']*'", "'nonce-…'", message.text)  # one line per kind of violation
        self.problem(f"console error on {self.page.url}: {text}")

    def _response(self, response) -> None:
        # Nobody fails on purpose in a way that answers an error: a 4xx/5xx is a broken page.
        if response.status >= 400 and response.url.startswith(self.base_url):
            self.problem(f"HTTP {response.status} for {response.url}")

    def shot(self, name: str) -> None:
        self.step += 1
        path = self.dir / f"{self.prefix}-{self.step:02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
