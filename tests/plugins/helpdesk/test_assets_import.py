"""Importing an asset register from CSV or Excel: every row checked, all rows or none."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from core.audit.models import AuditEvent
from core.db import db
from plugins.helpdesk.assets.importer import MAX_BYTES, UploadError, read_table
from plugins.helpdesk.assets.models import Asset, AssetStatus, AssetType
from tests.conftest import make_user, post
from tests.plugins.helpdesk.test_assets import client_of, office

__all__ = ["office"]  # a fixture, used by name

IMPORT = "/admin/helpdesk_assets/import/"

THAI_HEADER = ",".join(
    [
        "เลขครุภัณฑ์",
        "ประเภท",
        "ยี่ห้อ",
        "รุ่น",
        "หมายเลขเครื่อง",
        "สถานที่ตั้ง",
        "ผู้รับผิดชอบ",
        "วันที่ซื้อ",
        "วันสิ้นสุดการรับประกัน",
        "ผู้ขาย",
        "เช่า",
        "สถานะ",
    ]
)
THAI_ROWS = [
    "7440-001-0001/2566,คอมพิวเตอร์ตั้งโต๊ะ,Dell,OptiPlex 3000,SN-001,งานศูนย์ ICT A,tech@a.example,"
    "15/01/2566,14/01/2569,บริษัท คอมพ์ดี จำกัด,,ใช้งาน",
    "7440-005-0002/2567,เครื่องพิมพ์,Epson,L3250,SN-002,A-S,ครูสมศรี (ไม่มีบัญชี),"
    "01/10/2567,30/09/2570,ร้านพรินต์เตอร์,ใช่,ส่งซ่อม",
]


def _upload(client, content: bytes, name: str):
    data = {"file": (BytesIO(content), name)}
    return post(client, IMPORT, data, token_page=IMPORT)


def _csv(*lines: str, encoding: str = "utf-8-sig") -> bytes:
    return "\r\n".join(lines).encode(encoding)


def _assets(office_id: int) -> list[Asset]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Asset).where(Asset.office_id == office_id).order_by(Asset.asset_number))
    )


def _problems(page: str) -> list[tuple[str, str, str]]:
    """The report's rows as (row, column, message)."""
    table = page.split('id="import-problems"', 1)[1].split("</table>", 1)[0]
    rows = []
    for row in table.split("<tr>")[2:]:
        cells = [cell.split("</td>", 1)[0].strip() for cell in row.split("<td>")[1:]]
        rows.append(tuple(cells))
    return rows


def test_a_thai_csv_with_buddhist_era_dates_is_imported_whole(office, web):
    client = client_of(web, "tech@a.example")
    response = _upload(client, _csv(THAI_HEADER, *THAI_ROWS), "ทะเบียนครุภัณฑ์.csv")
    assert response.status_code == 302
    assert "2" in client.get(response.location).get_data(as_text=True)
    desktop, printer = _assets(office["office"].id)
    assert (desktop.asset_number, desktop.asset_type, desktop.location_id) == (
        "7440-001-0001/2566",
        AssetType.DESKTOP,
        office["unit"].id,
    )
    assert (desktop.purchase_date, desktop.warranty_end) == (date(2023, 1, 15), date(2026, 1, 14))
    assert desktop.owner_id == office["tech"].id and not desktop.leased
    assert (printer.location_id, printer.owner_id, printer.owner_name) == (
        office["school"].id,
        None,
        "ครูสมศรี (ไม่มีบัญชี)",
    )
    assert printer.leased and printer.status == AssetStatus.IN_REPAIR
    assert printer.vendor == "ร้านพรินต์เตอร์" and printer.serial_number == "SN-002"
    created = db.session.scalar(select(func.count()).where(AuditEvent.type == "helpdesk.asset.created"))
    assert created == 2


