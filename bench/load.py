"""The load generator: threads with their own HTTP connection, each sending GETs back to back.

It runs in the runner's process, apart from the servers. Every request's latency is kept and
every answer other than 200 (or a broken connection) counts as an error. Gunicorn's sync
workers close the connection after each answer, so ``http.client`` reconnects as a browser
would; the latency includes the connect.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from http.client import HTTPConnection, HTTPException
from http.cookiejar import CookieJar
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

from bench.servers import HOST

REQUEST_TIMEOUT = 30.0
CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Tally:
    """What one client thread saw."""

    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0


@dataclass(frozen=True)
class Measurement:
    seconds: float
    latencies_ms: list[float]
    errors: int


def measure(
    port: int, path: str, *, headers: dict[str, str], concurrency: int, duration: float
) -> Measurement:
    """GET ``path`` from ``concurrency`` clients for ``duration`` seconds."""
    deadline = time.perf_counter() + duration
    tallies = [Tally() for _ in range(concurrency)]
    threads = [
        threading.Thread(target=_client, args=(port, path, headers, deadline, tally)) for tally in tallies
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Measurement(
        seconds=time.perf_counter() - started,
        latencies_ms=[ms for tally in tallies for ms in tally.latencies_ms],
        errors=sum(tally.errors for tally in tallies),
    )


def _client(port: int, path: str, headers: dict[str, str], deadline: float, tally: Tally) -> None:
    connection = HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        while (started := time.perf_counter()) < deadline:
            if not _get(connection, path, headers):
                tally.errors += 1
            tally.latencies_ms.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()


def _get(connection: HTTPConnection, path: str, headers: dict[str, str]) -> bool:
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
    except (OSError, HTTPException):
        connection.close()  # the next request reconnects
        return False
    return response.status == 200


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in through the real form (CSRF token included); return the ``Cookie`` header value."""
    base = f"http://{HOST}:{port}"
    cookies = CookieJar()
    browser = build_opener(HTTPCookieProcessor(cookies))
    with browser.open(f"{base}/login", timeout=REQUEST_TIMEOUT) as page:
        token = CSRF_INPUT.search(page.read().decode())
    if token is None:
        raise RuntimeError("the sign-in form has no CSRF token")
    form = urlencode({"csrf_token": token.group(1), "email": email, "password": password}).encode()
    with browser.open(f"{base}/login", data=form, timeout=REQUEST_TIMEOUT) as landing:
        if landing.url != f"{base}/":  # a successful sign-in redirects to the dashboard
            raise RuntimeError(f"signing in as {email} failed: landed on {landing.url}")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in cookies)


def fetch(port: int, path: str, cookie: str) -> str:
    """One GET of ``path`` with the session cookie: the page, or RuntimeError unless it is a 200."""
    connection = HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        page = response.read().decode()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}")
    return page
