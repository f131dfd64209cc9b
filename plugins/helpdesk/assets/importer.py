"""Importing an asset register from a CSV or Excel file: every row checked, all or nothing.

``read_table`` tells the file's kind from its content (an XLSX workbook is a zip holding
``xl/workbook.xml``; anything else must be text: UTF-8, UTF-16 with its mark, or the Thai
Windows code page cp874/TIS-620 that Excel writes for a Thai "CSV"). ``check_rows`` maps the
header row by Thai or English column names and checks every row, collecting a ``Problem``
(row, column, message) for each mistake. ``import_assets`` adds the assets only when no row
has a problem; the caller commits.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import force_locale
from openpyxl import load_workbook
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from core.auth.models import User
from core.db import db
from core.documents.xlsx import Sheet, render_xlsx
from core.i18n import SUPPORTED_LOCALES
from core.i18n import gettext as _
from core.i18n import lazy_gettext as _l
from core.i18n.thaidate import BE_OFFSET, DateInputError, arabic_digits, parse_date_input
from core.org.models import OrgUnit
from plugins.helpdesk.assets.models import (
    ASSET_LABELS,
    ASSET_STATUS_LABELS,
    ASSET_TYPE_LABELS,
    Asset,
    AssetStatus,
    AssetType,
)

MAX_BYTES = 5 * 1024 * 1024  # a register of tens of thousands of rows fits
MAX_UNPACKED = 60 * 1024 * 1024  # a workbook that unpacks to more is refused (zip bomb)
MAX_ROWS = 20_000
MAX_BLANK_RUN = 1_000  # formatted but empty rows at the end of a sheet are not read one by one
CHUNK = 500  # values per IN (...) when looking up what the office already holds
_FIRST_BE_YEAR = 2400  # a year from here on is a Buddhist Era year

Cell = str | int | float | bool | date | datetime | None


class UploadError(ValueError):
    """A file that cannot be read as a table at all; ``message`` says why, translated lazily."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Problem:
    """One mistake: the spreadsheet row (the header is row 1), the column as headed, a message."""

    row: int
    column: str
    message: object  # a lazy string: translated when shown


@dataclass(frozen=True)
class Column:
    key: str
    required: bool = False
    max_length: int | None = None
    aliases: tuple[str, ...] = ()  # Thai and English names people head the column with


COLUMNS = (
    Column("asset_number", True, 60, ("เลขครุภัณฑ์", "หมายเลขครุภัณฑ์", "รหัสครุภัณฑ์", "asset no")),
    Column("asset_type", True, None, ("ประเภท", "ประเภทครุภัณฑ์", "asset type")),
    Column("brand", False, 100, ("ยี่ห้อ",)),
    Column("model", False, 100, ("รุ่น",)),
    Column("serial_number", False, 100, ("หมายเลขเครื่อง", "หมายเลขประจำเครื่อง", "serial", "s/n")),
    Column("location", True, None, ("สถานที่ตั้ง", "ที่ตั้ง", "หน่วยงาน", "location code")),
    Column("owner", False, 200, ("ผู้รับผิดชอบ", "ผู้ใช้งาน")),
    Column("purchase_date", False, None, ("วันที่ได้มา", "วันที่ซื้อ")),
    Column("warranty_end", False, None, ("วันสิ้นสุดการรับประกัน", "สิ้นสุดการรับประกัน", "วันหมดประกัน")),
    Column("vendor", False, 200, ("ผู้ขาย", "ผู้ขาย/ผู้รับจ้าง", "บริษัทผู้ขาย")),
    Column("vendor_contact", False, 200, ("ติดต่อผู้ขาย", "โทรศัพท์ผู้ขาย")),
    Column("contract_number", False, 100, ("เลขที่สัญญา", "เลขที่ใบสั่งซื้อ", "contract number")),
    Column("leased", False, None, ("เช่า",)),
    Column("status", False, None, ("สถานะ",)),
    Column("note", False, 2000, ("หมายเหตุ",)),
)
COLUMN_TITLES = {column.key: ASSET_LABELS[column.key] for column in COLUMNS}