def test_excel_workbooks_are_read_with_english_headers_and_date_cells(office, web):
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["Asset number", "Type", "Brand", "Location", "Purchase date", "Warranty end", "Leased", "Status"]
    )
    sheet.append(
        [1001, "Notebook computer", "Lenovo", "A-U", datetime(2025, 6, 1), "31/05/2571", True, "Spare"]
    )
    # 15/01/2569 typed into an Excel that counts Gregorian years is stored as the year 2569.
    sheet.append(["PJ-01", "projector", "Epson", "โรงเรียนทดสอบ A", datetime(2569, 1, 15), None, "ไม่ใช่", ""])
    data = BytesIO()
    book.save(data)
    client = client_of(web, "tech@a.example")
    assert _upload(client, data.getvalue(), "assets.xlsx").status_code == 302
    notebook, projector = _assets(office["office"].id)
    assert (notebook.asset_number, notebook.asset_type, notebook.leased, notebook.status) == (
        "1001",
        AssetType.NOTEBOOK,
        True,
        AssetStatus.SPARE,
    )
    assert (notebook.purchase_date, notebook.warranty_end) == (date(2025, 6, 1), date(2028, 5, 31))
    assert (projector.purchase_date, projector.status, projector.leased) == (
        date(2026, 1, 15),
        AssetStatus.IN_USE,
        False,
    )


def test_excel_thai_csv_in_the_windows_code_page_is_read(office, web):
    client = client_of(web, "tech@a.example")
    content = _csv(THAI_HEADER, THAI_ROWS[0], encoding="cp874")
    assert _upload(client, content, "assets.csv").status_code == 302
    (asset,) = _assets(office["office"].id)
    assert asset.vendor == "บริษัท คอมพ์ดี จำกัด" and asset.asset_type == AssetType.DESKTOP


def test_any_bad_row_imports_nothing_and_each_mistake_is_reported(office, web):
    db.session.add(
        Asset(
            office_id=office["office"].id,
            asset_number="7440-001-0009/2560",
            asset_type=AssetType.MONITOR,
            location_id=office["unit"].id,
        )
    )
    db.session.commit()
    lines = [
        THAI_HEADER,
        THAI_ROWS[0],
        "7440-001-0001/2566,จอภาพ,,,,งานศูนย์ ICT A,,,,,,",  # the number of row 2 again
        "7440-001-0003/2566,จอภาพ,,,,งานพัสดุ,,,,,,",  # no such unit
        "7440-001-0004/2566,จอภาพ,,,,A-U,,31/02/2566,,,,",  # no such day
        "7440-001-0005/2566,กล้อง,,,,A-U,,,,,,หาย",  # unknown type and status
        "7440-001-0009/2560,จอภาพ,,,,A-U,,,,,,",  # already registered
        "7440-001-0006/2566,จอภาพ,,,,A-U,,01/02/2566,01/01/2566,,,",  # warranty before purchase
        "7440-001-0007/2566,จอภาพ,,,,B-U,,,,,,",  # another office's unit
        ",จอภาพ,,,,A-U,,,,,,",  # no number
    ]
    client = client_of(web, "tech@a.example")
    response = _upload(client, _csv(*lines), "assets.csv")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    found = _problems(page)
    assert ("3", "เลขครุภัณฑ์", "เลขครุภัณฑ์นี้อยู่ในแถวที่ 2 ของไฟล์แล้ว") in found
    assert ("4", "สถานที่ตั้ง", "ไม่มีหน่วยงานหรือโรงเรียนของสำนักงานที่ชื่อหรือรหัส “งานพัสดุ”") in found
    assert ("5", "วันที่ซื้อ", "ไม่มีวันที่นี้ในปฏิทิน") in found
    assert {(row, column) for row, column, _ in found} >= {
        ("6", "ประเภท"),
        ("6", "สถานะ"),
        ("7", "เลขครุภัณฑ์"),
        ("8", "วันสิ้นสุดการรับประกัน"),
        ("9", "สถานที่ตั้ง"),
        ("10", "เลขครุภัณฑ์"),
    }
    assert [asset.asset_number for asset in _assets(office["office"].id)] == ["7440-001-0009/2560"]


