"""Fixtures for the browser tests: the real ``khet demo`` server and Debian's Chromium.

The server is started exactly as the README says (``.venv/bin/khet demo``), with its own
temporary instance folder and a free port. Chromium is the system one (/usr/bin/chromium):
Playwright never downloads a browser here.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"
START_TIMEOUT = 60.0  # seconds for migrations, demo data (argon2 hashes) and the first /healthz

# "  admin@demo.khet.example      <password>  System administrator"
LOGIN_LINE = re.compile(r"^\s+(?P<email>\S+@\S+)\s+(?P<password>\S+)\s+(?P<position>.+?)\s*$")


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("KHET_REQUIRE_BROWSER") == "1":
        pytest.fail(f"Chromium is not installed ({CHROMIUM}) but KHET_REQUIRE_BROWSER=1")
    pytest.skip("Chromium is not installed (/usr/bin/chromium); CI installs it")


def khet_command() -> Path:
    """The ``khet`` console script of the interpreter running the tests (README: .venv/bin/khet)."""
    script = Path(sys.executable).with_name("khet")
    if not script.exists():
        pytest.fail(f"the khet console script is missing next to {sys.executable}; run pip install -e .")
    return script


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Local requests must never go through a proxy configured for the package registries.
_direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get_json(url: str, timeout: float = 2.0) -> tuple[int, dict]:
    try:
        with _direct.open(url, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {}


@dataclass
class DemoServer:
    """A running ``khet demo``: its address, the printed logins and its output so far."""

    base_url: str
    process: subprocess.Popen
    log_path: Path
    logins: dict[str, str] = field(default_factory=dict)  # e-mail -> one-time password
    output: list[str] = field(default_factory=list)
    running: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str) -> str:
        return self.base_url + path

    def output_tail(self, lines: int = 40) -> str:
        return "".join(self.output[-lines:])

    def password(self, email: str) -> str:
        return self.logins[email]


def _read_output(server: DemoServer) -> None:
    """Collect the server's output; the passwords are kept in memory, not in the log file."""
    assert server.process.stdout is not None
    with server.log_path.open("w", encoding="utf-8") as log:
        for line in server.process.stdout:
            match = LOGIN_LINE.match(line)
            if match and "@" in match["email"] and not line.lstrip().startswith("*"):
                server.logins[match["email"]] = match["password"]
                line = line.replace(match["password"], "*" * len(match["password"]), 1)
            if line.startswith("Khet is running at"):
                server.running.set()
            server.output.append(line)
            log.write(line)
            log.flush()


def _wait_until_healthy(server: DemoServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    last = "no answer"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            time.sleep(0.2)  # let the reader thread take the last lines
            pytest.fail(
                f"khet demo exited with code {server.process.returncode} before serving:\n"
                + server.output_tail()
            )
        if server.running.is_set():
            try:
                status, body = get_json(server.url("/healthz"))
            except (OSError, ValueError) as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if status == 200 and body.get("status") == "ok":
                    return
                last = f"HTTP {status}: {body}"
        time.sleep(0.2)
    pytest.fail(
        f"khet demo did not become healthy in {START_TIMEOUT:.0f} s ({last}):\n" + server.output_tail()
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def start_demo(
    workdir: Path, log_path: Path, request: pytest.FixtureRequest, extra_env: dict[str, str] | None = None
) -> DemoServer:
    """Start ``khet demo`` in ``workdir`` on a free port and wait until it answers /healthz.

    ``extra_env`` is added to the server's environment (``PYTHONPATH`` is prepended to any
    existing one). The server is stopped when ``request``'s scope ends.
    """
    require_chromium()
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        # The README's run command uses the defaults: SQLite in the instance folder, no Redis.
        if not key.startswith("KHET_") or key.startswith("KHET_TEST_") or key == "KHET_REQUIRE_BROWSER"
    }
    env.update(
        KHET_INSTANCE_PATH=str(workdir / "instance"),
        PYTHONUNBUFFERED="1",  # the logins and the "running" line arrive at once through the pipe
        PYTHONIOENCODING="utf-8",
    )
    for key, value in (extra_env or {}).items():
        if key == "PYTHONPATH" and env.get(key):
            value = os.pathsep.join((value, env[key]))
        env[key] = value
    process = subprocess.Popen(
        [str(khet_command()), "demo", "--host", "127.0.0.1", "--port", str(port)],
        cwd=workdir,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    server = DemoServer(base_url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
    reader = threading.Thread(target=_read_output, args=(server,), daemon=True)

    def stop() -> None:
        _stop(process)
        if reader.is_alive():
            reader.join(timeout=5)

    # The finalizer is registered before anything can fail, so the server never outlives the tests.
    request.addfinalizer(stop)
    reader.start()
    _wait_until_healthy(server)
    return server


def write_plugin(root: Path, name: str, source: str) -> None:
    """Make ``khet_<name>`` an installed distribution in ``root``, as pip would.

    Same layout as tests/contracts/throwaway.py: a module and a ``.dist-info`` whose
    ``entry_points.txt`` names the plugin in the ``khet.plugins`` group. With ``root`` on the
    server's ``PYTHONPATH``, importlib.metadata discovers it like any third-party package.
    """
    module = f"khet_{name}_plugin"
    (root / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    dist_info = root / f"khet_{name}-1.0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: khet-{name}\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text(f"[khet.plugins]\n{name} = {module}:plugin\n")


def _module_name(request: pytest.FixtureRequest) -> str:
    return request.module.__name__.rpartition(".")[2]


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory, artifacts_dir, request) -> Iterator[DemoServer]:
    """``khet demo`` as the README runs it, on a free port with a fresh SQLite instance folder.

    Module-scoped: the tests of one module share the demo office and its one-time passwords.
    """
    workdir = tmp_path_factory.mktemp("khet-demo")
    yield start_demo(workdir, artifacts_dir / f"{_module_name(request)}-server.log", request)


@pytest.fixture(scope="module")
def plugin_demo_server(tmp_path_factory, artifacts_dir, request) -> Iterator[DemoServer]:
    """``khet demo`` with the test module's extra plugins installed in the server's environment.

    The module names them in ``DEMO_PLUGINS`` (plugin name -> module source). The demo seeds
    their approval chains and switches them on for its office, as for any installed plugin.
    ``DEMO_ALLOWED_PLUGINS``, when the module sets it, is the server's ``KHET_PLUGINS``.
    """
    plugins: dict[str, str] = getattr(request.module, "DEMO_PLUGINS", {})
    workdir = tmp_path_factory.mktemp("khet-demo-plugins")
    site = workdir / "site-packages"
    site.mkdir()
    for name, source in plugins.items():
        write_plugin(site, name, source)
    environ = {"PYTHONPATH": str(site)}
    allowed = getattr(request.module, "DEMO_ALLOWED_PLUGINS", None)  # else every installed plugin
    if allowed is not None:
        environ["KHET_PLUGINS"] = ",".join(allowed)
    log_path = artifacts_dir / f"{_module_name(request)}-server.log"
    yield start_demo(workdir, log_path, request, environ)


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright's sync API."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser profile as a Thai office's PC has it: Thai language, Bangkok time."""
    context = browser.new_context(
        locale="th-TH",
        timezone_id="Asia/Bangkok",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