_YES = {"ใช่", "เช่า", "y", "yes", "true", "1", "x", "✓"}
_NO = {"", "ไม่", "ไม่ใช่", "ซื้อ", "n", "no", "false", "0", "-"}


def _key(text: object) -> str:
    """A header or value as compared: case, spaces, brackets' contents and marks ignored."""
    text = re.sub(r"\(.*?\)", "", str(text))
    return re.sub(r"[\s*._\-:/]+", "", text).casefold()


def _spaced(text: str) -> str:
    return " ".join(text.split())


# --- reading the file ----------------------------------------------------------------------


def read_table(data: bytes) -> list[list[Cell]]:
    """The file's rows (header first) as cell values, whatever its kind; ``UploadError`` otherwise."""
    if len(data) > MAX_BYTES:
        raise UploadError(_l("The file is larger than %(size)d MB.", size=MAX_BYTES // (1024 * 1024)))
    if not data.strip():
        raise UploadError(_l("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # the Excel 97–2003 format
        raise UploadError(_l("Old Excel files (.xls) cannot be read: save the sheet as .xlsx or CSV."))
    return _read_csv(_decode(data))


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UploadError(_l("The file is neither a CSV file nor an Excel workbook.")) from None
    if b"\x00" in data:
        raise UploadError(_l("The file is neither a CSV file nor an Excel workbook."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp874")  # Thai Windows (TIS-620 and a few more characters)
    except UnicodeDecodeError:
        raise UploadError(_l("The file's characters cannot be read: save it as CSV UTF-8.")) from None


def _read_csv(text: str) -> list[list[Cell]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # Excel writes ; or tabs in some locales
    rows: list[list[Cell]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error:
        raise UploadError(_l("The file is neither a CSV file nor an Excel workbook.")) from None
    return rows


def _read_xlsx(data: bytes) -> list[list[Cell]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise UploadError(_l("The file is neither a CSV file nor an Excel workbook.")) from None
    if not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
        raise UploadError(_l("The file is neither a CSV file nor an Excel workbook."))
    if unpacked > MAX_UNPACKED:
        raise UploadError(_l("The workbook is too large once unpacked."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            return list(_sheet_rows(workbook.worksheets[0].iter_rows(values_only=True)))
        finally:
            workbook.close()
    except UploadError:
        raise
    except Exception:  # an untrusted file: whatever the parser trips on, it is unreadable
        raise UploadError(_l("The workbook cannot be read: open it in Excel and save it again.")) from None


def _sheet_rows(rows: Iterable[Sequence[Cell]]) -> Iterator[list[Cell]]:
    """The sheet's rows up to the last one with a value, never more than the limit allows."""
    blank_run: list[list[Cell]] = []
    kept = 0
    for values in rows:
        row = list(values)
        if all(_is_blank(value) for value in row):
            blank_run.append(row)
            if len(blank_run) > MAX_BLANK_RUN:
                return
            continue
        yield from blank_run
        blank_run = []
        yield row
        kept += 1
        if kept > MAX_ROWS + 1:
            return


def _is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- checking the rows ---------------------------------------------------------------------


@dataclass
class Checked:
    """The result of checking a file: assets ready to add, or the problems that stop it."""

    assets: list[Asset] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Context:
    """What the office already holds, looked up once for the whole file."""

    office: OrgUnit
    units_by_code: dict[str, list[OrgUnit]]
    units_by_name: dict[str, list[OrgUnit]]
    users_by_email: dict[str, User]
    users_by_name: dict[str, list[User]]
    taken_numbers: set[str]
    types: dict[str, AssetType]
    statuses: dict[str, AssetStatus]


def check_rows(office: OrgUnit, rows: list[list[Cell]]) -> Checked:
    """Check every row of the table against the office's register; build the assets."""
    checked = Checked()
    if not rows or all(_is_blank(value) for value in rows[0]):
        checked.problems.append(Problem(1, "", _l("The first row must hold the column names.")))
        return checked
    headers = [_text(value) for value in rows[0]]
    columns = _map_headers(headers, checked.problems)
    body = [(number, row) for number, row in enumerate(rows[1:], start=2) if not all(map(_is_blank, row))]
    if len(body) > MAX_ROWS:
        checked.problems.append(
            Problem(1, "", _l("The file has more than %(count)d rows: split it.", count=MAX_ROWS))
        )
    if checked.problems:
        return checked
    if not body:
        checked.problems.append(Problem(2, "", _l("The file has no rows of assets.")))
        return checked
    context = _context(office, [dict(_cells(columns, row)) for _, row in body])
    first_row_of: dict[str, int] = {}
    for number, row in body:
        asset = _check_row(context, number, dict(_cells(columns, row)), headers, columns, checked.problems)
        if asset is None:
            continue
        earlier = first_row_of.setdefault(asset.asset_number, number)
        if earlier != number:
            checked.problems.append(
                Problem(
                    number,
                    headers[columns["asset_number"]],
                    _l("This asset number is already in row %(row)d of the file.", row=earlier),
                )
            )
        checked.assets.append(asset)
    if checked.problems:
        checked.assets = []
    return checked


def _map_headers(headers: list[str], problems: list[Problem]) -> dict[str, int]:
    """Column key → index in the row; unknown, repeated and missing columns are problems."""
    aliases = _header_aliases()
    columns: dict[str, int] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        key = aliases.get(_key(header))
        if key is None:
            problems.append(Problem(1, header, _l("Unknown column: rename it or remove it.")))
        elif key in columns:
            problems.append(Problem(1, header, _l("This column appears twice.")))
        else:
            columns[key] = index
    for column in COLUMNS:
        if column.required and column.key not in columns:
            problems.append(Problem(1, str(COLUMN_TITLES[column.key]), _l("This column is missing.")))
    return columns


def _header_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    for column in COLUMNS:
        names = [column.key, *column.aliases, *_in_every_language(COLUMN_TITLES[column.key])]
        aliases.update({_key(name): column.key for name in names})
    return aliases


def _in_every_language(text: object) -> list[str]:
    """A lazy string in each language of the interface: headers may come from either."""
    found = []
    for locale in SUPPORTED_LOCALES:
        with force_locale(locale):
            found.append(str(text))
    return found


def _choices(labels: dict) -> dict[str, object]:
    """Stored value, Thai and English label of each choice, as compared."""
    found = {}
    for value, label in labels.items():
        for name in (value, *_in_every_language(label)):
            found[_key(name)] = value
    return found


def _cells(columns: dict[str, int], row: list[Cell]) -> Iterator[tuple[str, Cell]]:
    for key, index in columns.items():
        yield key, row[index] if index < len(row) else None


def _context(office: OrgUnit, rows: list[dict[str, Cell]]) -> _Context:
    units = db.session.scalars(select(OrgUnit).where(OrgUnit.office_id == office.id))
    units_by_code: dict[str, list[OrgUnit]] = {}
    units_by_name: dict[str, list[OrgUnit]] = {}
    for unit in units:
        if unit.code:
            units_by_code.setdefault(unit.code.strip().casefold(), []).append(unit)
        units_by_name.setdefault(_spaced(unit.name), []).append(unit)
    owners = {_spaced(_text(row.get("owner"))) for row in rows} - {""}
    users_by_email: dict[str, User] = {}
    users_by_name: dict[str, list[User]] = {}
    for user in _office_users(office.id, owners):
        users_by_email[user.email.casefold()] = user
        users_by_name.setdefault(_spaced(user.name), []).append(user)
    numbers = {_text(row.get("asset_number")) for row in rows} - {""}
    return _Context(
        office=office,
        units_by_code=units_by_code,
        units_by_name=units_by_name,
        users_by_email=users_by_email,
        users_by_name=users_by_name,
        taken_numbers=_taken_numbers(office.id, numbers),
        types=_choices(ASSET_TYPE_LABELS),
        statuses=_choices(ASSET_STATUS_LABELS),
    )


def _chunks(values: Iterable[str]) -> Iterator[list[str]]:
    values = sorted(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _office_users(office_id: int, owners: set[str]) -> list[User]:
    found: list[User] = []
    for chunk in _chunks(owners):
        lowered = [owner.casefold() for owner in chunk]
        found.extend(
            db.session.scalars(
                select(User).where(
                    User.office_id == office_id,
                    User.active.is_(True),
                    or_(func.lower(User.email).in_(lowered), User.name.in_(chunk)),
                )
            )
        )
    return found


def _taken_numbers(office_id: int, numbers: set[str]) -> set[str]:
    taken: set[str] = set()
    for chunk in _chunks(numbers):
        taken.update(
            db.session.scalars(
                select(Asset.asset_number).where(Asset.office_id == office_id, Asset.asset_number.in_(chunk))
            )
        )
    return taken


def _check_row(
    context: _Context,
    number: int,
    cells: dict[str, Cell],
    headers: list[str],
    columns: dict[str, int],
    problems: list[Problem],
) -> Asset | None:
    """One row as an asset, or None after adding its problems."""
    found: list[Problem] = []

    def problem(key: str, message: object) -> None:
        found.append(Problem(number, headers[columns[key]], message))

    values: dict[str, object] = {}
    for column in COLUMNS:
        if column.key not in columns:
            continue
        cell = cells[column.key]
        if column.required and _is_blank(cell):
            problem(column.key, _l("This value is required."))
            continue
        if column.max_length and len(_text(cell)) > column.max_length:
            problem(column.key, _l("At most %(count)d characters.", count=column.max_length))
            continue
        try:
            values[column.key] = _READERS.get(column.key, _optional_text)(context, cell)
        except _BadValue as bad:
            problem(column.key, bad.message)
    if "asset_number" in values and values["asset_number"] in context.taken_numbers:
        problem("asset_number", _l("The office already has an asset with this number."))
    purchased, warranty = values.get("purchase_date"), values.get("warranty_end")
    if purchased and warranty and warranty < purchased:
        problem("warranty_end", _l("The warranty cannot end before the purchase date."))
    if found:
        problems.extend(found)
        return None
    owner = values.pop("owner", None)
    return Asset(
        office_id=context.office.id,
        owner=owner if isinstance(owner, User) else None,
        owner_name=owner if isinstance(owner, str) else None,
        leased=values.pop("leased", False),
        status=values.pop("status", None) or AssetStatus.IN_USE,
        **values,
    )


class _BadValue(ValueError):
    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


def _text(cell: Cell) -> str:
    """A cell as text: numbers as typed (Excel hands 1001 back as 1001.0), trimmed."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.strftime("%d/%m/%Y")
    return str(cell).strip()


def _optional_text(context: _Context, cell: Cell) -> str | None:
    return _text(cell) or None


def _asset_number(context: _Context, cell: Cell) -> str:
    return _text(cell)


def _asset_type(context: _Context, cell: Cell) -> AssetType:
    value = context.types.get(_key(_text(cell)))
    if value is None:
        raise _BadValue(_l("Unknown type “%(value)s”: use a type from the template.", value=_text(cell)))
    return AssetType(value)


def _status(context: _Context, cell: Cell) -> AssetStatus | None:
    if _is_blank(cell):
        return None
    value = context.statuses.get(_key(_text(cell)))
    if value is None:
        raise _BadValue(_l("Unknown status “%(value)s”: use a status from the template.", value=_text(cell)))
    return AssetStatus(value)


def _location(context: _Context, cell: Cell) -> OrgUnit:
    text = _text(cell)
    units = context.units_by_code.get(text.casefold()) or context.units_by_name.get(_spaced(text)) or []
    if not units:
        raise _BadValue(_l("No unit or school of the office is named or coded “%(value)s”.", value=text))
    if len(units) > 1:
        raise _BadValue(_l("Several units are named “%(value)s”: use the unit's code.", value=text))
    return units[0]


def _owner(context: _Context, cell: Cell) -> User | str | None:
    """A person of the office by e-mail or by a name nobody else has; otherwise the text as is."""
    text = _spaced(_text(cell))
    if not text:
        return None
    user = context.users_by_email.get(text.casefold())
    if user is None and len(context.users_by_name.get(text, [])) == 1:
        user = context.users_by_name[text][0]
    return user or text


def _leased(context: _Context, cell: Cell) -> bool:
    if isinstance(cell, bool):
        return cell
    text = _text(cell).casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise _BadValue(_l("Write “ใช่” or “yes” for a leased asset, or leave it empty."))


def _date(context: _Context, cell: Cell) -> date | None:
    """A date cell, or text in dd/mm/yyyy (Buddhist Era or Gregorian year) or yyyy-mm-dd.

    A file carries no language, so the year tells: from 2400 on it is a Buddhist Era year.
    The same holds for real date cells: 15/01/2569 typed into a Gregorian Excel is stored
    as the year 2569.
    """
    if isinstance(cell, datetime | date):
        day = cell.date() if isinstance(cell, datetime) else cell
        if day.year >= _FIRST_BE_YEAR:
            return _shift_year(day, -BE_OFFSET)
        return day
    text = arabic_digits(_text(cell))
    if not text:
        return None
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if iso:
        text = f"{iso[3]}/{iso[2]}/{iso[1]}"
    try:
        return parse_date_input(text, "th")
    except DateInputError as error:
        if error.reason == "gregorian_year":
            try:
                return parse_date_input(text, "en")
            except DateInputError:
                pass
        elif error.reason == "impossible":
            raise _BadValue(_l("This date does not exist in the calendar.")) from None
    raise _BadValue(_l("Write the date as dd/mm/yyyy, for example 15/01/2569."))


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        raise _BadValue(_l("This date does not exist in the calendar.")) from None


_READERS = {
    "asset_number": _asset_number,
    "asset_type": _asset_type,
    "location": _location,
    "owner": _owner,
    "purchase_date": _date,
    "warranty_end": _date,
    "leased": _leased,
    "status": _status,
}


# --- the template ---------------------------------------------------------------------------

_HINTS = {
    "asset_number": _l("The number on the asset's label, e.g. 7440-001-0001/2566; unique in the office."),
    "location": _l("The name or code of a work unit or school of the office."),
    "owner": _l("The e-mail or name of a person of the office, or any name."),
    "purchase_date": _l("dd/mm/yyyy, e.g. 15/01/2569 (Buddhist Era) or 15/01/2026."),
    "warranty_end": _l("dd/mm/yyyy, e.g. 15/01/2572 (Buddhist Era) or 15/01/2029."),
    "leased": _l("“ใช่” or “yes” for a leased asset; empty otherwise."),
}


def _listed(labels: dict) -> str:
    return ", ".join(str(label) for label in labels.values())


def template_workbook() -> bytes:
    """An empty register with the column names, and a sheet that explains each column."""
    titles = [str(COLUMN_TITLES[column.key]) for column in COLUMNS]
    choices = {
        "asset_type": _("One of: %(choices)s.", choices=_listed(ASSET_TYPE_LABELS)),
        "status": _(
            "One of: %(choices)s. Empty means “%(default)s”.",
            choices=_listed(ASSET_STATUS_LABELS),
            default=ASSET_STATUS_LABELS[AssetStatus.IN_USE],
        ),
    }
    explained = [
        (
            str(COLUMN_TITLES[column.key]),
            _("Required") if column.required else _("Optional"),
            str(_HINTS.get(column.key) or choices.get(column.key) or ""),
        )
        for column in COLUMNS
    ]
    return render_xlsx(
        [
            Sheet(_("Assets"), titles, []),
            Sheet(_("How to fill in"), [_("Column"), _("Required"), _("What to write")], explained),
        ]
    )


# --- importing -----------------------------------------------------------------------------


class ImportConflict(RuntimeError):
    """Someone registered one of the numbers while the file was being checked."""


def import_assets(office: OrgUnit, data: bytes) -> Checked:
    """Check the file and, when every row is right, add all its assets to the session.

    Raises ``UploadError`` for a file that is no table and ``ImportConflict`` when the
    database refuses a number registered meanwhile (nothing is added then either).
    """
    checked = check_rows(office, read_table(data))
    if not checked.ok:
        return checked
    try:
        with db.session.begin_nested():
            db.session.add_all(checked.assets)
            db.session.flush()
    except IntegrityError:
        raise ImportConflict() from None
    return checked
