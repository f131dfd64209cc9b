"""The default backend: a daemon thread per application in each process.

Nothing to install or run besides the web server. Jobs wait in memory, so a job still
queued when the process stops is lost: work that must not be lost keeps its state in the
database and is picked up again by a periodic job.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from flask import Flask

from core.jobs.registry import JobRegistry
from core.jobs.runner import run_job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Call:
    name: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    attempt: int = 1
    periodic: bool = False  # periodic calls come back forever: waiting for idle ignores them


@dataclass(order=True)
class _Entry:
    due: float  # time.monotonic()
    seq: int
    call: Call = field(compare=False)


class EmbeddedWorker:
    """Runs jobs one at a time, in order of when they are due, on a thread of its own.

    The thread starts with the first job or the first request, in each process (a fork
    under gunicorn starts its own), and runs the periodic jobs every ``Job.every``.
    """

    def __init__(self, app: Flask, registry: JobRegistry) -> None:
        self._app = app
        self._registry = registry
        self._seq = itertools.count()
        self._start_lock = threading.Lock()
        self._reset()
        self._pid: int | None = None  # the process whose thread runs the jobs

    def _reset(self) -> None:
        self._cond = threading.Condition()
        self._queue: list[_Entry] = []
        self._running = 0
        self._stopping = False
        self._thread: threading.Thread | None = None

    # --- what callers use -------------------------------------------------------------

    def submit(self, name: str, kwargs: Mapping[str, Any]) -> None:
        self.start()
        self._push(Call(name, dict(kwargs)), delay=0)

    def start(self) -> None:
        """Start the thread in this process unless it runs already (cheap to call often)."""
        if self._pid == os.getpid():
            return
        with self._start_lock:
            if self._pid == os.getpid():
                return
            self._reset()  # first start, or a forked child: the parent's thread is not here
            for job in self._registry.periodic():
                self._push(Call(job.name, periodic=True), job.every.total_seconds())
            self._thread = threading.Thread(target=self._loop, name="khet-jobs", daemon=True)
            self._thread.start()
            self._pid = os.getpid()

    def wait_idle(self, timeout: float = 30) -> bool:
        """Wait until no job (retries included) is queued or running; False on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._running or any(not entry.call.periodic for entry in self._queue):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
        return True

    def stop(self, timeout: float = 30) -> None:
        """Let queued jobs finish (up to ``timeout``), then end the thread."""
        self.wait_idle(timeout)
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None and self._pid == os.getpid():
            self._thread.join(timeout)

    # --- the thread -------------------------------------------------------------------

    def _push(self, call: Call, delay: float) -> None:
        with self._cond:
            heapq.heappush(self._queue, _Entry(time.monotonic() + delay, next(self._seq), call))
            self._cond.notify_all()

    def _take(self) -> Call | None:
        with self._cond:
            while not self._stopping:
                wait = self._queue[0].due - time.monotonic() if self._queue else None
                if wait is not None and wait <= 0:
                    self._running += 1
                    return heapq.heappop(self._queue).call
                self._cond.wait(wait)
            return None

    def _loop(self) -> None:
        while (call := self._take()) is not None:
            try:
                self._perform(call)
            finally:
                with self._cond:
                    self._running -= 1
                    self._cond.notify_all()

    def _perform(self, call: Call) -> None:
        job = self._registry.get(call.name)
        try:
            run_job(self._app, call.name, call.kwargs)
        except Exception:
            if call.periodic or call.attempt > len(job.retries):
                log.exception("background job %s failed (attempt %d); giving up", call.name, call.attempt)
            else:
                delay = job.retries[call.attempt - 1]
                log.warning(
                    "background job %s failed (attempt %d); retrying in %ss",
                    call.name,
                    call.attempt,
                    delay,
                    exc_info=True,
                )
                self._push(replace(call, attempt=call.attempt + 1), delay)
        if call.periodic and job.every is not None:
            self._push(call, job.every.total_seconds())
