"""Summaries of the measurements, the goals, the printed table and the JSON file."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from bench.load import Measurement

DASHBOARD_MIN_RATIO = 0.25
USERS_LIST_MAX_P95_MS = 100.0


@dataclass(frozen=True)
class Row:
    scenario: str
    path: str
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    ratio: float  # req/s relative to the bare hello app
    cpu_ms: float  # server CPU per request (gunicorn, and PostgreSQL when used)
    cpu_ratio: float  # the ceiling's CPU per request over this one's: capacity relative to it
    reference_ms: float | None = None  # the reference loop just before the measurement


@dataclass(frozen=True)
class Goal:
    text: str
    value: str
    passed: bool


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return math.nan
    return sorted_values[max(0, math.ceil(fraction * len(sorted_values)) - 1)]


def summarize(
    scenario: str,
    path: str,
    measurement: Measurement,
    cpu_seconds: float,
    ceiling: Row | None,
    reference_ms: float | None = None,
) -> Row:
    """One table row; ``ceiling`` None means this row is the ceiling."""
    latencies = sorted(measurement.latencies_ms)
    rps = len(latencies) / measurement.seconds
    cpu_ms = 1000 * cpu_seconds / max(len(latencies), 1)
    return Row(
        scenario=scenario,
        path=path,
        requests=len(latencies),
        errors=measurement.errors,
        rps=rps,
        p50_ms=percentile(latencies, 0.50),
        p95_ms=percentile(latencies, 0.95),
        p99_ms=percentile(latencies, 0.99),
        max_ms=latencies[-1] if latencies else math.nan,
        ratio=rps / (ceiling.rps if ceiling else rps),
        cpu_ms=cpu_ms,
        cpu_ratio=(ceiling.cpu_ms if ceiling else cpu_ms) / cpu_ms if cpu_ms else math.nan,
        reference_ms=reference_ms,
    )


def evaluate(rows: list[Row], *, dashboard: str, users_lists: list[str]) -> list[Goal]:
    """The goals: the dashboard keeps up with the bare app, the users lists answer fast, no errors."""
    by_name = {row.scenario: row for row in rows}
    board = by_name[dashboard]
    goals = [
        Goal(
            f"{dashboard}: req/s >= {DASHBOARD_MIN_RATIO:.0%} of the ceiling",
            f"{board.ratio:.1%}",
            board.ratio >= DASHBOARD_MIN_RATIO and board.errors == 0,
        )
    ]
    goals += [latency_goal(by_name[name], USERS_LIST_MAX_P95_MS) for name in users_lists]
    return goals


def latency_goal(row: Row, max_p95_ms: float, text: str | None = None) -> Goal:
    """The page's p95 under ``max_p95_ms``, without errors; ``text`` names it (the scenario's name)."""
    return Goal(
        f"{text or row.scenario}: p95 < {max_p95_ms:.0f} ms",
        f"{row.p95_ms:.1f} ms",
        row.p95_ms < max_p95_ms and row.errors == 0,
    )


def table(rows: list[Row], goals: list[Goal]) -> str:
    header = line(
        "scenario", "requests", "errors", "req/s", "p50 ms", "p95 ms", "ratio", "cpu ms", "cpu ratio"
    )
    lines = [header, "-" * len(header)]
    lines += [
        line(
            r.scenario,
            r.requests,
            r.errors,
            f"{r.rps:.1f}",
            f"{r.p50_ms:.1f}",
            f"{r.p95_ms:.1f}",
            f"{r.ratio:.1%}",
            f"{r.cpu_ms:.2f}",
            f"{r.cpu_ratio:.1%}",
        )
        for r in rows
    ]
    lines += ["", *goal_lines(goals)]
    return "\n".join(lines)


def goal_lines(goals: list[Goal]) -> list[str]:
    return [
        "goals (a goal with errors fails):",
        *(f"  {'PASS' if g.passed else 'FAIL'}  {g.text}: {g.value}" for g in goals),
    ]


def load_line(loads: dict[str, float]) -> str:
    """The one-minute load averages read at the named moments of a run."""
    return f"load average: {', '.join(f'{k} {v:.2f}' for k, v in loads.items())}"


def reference_line(milliseconds: float) -> str:
    return f"machine: the reference Python loop took {milliseconds:.1f} ms (lower is faster)"


def latency_table(title: str, rows: list[Row]) -> list[str]:
    """Per page: requests, errors, req/s, p50, p95, p99, the servers' CPU per request and the
    reference loop read just before the page was measured."""
    header = line(title, "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "cpu ms", "ref ms")
    return [
        header,
        "-" * len(header),
        *(
            line(
                r.scenario,
                r.requests,
                r.errors,
                *(f"{v:.1f}" for v in (r.rps, r.p50_ms, r.p95_ms, r.p99_ms)),
                f"{r.cpu_ms:.2f}",
                "—" if r.reference_ms is None else f"{r.reference_ms:.0f}",
            )
            for r in rows
        ),
    ]


def line(name: str, *cells: object) -> str:
    """A row of a printed table: the name, then right-aligned cells."""
    return f"{name:<16}" + "".join(f"{cell:>10}" for cell in cells)


def write_json(
    directory: Path,
    settings: dict[str, object],
    rows: list[Row],
    goals: list[Goal],
    *,
    name: str | None = None,
    **sections: object,
) -> Path:
    """``<time>-<name>.json``, ``name`` being the database unless given; ``sections`` go in as they are."""
    directory.mkdir(parents=True, exist_ok=True)
    now = datetime.now().astimezone()
    path = directory / f"{now:%Y%m%d-%H%M%S}-{name or settings['database']}.json"
    document = {
        "finished_at": now.isoformat(timespec="seconds"),
        "settings": settings,
        "scenarios": [asdict(row) for row in rows],
        **sections,
        "goals": [asdict(goal) for goal in goals],
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    return path
