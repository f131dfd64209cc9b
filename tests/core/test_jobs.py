"""Background jobs run after the commit, never after a rollback, audited as jobs, retried.

The embedded worker runs in every test; the RQ variants use the Redis of
``KHET_TEST_REDIS_URL`` (CI sets it) and a burst worker in this process.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from itertools import pairwise

import pytest
from flask import current_app, has_request_context
from sqlalchemy import select

from core.audit.context import current_context
from core.audit.models import AuditEvent
from core.auth.models import User
from core.db import db
from core.jobs import Job, UnknownJob, backend_of, enqueue, register_job, wait_idle
from tests.conftest import REDIS_URL, make_user


class Recorder:
    """A job that notes each call, where it ran, and may fail its first calls."""

    def __init__(self, failures: int = 0) -> None:
        self.calls: list[dict] = []
        self.times: list[float] = []
        self.failures = failures
        self._lock = threading.Lock()

    def __call__(self, **kwargs) -> None:
        with self._lock:
            self.times.append(time.monotonic())
            self.calls.append(
                {
                    **kwargs,
                    "app": current_app._get_current_object(),
                    "origin": current_context().origin,
                    "in_request": has_request_context(),
                }
            )
            if len(self.calls) <= self.failures:
                raise RuntimeError(f"failure {len(self.calls)} on purpose")

    @property
    def values(self) -> list:
        return [call.get("value") for call in self.calls]


def _job(app, name: str, recorder: Recorder, **options) -> Recorder:
    register_job(app, Job(name, recorder, **options))
    return recorder


def test_a_job_runs_after_the_commit_in_an_app_context_of_its_own(app):
    job = _job(app, "test.record", Recorder())
    enqueue("test.record", value=1)
    assert wait_idle(app) and job.calls == []  # not before the commit
    db.session.commit()
    assert wait_idle(app)
    assert job.calls == [{"value": 1, "app": app, "origin": "job:test.record", "in_request": False}]


def test_nothing_runs_when_the_transaction_rolls_back(app):
    job = _job(app, "test.record", Recorder())
    enqueue("test.record", value=1)
    db.session.rollback()
    db.session.commit()
    assert wait_idle(app) and job.calls == []


def test_savepoints_keep_what_they_release_and_drop_what_they_roll_back(app):
    job = _job(app, "test.record", Recorder())
    enqueue("test.record", value="outer")
    with db.session.begin_nested():
        enqueue("test.record", value="released")
    savepoint = db.session.begin_nested()
    enqueue("test.record", value="rolled back")
    savepoint.rollback()
    assert wait_idle(app) and job.calls == []
    db.session.commit()
    assert wait_idle(app) and job.values == ["outer", "released"]


def test_what_a_job_changes_is_audited_as_the_job(app, two_offices):
    def rename(user_id: int, name: str) -> None:
        db.session.get_one(User, user_id).name = name
        db.session.commit()

    register_job(app, Job("test.rename", rename))
    person = make_user("somchai@a.example", two_offices["A"]["unit"], name="สมชาย")
    db.session.commit()
    enqueue("test.rename", user_id=person.id, name="สมชาย ใจดี")
    db.session.commit()
    assert wait_idle(app)
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.type == "core.user.updated").order_by(AuditEvent.id.desc())
    ).first()
    assert event.origin == "job:test.rename" and event.actor_id is None
    assert event.data["changes"]["name"] == ["สมชาย", "สมชาย ใจดี"]


def test_a_failing_job_is_retried_after_growing_delays(app):
    job = _job(app, "test.flaky", Recorder(failures=2), retries=(0.05, 0.3))
    enqueue("test.flaky")
    db.session.commit()
    assert wait_idle(app, timeout=10)
    assert len(job.calls) == 3
    first_gap, second_gap = (b - a for a, b in pairwise(job.times))
    assert first_gap >= 0.05 and second_gap >= 0.3


def test_a_job_that_keeps_failing_is_logged_and_the_worker_carries_on(app, caplog):
    broken = _job(app, "test.broken", Recorder(failures=99), retries=(0.01,))
    later = _job(app, "test.later", Recorder())
    enqueue("test.broken")
    db.session.commit()
    assert wait_idle(app, timeout=10)
    enqueue("test.later", value="still working")
    db.session.commit()
    assert wait_idle(app, timeout=10)
    assert len(broken.calls) == 2 and later.values == ["still working"]
    assert "background job test.broken failed (attempt 2); giving up" in caplog.text


def test_periodic_jobs_run_again_and_again(make_app):
    fresh = make_app()
    job = _job(fresh, "test.tick", Recorder(), every=timedelta(seconds=0.05))
    backend_of(fresh).start()
    deadline = time.monotonic() + 10
    while len(job.calls) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(job.calls) >= 3


def test_unknown_jobs_and_arguments_that_are_not_json_fail_in_the_caller(app):
    job = _job(app, "test.record", Recorder())
    with pytest.raises(UnknownJob):
        enqueue("test.nothing")
    with pytest.raises(TypeError):
        enqueue("test.record", value=object())
    db.session.commit()
    assert wait_idle(app) and job.calls == []


def test_an_unreachable_redis_never_fails_the_commit(make_app, app, caplog):
    unreachable = make_app(environ={"KHET_REDIS_URL": "redis://127.0.0.1:1/0"})
    with unreachable.app_context():
        register_job(unreachable, Job("test.record", Recorder()))
        enqueue("test.record", value=1)
        db.session.commit()
    assert "background job test.record could not be queued" in caplog.text


# --- RQ on Redis -------------------------------------------------------------------------


@pytest.fixture
def rq_app(make_app, app):
    """An application whose jobs go to Redis; the queue starts and ends empty."""
    if not REDIS_URL:
        pytest.skip("KHET_TEST_REDIS_URL is not set: the Redis variant is skipped")
    application = make_app(environ={"KHET_REDIS_URL": REDIS_URL})
    _empty(backend_of(application).queue)
    yield application
    _empty(backend_of(application).queue)


def _empty(queue) -> None:
    queue.empty()
    for registry in (queue.failed_job_registry, queue.finished_job_registry, queue.scheduled_job_registry):
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)


def _work(application) -> None:
    from core.jobs.redis_queue import run_worker

    run_worker(application, backend_of(application), burst=True)


def test_rq_gets_the_job_after_the_commit_and_a_worker_runs_it(rq_app):
    queue = backend_of(rq_app).queue
    with rq_app.app_context():
        job = _job(rq_app, "test.record", Recorder())
        enqueue("test.record", value="rolled back")
        db.session.rollback()
        enqueue("test.record", value="committed")
        assert queue.count == 0
        db.session.commit()
    assert queue.count == 1
    _work(rq_app)
    assert job.values == ["committed"]
    assert job.calls[0]["origin"] == "job:test.record" and job.calls[0]["app"] is rq_app
    assert queue.count == 0 and queue.finished_job_registry.count == 1


def test_rq_retries_a_failing_job_after_its_delays(rq_app, caplog):
    queue = backend_of(rq_app).queue
    with rq_app.app_context():
        job = _job(rq_app, "test.flaky", Recorder(failures=2), retries=(0, 600))
        enqueue("test.flaky")
        db.session.commit()
    _work(rq_app)
    # Failed, retried at once, failed again: the last retry waits ten minutes in RQ's schedule.
    assert len(job.calls) == 2
    assert queue.scheduled_job_registry.count == 1 and queue.failed_job_registry.count == 0


def test_khet_worker_needs_redis(run):
    result = run("worker", "--burst")
    assert result.exit_code == 1 and "KHET_REDIS_URL is not set" in result.output