def test_the_report_speaks_the_readers_language(office, web):
    office["tech"].locale = "en"
    db.session.commit()
    client = client_of(web, "tech@a.example")
    page = _upload(client, _csv(THAI_HEADER, THAI_ROWS[0].replace("คอมพิวเตอร์ตั้งโต๊ะ", "พัดลม")), "a.csv")
    assert _problems(page.get_data(as_text=True)) == [
        ("2", "ประเภท", "Unknown type “พัดลม”: use a type from the template.")
    ]


def test_unknown_and_missing_columns_stop_the_import(office, web):
    client = client_of(web, "tech@a.example")
    page = _upload(client, _csv("เลขครุภัณฑ์,ยี่ห่อ,สถานที่ตั้ง", "X-1,Dell,A-U"), "a.csv").get_data(as_text=True)
    found = _problems(page)
    assert [(row, column) for row, column, _ in found] == [("1", "ยี่ห่อ"), ("1", "ประเภท")]
    assert _assets(office["office"].id) == []


@pytest.mark.parametrize(
    "content, name",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "assets.csv"),  # a picture named .csv
        (b"PK\x03\x04" + b"\x00" * 40, "assets.xlsx"),  # a broken zip
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "assets.xls"),
        (b"", "empty.csv"),
    ],
)
def test_files_that_are_no_table_are_refused_by_content(office, web, content, name):
    client = client_of(web, "tech@a.example")
    response = _upload(client, content, name)
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert _assets(office["office"].id) == []


def test_a_zip_that_is_not_a_workbook_is_refused():
    data = BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(UploadError):
        read_table(data.getvalue())


def test_files_over_the_size_limit_are_refused():
    with pytest.raises(UploadError):
        read_table(b"a," * (MAX_BYTES // 2 + 1))


def test_the_template_round_trips(office, web):
    client = client_of(web, "tech@a.example")
    response = client.get(IMPORT + "template.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data))
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["หมายเลขครุภัณฑ์", "ประเภท", "ยี่ห้อ"]
    values = {"หมายเลขครุภัณฑ์": "T-1", "ประเภท": "แท็บเล็ต", "สถานที่ตั้ง": "A-S", "วันที่ซื้อ": "01/06/2568"}
    sheet.append([values.get(header) for header in headers])
    data = BytesIO()
    book.save(data)
    response = _upload(client, data.getvalue(), "filled.xlsx")
    assert response.status_code == 302, _problems(response.get_data(as_text=True))
    (asset,) = _assets(office["office"].id)
    assert (asset.asset_type, asset.location_id, asset.purchase_date) == (
        AssetType.TABLET,
        office["school"].id,
        date(2025, 6, 1),
    )


def test_an_office_imports_only_into_itself(office, web):
    client = client_of(web, "tech@a.example")
    data = {"file": (BytesIO(_csv(THAI_HEADER, THAI_ROWS[0])), "a.csv"), "office": office["b"]["office"].id}
    post(client, IMPORT, data, token_page=IMPORT)
    assert _assets(office["b"]["office"].id) == []
    assert len(_assets(office["office"].id)) == 1  # a forged office is ignored: one's own is used


def test_an_installation_administrator_chooses_the_office(office, web):
    make_user("root@install.example", None, "admin")
    db.session.commit()
    client = client_of(web, "root@install.example")
    assert office["b"]["office"].name in client.get(IMPORT).get_data(as_text=True)
    row = THAI_ROWS[1].replace(",A-S,", ",B-S,")
    data = {"file": (BytesIO(_csv(THAI_HEADER, row)), "b.csv"), "office": office["b"]["office"].id}
    assert post(client, IMPORT, data, token_page=IMPORT).status_code == 302
    (asset,) = _assets(office["b"]["office"].id)
    assert asset.location_id == office["b"]["school"].id and _assets(office["office"].id) == []
