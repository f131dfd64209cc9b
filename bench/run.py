"""Benchmark Khet under gunicorn against a bare Flask app: ``python -m bench.run --help``."""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from importlib.metadata import version
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import make_url

from bench.cpu import cpu_seconds, database_processes, process_tree, python_reference_ms
from bench.data import SEARCH_FRAGMENT
from bench.database import ADMIN_EMAIL, populate, scratch_database
from bench.load import fetch, measure, sign_in
from bench.report import (
    Goal,
    Row,
    evaluate,
    goal_lines,
    load_line,
    reference_line,
    summarize,
    table,
    write_json,
)
from bench.servers import ROOT, gunicorn
from core.demo import DemoLogin

RESULTS = Path(__file__).resolve().parent / "results"
HELLO_APP = "bench.hello_app:app"
KHET_APP = "core.wsgi:serving_app()"
BUSY_LOAD = 0.5  # one-minute load average above which other processes compete for the CPUs
PAGE_REFERENCE_REPEATS = 3  # the reference loop before each page: best of three, about half a second


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    signed_in: bool = True


CEILING = Scenario("hello", "/", signed_in=False)
DASHBOARD = Scenario("dashboard", "/")
USERS_LISTS = [
    Scenario("users list", "/admin/core_users/"),
    Scenario("users search", f"/admin/core_users/?search={quote(SEARCH_FRAGMENT)}"),
    Scenario("users page 2", "/admin/core_users/?page=1"),  # Flask-Admin counts pages from 0
]
KHET_SCENARIOS = [Scenario("login page", "/login", signed_in=False), DASHBOARD, *USERS_LISTS]


def load_options(parser: argparse.ArgumentParser, *, users: int) -> None:
    """The options every benchmark shares: data size, load shape, database, what to keep."""
    parser.add_argument("--users", type=int, default=users, help="extra users in the demo office")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per page")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of unrecorded load first")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads sending at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers, one thread each")
    parser.add_argument(
        "--database-url",
        help="PostgreSQL URL, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test; the run "
        "works in a new schema khet_bench_<random> and drops it afterwards (default: SQLite)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the instance folder (and schema)")


def checked(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    args = parser.parse_args(argv)
    if args.database_url and make_url(args.database_url).get_backend_name() != "postgresql":
        parser.error("--database-url must point to PostgreSQL")
    return args


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    load_options(parser, users=100_000)
    return checked(parser, argv)


@contextmanager
def instance_folder(keep: bool) -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="khet-bench-"))
    try:
        yield path
    finally:
        if keep:
            print(f"kept {path}", file=sys.stderr)
        else:
            shutil.rmtree(path)


def step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_scenario(
    scenario: Scenario,
    server: tuple[int, Callable[[], list[int]]],
    cookie: str,
    args: argparse.Namespace,
    ceiling: Row | None,
) -> Row:
    """Warm up without recording, then measure; ``ceiling`` None when this is the ceiling.

    ``server`` is the port and what finds the processes whose CPU time the requests cost, asked
    after the warm-up: by then every worker has opened its database connection, whose
    PostgreSQL backend is a process of its own.

    Between the two the reference loop is read: a shared machine can run at half its speed for
    minutes within a run (the same pages cost 11–14 ms of CPU in one run and 15–21 in the next),
    which one reading at the end of the run does not show.
    """
    port, find_processes = server
    headers = {"Cookie": cookie} if scenario.signed_in else {}
    load = partial(measure, port, scenario.path, headers=headers, concurrency=args.concurrency)
    step(f"{scenario.name}: GET {scenario.path}")
    load(duration=args.warmup)
    reference = python_reference_ms(repeats=PAGE_REFERENCE_REPEATS)
    processes = find_processes()
    cpu_before = cpu_seconds(processes)
    measurement = load(duration=args.duration)
    cpu_used = cpu_seconds(processes) - cpu_before
    return summarize(scenario.name, scenario.path, measurement, cpu_used, ceiling, reference)


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def load_at_start() -> float:
    """The one-minute load average as a run starts, with a warning when other work is running."""
    load = load_average()
    if load > BUSY_LOAD:
        step(f"warning: load average {load:.1f} at start; other work will skew the numbers")
    return load


