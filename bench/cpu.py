"""CPU time spent by the servers under test, read from /proc (Linux).

Requests per second move with whatever else the machine runs; the CPU each request costs
the servers does not, so the table shows both.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (gunicorn's master and its workers)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        children = PROC / str(current) / "task" / str(current) / "children"
        if children.exists():
            pending.extend(int(child) for child in children.read_text().split())
    return found


def database_processes() -> list[int]:
    """PostgreSQL's server processes, whose work a request also causes."""
    return [
        int(entry.name)
        for entry in PROC.iterdir()
        if entry.name.isdigit() and _read(entry / "comm").strip() == "postgres"
    ]


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of the processes still running."""
    total = 0
    for pid in pids:
        stat = _read(PROC / str(pid) / "stat")
        if stat:
            fields = stat.rsplit(")", 1)[1].split()  # the command name may contain spaces
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:  # the process ended meanwhile
        return ""


def python_reference_ms(repeats: int = 5) -> float:
    """CPU milliseconds of a fixed pure-Python loop, the best of ``repeats``.

    Machines of the same kind differ (one ran the same fill in half the time of another), and
    every figure of a run moves with them: the reference says how fast this one ran Python,
    so that runs on different machines can be compared.
    """
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        total = 0
        for number in range(2_000_000):
            total += number % 7
        best = min(best, time.process_time() - start)
    return round(best * 1000, 1)
