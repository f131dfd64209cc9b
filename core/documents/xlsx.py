"""Excel workbooks from sheets of headers and rows.

    data = render_xlsx([Sheet(_("Requests"), [_("Service"), _("Received"), _("Hours")], rows)])
    return download(data, "requests.xlsx", "xlsx")

Values keep their type: numbers stay numbers and dates real dates, so that people can sum, sort and
filter. Datetimes are stored times (naive UTC, or aware) and are written in Bangkok time, as pages
show them. A text that starts with ``=`` stays text: data never becomes a formula.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.child import INVALID_TITLE_REGEX

from core.documents.text import shown_length
from core.i18n.thaidate import to_local

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

Value = str | int | float | Decimal | bool | date | datetime | None

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MAX_TEXT = 32_767  # characters Excel holds in one cell
MAX_TITLE = 31  # characters of a sheet's name
MIN_WIDTH, MAX_WIDTH = 6, 60  # column widths, in characters


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a bold, frozen header row, then one row per item."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Value]]


def render_xlsx(sheets: Iterable[Sheet]) -> bytes:
    """The .xlsx file holding ``sheets``, in order."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        _write(workbook.create_sheet(_title(sheet.title)), sheet)
    data = BytesIO()
    workbook.save(data)
    return data.getvalue()


def _write(worksheet: WriteOnlyWorksheet, sheet: Sheet) -> None:
    headers = [_value(str(header)) for header in sheet.headers]  # lazy_gettext strings become text
    rows = [[_value(value) for value in row] for row in sheet.rows]
    for index, width in enumerate(_widths([headers, *rows]), start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = width
    worksheet.freeze_panes = "A2"
    worksheet.append([_cell(worksheet, header, bold=True) for header in headers])
    for row in rows:
        worksheet.append([_cell(worksheet, value) for value in row])


def _value(value: object) -> Value:
    if isinstance(value, datetime):
        return to_local(value).replace(tzinfo=None)  # Excel has no time zones
    if value is None or isinstance(value, int | float | Decimal | date):  # bool is an int
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_TEXT]


def _cell(worksheet: WriteOnlyWorksheet, value: Value, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl would take "=…" for a formula
    elif isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = Font(bold=True)
    return cell


def _widths(rows: list[list[Value]]) -> list[float]:
    """Column widths that fit the longest line of each column, within bounds."""
    widest: dict[int, int] = {}
    for row in rows:
        for index, value in enumerate(row):
            widest[index] = max(widest.get(index, 0), _shown_length(value))
    return [min(max(widest[index] + 2, MIN_WIDTH), MAX_WIDTH) for index in sorted(widest)]


def _shown_length(value: Value) -> int:
    if isinstance(value, datetime):
        return len(DATETIME_FORMAT)
    if isinstance(value, date):
        return len(DATE_FORMAT)
    lines = [] if value is None else str(value).splitlines()
    return max((shown_length(line) for line in lines), default=0)


def _title(title: str) -> str:
    """A sheet name Excel accepts: no ``[]:*?/\\``, at most 31 characters."""
    return INVALID_TITLE_REGEX.sub("-", str(title)).strip()[:MAX_TITLE] or "Sheet"
