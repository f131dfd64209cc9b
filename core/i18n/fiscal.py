"""The Thai government fiscal year (ปีงบประมาณ) and its quarters (ไตรมาส).

A fiscal year runs from 1 October to 30 September and is named by the Buddhist Era year it
ends in: ปีงบประมาณ 2569 = 1 October 2025 – 30 September 2026. Quarter 1 is October–December.
"""

from __future__ import annotations

from datetime import date, timedelta

from core.i18n.thaidate import BE_OFFSET

FIRST_MONTH = 10


def fiscal_year(day: date) -> int:
    """The fiscal year (Buddhist Era) that ``day`` falls in."""
    return day.year + BE_OFFSET + (1 if day.month >= FIRST_MONTH else 0)


def fiscal_year_range(year_be: int) -> tuple[date, date]:
    """First and last day of a fiscal year."""
    ends = year_be - BE_OFFSET
    return date(ends - 1, FIRST_MONTH, 1), date(ends, 9, 30)


def fiscal_quarter(day: date) -> int:
    """1 (Oct–Dec), 2 (Jan–Mar), 3 (Apr–Jun) or 4 (Jul–Sep)."""
    return (day.month - FIRST_MONTH) % 12 // 3 + 1


def quarter_range(year_be: int, quarter: int) -> tuple[date, date]:
    """First and last day of a quarter of a fiscal year."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"a fiscal year has quarters 1 to 4, not {quarter}")
    start, _ = fiscal_year_range(year_be)
    return _months_later(start, 3 * (quarter - 1)), _months_later(start, 3 * quarter) - timedelta(days=1)


def _months_later(first_of_month: date, months: int) -> date:
    index = first_of_month.month - 1 + months
    return date(first_of_month.year + index // 12, index % 12 + 1, 1)
