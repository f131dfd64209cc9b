"""Background jobs: ``enqueue(name, **kwargs)`` runs a registered job after the current commit.

Two backends behind one call: an embedded worker thread in each process (the default, nothing
to run besides the web server), or RQ on Redis when ``KHET_REDIS_URL`` is set (jobs then run
in ``khet worker``). Either way a job runs in an application context of its own, audited as
``job:<name>``, and is retried with backoff when it fails.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from functools import partial
from typing import Any, Protocol

from flask import Flask, current_app

from core.db import db
from core.jobs.embedded import EmbeddedWorker
from core.jobs.registry import RETRY_DELAYS, Job, JobRegistry, UnknownJob
from core.jobs.runner import REGISTRY_KEY, job_registry
from core.jobs.transaction import call_after_commit

__all__ = [
    "RETRY_DELAYS",
    "Job",
    "UnknownJob",
    "backend_of",
    "enqueue",
    "init_jobs",
    "register_job",
    "shutdown",
    "wait_idle",
]

log = logging.getLogger(__name__)

BACKEND_KEY = "khet.jobs.backend"


class Backend(Protocol):
    def submit(self, name: str, kwargs: Mapping[str, Any]) -> None: ...
    def start(self) -> None: ...
    def wait_idle(self, timeout: float = 30) -> bool: ...
    def stop(self, timeout: float = 30) -> None: ...


def init_jobs(app: Flask, redis_url: str | None) -> None:
    """Give the application its job registry and backend (RQ when Redis is configured)."""
    from core.state import khet  # the plugin registry imports jobs' types: import it late

    registry = JobRegistry(khet(app).registry.jobs.values())  # the plugins' own jobs
    app.extensions[REGISTRY_KEY] = registry
    if redis_url:
        from core.jobs.redis_queue import RedisBackend  # rq is imported only when it is used

        app.extensions[BACKEND_KEY] = RedisBackend(redis_url, registry)
    else:
        worker = EmbeddedWorker(app, registry)
        app.extensions[BACKEND_KEY] = worker
        app.before_request(worker.start)  # periodic jobs run in every web process


def register_job(app: Flask, job: Job) -> None:
    job_registry(app).add(job)


def backend_of(app: Flask) -> Backend:
    return app.extensions[BACKEND_KEY]


def enqueue(job_name: str, /, **kwargs: Any) -> None:
    """Run ``job_name(**kwargs)`` in the background once the current transaction commits.

    Nothing is queued when the transaction rolls back. Arguments must be JSON values (ids,
    not objects): the job reads what it needs from the database when it runs. A backend that
    cannot take the job (Redis away) is logged and never fails the commit.
    """
    app = current_app._get_current_object()
    job_registry(app).get(job_name)  # an unknown name fails here, in the caller
    payload = json.loads(json.dumps(kwargs))
    call_after_commit(db.session(), partial(_submit, app, job_name, payload))


def _submit(app: Flask, name: str, kwargs: Mapping[str, Any]) -> None:
    try:
        backend_of(app).submit(name, kwargs)
    except Exception:  # the commit has happened: it must not look failed to the caller
        log.exception("background job %s could not be queued", name)


def wait_idle(app: Flask, timeout: float = 30) -> bool:
    """Wait until the embedded worker has nothing left to do (RQ: returns at once)."""
    return backend_of(app).wait_idle(timeout)


def shutdown(app: Flask, timeout: float = 30) -> None:
    """Let queued jobs finish, then stop the worker thread (a command's end, a test's)."""
    backend_of(app).stop(timeout)
