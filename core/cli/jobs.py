"""``khet worker``: run background jobs from Redis."""

from __future__ import annotations

import click
from flask import Flask

from core.cli.base import with_app


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty instead of waiting for more.")
@with_app
def worker(app: Flask, burst: bool) -> None:
    """Run background jobs queued in Redis (KHET_REDIS_URL): sending notifications, periodic retries.

    Without KHET_REDIS_URL the web processes run the jobs themselves and no worker is needed.
    Run one or more next to the web server, e.g. as a systemd service.
    """
    from core.jobs import backend_of
    from core.jobs.redis_queue import RedisBackend, run_worker

    backend = backend_of(app)
    if not isinstance(backend, RedisBackend):
        raise click.ClickException(
            "KHET_REDIS_URL is not set: the web processes run background jobs themselves, no worker is needed"
        )
    run_worker(app, backend, burst=burst)
