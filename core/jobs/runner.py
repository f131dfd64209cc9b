"""Running one job the same way on every backend: own app context, audited as the job."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from core.audit import audit_context
from core.jobs.registry import JobRegistry

REGISTRY_KEY = "khet.jobs.registry"


def job_registry(app: Flask) -> JobRegistry:
    return app.extensions[REGISTRY_KEY]


def run_job(app: Flask, name: str, kwargs: Mapping[str, Any]) -> None:
    """Run a job once; exceptions reach the backend, which retries or logs them.

    Changes the job commits are recorded in the audit trail as made by ``job:<name>``; what
    it leaves uncommitted is rolled back when its application context ends.
    """
    job = job_registry(app).get(name)
    with app.app_context(), audit_context(f"job:{name}"):
        job.run(**kwargs)
