"""What plugins declare: their service types and the standard time of each step."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

ALL_MONTHS = (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)  # a fiscal year, October first


class Clock(StrEnum):
    WORKING = "working"  # office hours on working days (core.calendar)
    CALENDAR = "calendar"  # every minute counts: meetings run at set times


class Mark(StrEnum):
    """The instants every service records; a service type may name more of its own."""

    RECEIVED = "received"  # รับเรื่อง
    STARTED = "started"  # เริ่มดำเนินการ (the first response)
    PAUSED = "paused"  # waiting for a vendor, parts or the requester: the clock stops
    RESUMED = "resumed"
    FINISHED = "finished"  # เสร็จสิ้น


@dataclass(frozen=True)
class StandardTime:
    """One standard (ตัวชี้วัด) of a service: the time from one mark to another.

    ``at_least`` turns the budget into a lead time: the video-conference room is set up *at
    least* 30 minutes before the meeting starts. Otherwise the span must not exceed
    ``minutes``, and paused time does not count.
    """

    key: str  # e.g. first_response
    title: object  # translated: _l("First response")
    start: str  # a Mark or one of the service type's own marks
    end: str
    minutes: int
    clock: Clock = Clock.WORKING
    at_least: bool = False


@dataclass(frozen=True)
class ServiceType:
    """A service in an office's catalogue; ``key`` is ``<plugin>.<name>``.

    ``marks`` names instants beyond the common ones (``scheduled_start``); ``months`` are the
    months of the fiscal year the service runs in the annual operation plan.
    """

    key: str
    title: object
    standards: tuple[StandardTime, ...] = ()
    marks: tuple[str, ...] = ()
    months: tuple[int, ...] = ALL_MONTHS
    survey: bool = True
    plugin: str = ""

    def known_marks(self) -> set[str]:
        return {m.value for m in Mark} | set(self.marks)

    def standard(self, key: str) -> StandardTime | None:
        return next((s for s in self.standards if s.key == key), None)
