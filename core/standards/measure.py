"""Measuring a service's marks against a standard, on the office's working calendar.

Pure functions over ``(mark, instant)`` pairs, so that the rules can be tested without a
database. Instants are naive UTC, as stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.calendar.working_time import WorkingCalendar
from core.standards.contributions import Clock, Mark, StandardTime

MarkedInstant = tuple[str, datetime]
Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class Measurement:
    """A standard as it stands: met, missed, or not decided yet (``met`` None)."""

    standard: StandardTime
    limit: int  # minutes allowed (or, for a lead time, required)
    minutes: float | None  # time taken so far; None until the first mark
    met: bool | None
    due_at: datetime | None = None  # when the time runs out, while the clock runs


def first(marks: Sequence[MarkedInstant], name: str) -> datetime | None:
    return next((at for mark, at in marks if mark == name), None)


def paused_spans(marks: Sequence[MarkedInstant], now: datetime) -> list[Span]:
    """Spans between each pause and the next resume (or ``now`` while still paused)."""
    spans, paused_at = [], None
    for mark, at in marks:
        if mark == Mark.PAUSED and paused_at is None:
            paused_at = at
        elif mark in (Mark.RESUMED, Mark.FINISHED) and paused_at is not None:
            spans.append((paused_at, at))
            paused_at = None
    if paused_at is not None:
        spans.append((paused_at, now))
    return spans


def elapsed(
    start: datetime, end: datetime, clock: Clock, calendar: WorkingCalendar, pauses: Sequence[Span] = ()
) -> timedelta:
    """Time from ``start`` to ``end`` on ``clock``, less the paused spans within it."""

    def span(begin: datetime, finish: datetime) -> timedelta:
        if finish <= begin:
            return timedelta()
        return calendar.working_time(begin, finish) if clock == Clock.WORKING else finish - begin

    return span(start, end) - sum((span(max(b, start), min(e, end)) for b, e in pauses), timedelta())


def measure(
    marks: Sequence[MarkedInstant],
    standard: StandardTime,
    limit: int,
    calendar: WorkingCalendar,
    now: datetime,
) -> Measurement:
    """Where ``standard`` stands for a service with these marks (sorted by time) at ``now``."""
    start, end = first(marks, standard.start), first(marks, standard.end)
    if standard.at_least:
        return _lead_time(standard, limit, start, end, calendar, now)
    if start is None:
        return Measurement(standard, limit, None, None)
    pauses = paused_spans(marks, now)
    taken = elapsed(start, end or now, standard.clock, calendar, pauses)
    minutes = taken / timedelta(minutes=1)
    if end is not None:
        return Measurement(standard, limit, minutes, minutes <= limit)
    if minutes > limit:
        return Measurement(standard, limit, minutes, False)
    running = not pauses or pauses[-1][1] < now
    return Measurement(
        standard,
        limit,
        minutes,
        None,
        _due(now, limit - minutes, standard.clock, calendar) if running else None,
    )


def _lead_time(
    standard: StandardTime,
    limit: int,
    start: datetime | None,
    end: datetime | None,
    calendar: WorkingCalendar,
    now: datetime,
) -> Measurement:
    """A step that must come ``limit`` minutes before another (set up before the meeting)."""
    if end is None:
        return Measurement(standard, limit, None, None)
    if start is None:
        # Not done yet: missed once there is no longer time for it.
        latest = end - timedelta(minutes=limit)
        return Measurement(standard, limit, None, False if now > latest else None, latest)
    minutes = elapsed(start, end, standard.clock, calendar) / timedelta(minutes=1)
    return Measurement(standard, limit, minutes, minutes >= limit)


def _due(now: datetime, remaining_minutes: float, clock: Clock, calendar: WorkingCalendar) -> datetime:
    remaining = timedelta(minutes=remaining_minutes)
    return calendar.add_working_time(now, remaining) if clock == Clock.WORKING else now + remaining
