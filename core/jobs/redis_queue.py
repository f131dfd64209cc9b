"""The RQ backend, used when ``KHET_REDIS_URL`` is set: jobs wait in Redis for ``khet worker``.

Jobs survive a restart of the web processes and run in a process of their own. The worker
runs jobs in its own process (RQ's ``SimpleWorker``: no fork per job, so database connections
stay with the process that opened them), retries failures after the job's delays through RQ's
scheduler, and keeps jobs that still fail in RQ's failed-job registry.
"""

from __future__ import annotations

import logging
import math
import signal
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app
from redis import Redis
from rq import Queue, Retry, SimpleWorker

from core.jobs.registry import JobRegistry
from core.jobs.runner import job_registry, run_job

log = logging.getLogger(__name__)

QUEUE_NAME = "khet"
JOB_TIMEOUT = 600  # seconds; a job running longer is stopped and retried
SUBMIT_TIMEOUT = 3  # seconds


def perform(name: str, kwargs: Mapping[str, Any]) -> None:
    """What RQ calls; the worker has pushed the application's context."""
    run_job(current_app._get_current_object(), name, kwargs)


class RedisBackend:
    def __init__(self, redis_url: str, registry: JobRegistry) -> None:
        self.redis_url = redis_url
        self._registry = registry
        # Web processes queue jobs after their commit: an unreachable Redis must not hold them long.
        connection = Redis.from_url(
            redis_url, socket_connect_timeout=SUBMIT_TIMEOUT, socket_timeout=SUBMIT_TIMEOUT
        )
        self.queue = Queue(QUEUE_NAME, connection=connection)

    def submit(self, name: str, kwargs: Mapping[str, Any]) -> None:
        job = self._registry.get(name)
        retry = (
            Retry(max=len(job.retries), interval=[math.ceil(d) for d in job.retries]) if job.retries else None
        )
        self.queue.enqueue(
            perform, name, dict(kwargs), retry=retry, job_timeout=JOB_TIMEOUT, description=f"khet {name}"
        )

    def start(self) -> None:
        """Nothing to start here: ``khet worker`` runs the jobs."""

    def wait_idle(self, timeout: float = 30) -> bool:
        return True  # the jobs belong to the worker processes, not to this one

    def stop(self, timeout: float = 30) -> None:
        self.queue.connection.close()


class KhetWorker(SimpleWorker):
    """An RQ worker that runs each job inside the application's context."""

    app: Flask

    def execute_job(self, job, queue):
        with self.app.app_context():
            return super().execute_job(job, queue)


def make_worker(app: Flask, backend: RedisBackend) -> KhetWorker:
    # A connection of its own without a read timeout: the worker blocks on Redis for new jobs.
    connection = Redis.from_url(backend.redis_url)
    worker = KhetWorker([Queue(QUEUE_NAME, connection=connection)], connection=connection)
    worker.app = app
    return worker


def run_worker(app: Flask, backend: RedisBackend, *, burst: bool = False) -> None:
    """Work the queue (until it is empty with ``burst``), enqueuing periodic jobs on time."""
    worker = make_worker(app, backend)
    stop = threading.Event()
    if not burst:
        threading.Thread(
            target=_enqueue_periodic,
            args=(backend, job_registry(app), stop),
            name="khet-periodic",
            daemon=True,
        ).start()
    with _signal_handlers_restored():
        try:
            worker.work(burst=burst, with_scheduler=True)
        finally:
            stop.set()
            worker.connection.close()


def _enqueue_periodic(backend: RedisBackend, registry: JobRegistry, stop: threading.Event) -> None:
    every = {job.name: job.every.total_seconds() for job in registry.periodic() if job.every}
    due = {name: time.monotonic() + seconds for name, seconds in every.items()}
    while due and not stop.wait(max(0.0, min(due.values()) - time.monotonic())):
        for name in [n for n, at in due.items() if at <= time.monotonic()]:
            due[name] = time.monotonic() + every[name]
            try:
                backend.submit(name, {})
            except Exception:  # Redis away for a moment: the next round tries again
                log.exception("periodic job %s could not be queued", name)


@contextmanager
def _signal_handlers_restored() -> Iterator[None]:
    """RQ takes over SIGINT and SIGTERM; give them back when it is done (tests run it in-process)."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