@contextmanager
def prepared_instance(
    args: argparse.Namespace, *, email: str = ADMIN_EMAIL
) -> Iterator[tuple[Path, dict[str, str], DemoLogin]]:
    """A scratch instance folder and database with the app's own set-up, the demo office and
    ``--users`` extra people; yields the folder, the app's whole configuration and the login of
    ``email`` (a demo person). The app gets no other ``KHET_*`` setting than these three."""
    with (
        instance_folder(args.keep) as instance,
        scratch_database(instance, args.database_url, keep=args.keep) as database_url,
    ):
        env = {
            "KHET_INSTANCE_PATH": str(instance),
            "KHET_DATABASE_URL": database_url,
            "KHET_SECRET_KEY": secrets.token_hex(32),
        }
        step(f"preparing the database with {args.users} extra users")
        yield instance, env, populate(env, args.users, email=email)


def run_settings(args: argparse.Namespace, **extra: object) -> dict[str, object]:
    """What a results file says about the run: the options, ``extra``, the machine and the code."""
    return {
        "database": "postgresql" if args.database_url else "sqlite",
        **{k: v for k, v in vars(args).items() if k != "database_url"},
        **extra,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "gunicorn": version("gunicorn"),
        "commit": git_commit(),
    }


def finish(
    args: argparse.Namespace,
    name: str,
    rows: list[Row],
    goals: list[Goal],
    loads: dict[str, float],
    **sections: object,
) -> int:
    """Print the load averages and the goals, write ``<time>-<name>-<database>.json`` with
    ``sections``; return the exit status (0 when every goal passes)."""
    reference = python_reference_ms()
    print("", load_line(loads), reference_line(reference), "", *goal_lines(goals), sep="\n")
    settings = run_settings(args, load_averages=loads, python_reference_ms=reference)
    path = write_json(RESULTS, settings, rows, goals, name=f"{name}-{settings['database']}", **sections)
    print(f"\nwritten to {path}")
    return 0 if all(goal.passed for goal in goals) else 1


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    load = load_at_start()
    with prepared_instance(args) as (instance, env, admin):
        rows = measure_all(args, instance, env, admin)
    goals = evaluate(rows, dashboard=DASHBOARD.name, users_lists=[s.name for s in USERS_LISTS])
    print(table(rows, goals))
    reference = python_reference_ms()
    print(reference_line(reference))
    settings = run_settings(args, load_average_at_start=load, python_reference_ms=reference)
    print(f"\nwritten to {write_json(RESULTS, settings, rows, goals)}")
    return 0 if all(goal.passed for goal in goals) else 1


def measure_all(
    args: argparse.Namespace, instance: Path, env: Mapping[str, str], admin: DemoLogin
) -> list[Row]:
    """Measure the bare app and every Khet scenario, each on its own."""
    serve = partial(gunicorn, env=env, workers=args.workers, log=instance / "gunicorn.log")
    with serve(HELLO_APP, ready_path="/") as (port, pid):
        ceiling = run_scenario(CEILING, (port, partial(process_tree, pid)), "", args, None)
    with serve(KHET_APP, ready_path="/healthz") as (port, pid):
        cookie = sign_in(port, admin.email, admin.password)
        server = (port, partial(server_processes, pid, database=bool(args.database_url)))
        return [ceiling, *(run_scenario(s, server, cookie, args, ceiling) for s in KHET_SCENARIOS)]


def measure_pages(
    args: argparse.Namespace,
    env: Mapping[str, str],
    login: tuple[str, str],
    scenarios: Iterable[Scenario],
    check: Callable[[Scenario, str], str],
    log: Path,
) -> list[Row]:
    """Serve Khet, sign in with ``login`` (e-mail, password) and measure each scenario on its own.

    Each page is fetched once first: ``check(scenario, page)`` raises when it is not the page the
    scenario means to measure, and otherwise says what it shows.
    """
    with gunicorn(KHET_APP, env=env, workers=args.workers, log=log, ready_path="/healthz") as (port, pid):
        cookie = sign_in(port, *login)
        server = (port, partial(server_processes, pid, database=bool(args.database_url)))
        rows = []
        for scenario in scenarios:
            step(f"{scenario.name}: {check(scenario, fetch(port, scenario.path, cookie))}")
            rows.append(run_scenario(scenario, server, cookie, args, None))
        return rows


def server_processes(pid: int, *, database: bool) -> list[int]:
    """Gunicorn's master and workers, and every PostgreSQL process when the app runs on it."""
    return process_tree(pid) + (database_processes() if database else [])


def git_commit() -> str:
    """The working tree's commit, ``-dirty`` when it has uncommitted changes."""
    result = subprocess.run(
        ["git", "describe", "--always", "--dirty"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip() or "unknown"


if __name__ == "__main__":
    sys.exit(main())
