"""The annual operation plan (แผนการดำเนินงาน): which services run in which months of the year."""

from __future__ import annotations

from dataclasses import dataclass

from core.standards.contributions import ALL_MONTHS
from core.standards.services import office_catalogue


@dataclass(frozen=True)
class PlanRow:
    """One service: its cells in fiscal order (October first), True where it runs."""

    number: int
    title: object
    cells: tuple[bool, ...]

    def spans(self) -> list[tuple[int, int]]:
        """Runs of consecutive months, as (first, last) cell indexes: drawn ←——→ in the plan."""
        runs: list[tuple[int, int]] = []
        for index, on in enumerate(self.cells):
            if on and runs and runs[-1][1] == index - 1:
                runs[-1] = (runs[-1][0], index)
            elif on:
                runs.append((index, index))
        return runs


def operation_plan(office_id: int) -> list[PlanRow]:
    """The plan of the services an office offers, in catalogue order."""
    return [
        PlanRow(number, run.service.title, tuple(month in run.months for month in ALL_MONTHS))
        for number, run in enumerate(office_catalogue(office_id, offered_only=True), start=1)
    ]
