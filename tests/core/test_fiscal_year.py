"""The government fiscal year (1 October – 30 September, named by the BE year it ends in)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from core.i18n.fiscal import fiscal_quarter, fiscal_year, fiscal_year_range, quarter_range


@pytest.mark.parametrize(
    "day, year",
    [
        (date(2025, 9, 30), 2568),
        (date(2025, 10, 1), 2569),
        (date(2025, 12, 31), 2569),
        (date(2026, 1, 1), 2569),
        (date(2026, 9, 30), 2569),
        (date(2026, 10, 1), 2570),
        (date(2024, 2, 29), 2567),
    ],
)
def test_fiscal_year_edges(day, year):
    assert fiscal_year(day) == year


def test_fiscal_year_range():
    assert fiscal_year_range(2569) == (date(2025, 10, 1), date(2026, 9, 30))


@pytest.mark.parametrize(
    "day, quarter",
    [
        (date(2025, 10, 1), 1),
        (date(2025, 12, 31), 1),
        (date(2026, 1, 1), 2),
        (date(2026, 3, 31), 2),
        (date(2026, 4, 1), 3),
        (date(2026, 6, 30), 3),
        (date(2026, 7, 1), 4),
        (date(2026, 9, 30), 4),
    ],
)
def test_quarters(day, quarter):
    assert fiscal_quarter(day) == quarter


def test_quarter_ranges_cover_the_year_without_gaps():
    ranges = [quarter_range(2568, q) for q in (1, 2, 3, 4)]
    assert ranges[0] == (date(2024, 10, 1), date(2024, 12, 31))
    assert ranges[1] == (date(2025, 1, 1), date(2025, 3, 31))
    assert ranges[3] == (date(2025, 7, 1), date(2025, 9, 30))
    for (_, end), (start, _) in itertools.pairwise(ranges):
        assert (start - end).days == 1


def test_a_fifth_quarter_is_refused():
    with pytest.raises(ValueError):
        quarter_range(2569, 5)
