"""What a background job is, and the per-application registry of jobs by name."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

# Seconds to wait before each new attempt of a failing job; then it is logged and dropped.
RETRY_DELAYS: tuple[float, ...] = (10, 60, 300)


@dataclass(frozen=True)
class Job:
    """A named piece of background work.

    ``run(**kwargs)`` is called in an application context of its own and commits its own
    work; an exception makes it run again after each of ``retries`` (seconds). A job with
    ``every`` is also run periodically by the worker.
    """

    name: str
    run: Callable[..., None]
    retries: tuple[float, ...] = RETRY_DELAYS
    every: timedelta | None = None


class UnknownJob(LookupError):
    """A job name that nothing registered."""


class JobRegistry:
    """The jobs of one application. Core registers its own; plugins may add theirs later."""

    def __init__(self, jobs: Iterable[Job] = ()) -> None:
        self._jobs: dict[str, Job] = {}
        for job in jobs:
            self.add(job)

    def add(self, job: Job) -> None:
        if job.name in self._jobs:
            raise ValueError(f"job {job.name!r} is registered twice")
        self._jobs[job.name] = job

    def get(self, name: str) -> Job:
        try:
            return self._jobs[name]
        except KeyError:
            raise UnknownJob(f"no background job named {name!r}") from None

    def periodic(self) -> list[Job]:
        return [job for job in self._jobs.values() if job.every is not None]
