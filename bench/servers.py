"""Gunicorn on 127.0.0.1 with the same fixed settings for every application under test."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn_command(app: str, port: int, workers: int) -> list[str]:
    return [
        *(sys.executable, "-m", "gunicorn", "--chdir", str(ROOT), "--bind", f"{HOST}:{port}"),
        *("--workers", str(workers), "--threads", "1", "--worker-class", "sync", "--log-level", "warning"),
        app,
    ]


def app_environ(env: Mapping[str, str]) -> dict[str, str]:
    """The calling shell's environment with its ``KHET_*`` variables replaced by ``env``."""
    return {k: v for k, v in os.environ.items() if not k.startswith("KHET_")} | dict(env)


@contextmanager
def gunicorn(
    app: str, *, env: Mapping[str, str], workers: int, log: Path, ready_path: str
) -> Iterator[tuple[int, int]]:
    """Serve ``app`` (a gunicorn app spec) until the block ends; yield (port, pid) once it answers.

    ``KHET_*`` variables of the calling shell are left out: only ``env`` configures the app.
    """
    port = free_port()
    environ = app_environ(env)
    with log.open("ab") as output:
        process = subprocess.Popen(
            gunicorn_command(app, port, workers), env=environ, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_ready(process, port, ready_path, log)
        yield port, process.pid
    finally:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(process: subprocess.Popen, port: int, path: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log}")
        if _status(port, path) == 200:
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {path} within {START_TIMEOUT:.0f} s; see {log}")


def _status(port: int, path: str) -> int | None:
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()
