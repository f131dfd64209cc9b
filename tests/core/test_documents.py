"""Generated documents: Thai PDFs that read back intact, typed Excel workbooks, safe SVG charts, downloads."""

from __future__ import annotations

import shutil
import socket
import subprocess
import xml.etree.ElementTree as ET
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote

import pytest
from jinja2 import ChoiceLoader, DictLoader
from openpyxl import load_workbook

from core.app import create_app
from core.documents.charts import bar_chart, column_chart
from core.documents.download import download
from core.documents.pdf import STATIC, RefusedURL, StaticFetcher, render_pdf
from core.documents.xlsx import Sheet, render_xlsx
from tests.conftest import _environ

SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"
CM = 72 / 2.54  # points
# "การ" (plain sara aa) comes before "ทำ" (sara am): when both shared one glyph, the second read
# back as the first ("ทา", "สำนักงำน").
THAI = ["การประชุม", "ทำ", "น้ำ", "สำนักงานเขตพื้นที่การศึกษา", "พ.ศ. ๒๕๖๙", "ผู้ใหญ่", "กำลัง", "ค้ำประกัน"]
REPORT = """{% extends "core/print/base.html" %}
{% block title %}รายงานสำนักงานเขตพื้นที่การศึกษา – Service report{% endblock %}
{% block body %}
<p>{{ _("Khet") }}: {{ phrases|join(" ") }} Service standards, 2026.</p>
{% for n in range(paragraphs) %}<p>ย่อหน้า {{ n }}: โรงเรียนในสังกัดได้รับบริการตามมาตรฐาน</p>{% endfor %}
<img src="http://example.com/logo.png" alt="">
{% endblock %}
"""


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (poppler-utils) is not installed; CI installs it")
    return path


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """An application without a database (documents need none), with a test report template."""
    instance = tmp_path_factory.mktemp("instance")
    application = create_app(
        _environ(f"sqlite:///{instance / 'khet.db'}", instance), config={"TESTING": True}
    )
    loader = ChoiceLoader([DictLoader({"test/report.html": REPORT}), application.jinja_env.loader])
    application.jinja_env.loader = loader
    return application


def _pdf(app, tmp_path: Path, **context) -> Path:
    with app.test_request_context(headers={"Accept-Language": "th"}):
        data = render_pdf("test/report.html", phrases=THAI, **context)
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return path


def _text(pdf: Path, *options: str) -> str:
    return subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", *options, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


@pytest.fixture(scope="module")
def report(app, tmp_path_factory) -> Path:
    return _pdf(app, tmp_path_factory.mktemp("pdf"), paragraphs=40, thai_digits=True)


def test_thai_and_english_text_reads_back_from_the_pdf(report):
    # -raw reads in drawing order: poppler's layout mode moves a tone mark that bold type raises
    # (a text rise) onto a line of its own, which is its guess at lines, not the PDF's text.
    text = "".join(_text(report, "-raw").split())
    for phrase in [*THAI, "รายงานสำนักงานเขตพื้นที่การศึกษา", "Service standards, 2026", "เขต:"]:
        assert "".join(phrase.split()) in text, phrase


def test_every_font_in_the_pdf_is_sarabun_embedded(report):
    lines = subprocess.run([_tool("pdffonts"), str(report)], capture_output=True, text=True, check=True)
    fonts = [line.split() for line in lines.stdout.splitlines()[2:]]
    assert {font[0].split("+")[-1] for font in fonts} == {"Sarabun", "Sarabun-Bold"}
    assert all(font[-5] == "yes" for font in fonts)  # the "emb" column


def _words(pdf: Path, page: int) -> tuple[ET.Element, list[tuple[str, float, float, float, float]]]:
    """The page's size and its words with their boxes (points from the top left), from pdftotext."""
    html = ET.fromstring(_text(pdf, "-bbox", "-f", str(page), "-l", str(page)))
    box = html.find(f".//{XHTML}page")
    return box, [
        (word.text, *(float(word.get(key)) for key in ("xMin", "yMin", "xMax", "yMax")))
        for word in box.iter(f"{XHTML}word")
    ]


def test_a4_with_the_official_margins_and_numbers_from_page_two_at_the_top_centre(report):
    page, words = _words(report, 2)
    assert (float(page.get("width")), float(page.get("height"))) == pytest.approx((595.28, 841.89), abs=0.01)
    top_margin = 2.5 * CM
    number = [word for word in words if word[4] < top_margin]
    body = [word for word in words if word[4] >= top_margin]
    assert [word[0] for word in number] == ["-", "๒", "-"]
    assert (number[0][1] + number[-1][3]) / 2 == pytest.approx((3 * CM + 595.28 - 2 * CM) / 2, abs=1)
    assert min(word[1] for word in body) == pytest.approx(3 * CM, abs=0.5)
    assert min(word[2] for word in body) >= top_margin - 1
    assert max(word[3] for word in body) <= 595.28 - 2 * CM
    __, first = _words(report, 1)
    assert all(word[4] >= top_margin for word in first)  # no number on the first page


def test_page_numbers_take_arabic_digits_when_the_office_does(app, tmp_path):
    arabic = _pdf(app, tmp_path, paragraphs=40, thai_digits=False)
    assert [word[0] for word in _words(arabic, 2)[1][:3]] == ["-", "2", "-"]


def test_a_document_never_reaches_the_network(app, tmp_path, monkeypatch):
    attempts = []

    def offline(*args, **kwargs):
        attempts.append(args)
        raise OSError("offline")

    monkeypatch.setattr(socket.socket, "connect", offline)
    monkeypatch.setattr(socket, "create_connection", offline)
    pdf = _pdf(app, tmp_path, paragraphs=1, thai_digits=False)  # the report links an image on example.com
    assert pdf.read_bytes().startswith(b"%PDF") and attempts == []


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/logo.png",
        "ftp://example.com/x",
        "file:///etc/passwd",
        (STATIC / ".." / "app.py").as_uri(),  # out of the static folder by ".."
        "file://example.com" + str(STATIC / "core" / "favicon.svg"),
        "data:text/plain,hello",
    ],
)
def test_the_fetcher_refuses_all_but_static_files(url):
    with pytest.raises(RefusedURL):
        StaticFetcher().fetch(url)


def test_the_fetcher_serves_static_files_and_the_pdf_fonts():
    favicon = StaticFetcher().fetch((STATIC / "core" / "favicon.svg").as_uri())
    assert favicon.content_type == "image/svg+xml" and b"<svg" in favicon.read()
    font = StaticFetcher().fetch("khet-font:sarabun-700.ttf")
    assert font.content_type == "font/ttf" and font.read()[:4] == b"\x00\x01\x00\x00"


@pytest.mark.parametrize(
    "kind, mimetype",
    [
        ("pdf", "application/pdf"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_a_download_carries_its_thai_name_and_is_not_cached(app, kind, mimetype):
    name = f"รายงาน ปี 2569.{kind}"
    with app.test_request_context():
        response = download(b"data", name, kind)
    assert response.mimetype == mimetype and response.get_data() == b"data"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == name


def test_a_download_name_cannot_break_out_of_its_header(app):
    with app.test_request_context():
        disposition = download(b"", 'a"b/../c\r\nX: y.csv', "csv").headers["Content-Disposition"]
    assert "\n" not in disposition and "/" not in unquote(disposition) and '"b' not in disposition
    with pytest.raises(ValueError):
        download(b"", "x.exe", "exe")


def test_the_workbook_keeps_types_thai_text_and_a_bold_frozen_header():
    data = render_xlsx(
        [
            Sheet(
                "คำขอ: ไตรมาส [1/2569]",
                ["บริการ", "วันที่", "รับเรื่อง", "ชั่วโมง", "จำนวน", "ผ่าน"],
                [
                    ["ซ่อมคอมพิวเตอร์ น้ำท่วม", date(2026, 1, 15), datetime(2026, 1, 15, 7, 30), 2.5, 3, True],
                    ['=HYPERLINK("http://x")', None, None, Decimal("1.25"), 0, False],
                ],
            ),
            Sheet("Second", ["A"], []),
        ]
    )
    workbook = load_workbook(BytesIO(data))
    assert workbook.sheetnames == ["คำขอ- ไตรมาส -1-2569-", "Second"]
    sheet = workbook.worksheets[0]
    assert sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == ["บริการ", "วันที่", "รับเรื่อง", "ชั่วโมง", "จำนวน", "ผ่าน"]
    assert all(cell.font.b for cell in sheet[1]) and not any(cell.font.b for cell in sheet[2])
    service, day, received, hours, count, passed = sheet[2]
    assert service.value == "ซ่อมคอมพิวเตอร์ น้ำท่วม"
    assert day.is_date and day.value == datetime(2026, 1, 15) and day.number_format == "dd/mm/yyyy"
    assert received.is_date and received.value == datetime(
        2026, 1, 15, 14, 30
    )  # stored UTC, shown in Bangkok
    assert (hours.value, hours.data_type) == (2.5, "n") and (count.value, count.data_type) == (3, "n")
    assert passed.value is True
    formula, __, __, decimal, *__ = sheet[3]
    assert (formula.value, formula.data_type) == ('=HYPERLINK("http://x")', "s")  # text, never a formula
    assert decimal.value == 1.25 and decimal.data_type == "n"
    widths = {key: dimension.width for key, dimension in sheet.column_dimensions.items()}
    assert widths["A"] > widths["E"] >= 6 and max(widths.values()) <= 60


def _parse(markup) -> ET.Element:
    root = ET.fromstring(str(markup))
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    return root


def test_a_chart_names_itself_for_screen_readers():
    root = _parse(bar_chart("ความพึงพอใจ", [("ซ่อม", 4.5)], maximum=5))
    assert root.get("aria-label") == root.find(f"{SVG}title").text == "ความพึงพอใจ"
    assert root.find(f"{SVG}desc").text == "ซ่อม: 4.5"


def test_hostile_labels_are_escaped():
    hostile = "<script>alert(1)</script> & co"
    for chart in (
        bar_chart(hostile, [(hostile, 1)]),
        column_chart(hostile, [hostile], [(hostile, [1])]),
    ):
        assert "<script" not in chart and "style=" not in chart
        texts = [element.text for element in _parse(chart).iter() if element.text]
        assert hostile in texts  # drawn as the text it is


def _bars(markup) -> list[ET.Element]:
    """The bars or columns that show values (they carry a tooltip; tracks and legend keys do not)."""
    return [rect for rect in _parse(markup).iter(f"{SVG}rect") if rect.find(f"{SVG}title") is not None]


def test_bars_are_as_long_as_their_share_of_the_maximum():
    chart = bar_chart("x", [("a", 5), ("b", 2.5), ("c", 0), ("d", 9), ("e", None)], maximum=5)
    full, half, zero, over, missing = (float(bar.get("width")) for bar in _bars(chart))
    assert full > 0 and half == pytest.approx(full / 2, abs=0.1)
    assert zero == missing == 0 and over == full
    assert "—" in [text.text for text in _parse(chart).iter(f"{SVG}text")]


def test_columns_stand_on_one_baseline_and_are_as_tall_as_their_values():
    chart = column_chart("x", ["Q1", "Q2"], [("a", [120, 30]), ("b", [60, None])])
    columns = _bars(chart)
    heights = [float(column.get("height")) for column in columns]  # Q1 a, Q1 b, Q2 a, Q2 b
    assert heights[0] == pytest.approx(2 * heights[1], abs=0.1)
    assert heights[0] == pytest.approx(4 * heights[2], abs=0.2)
    assert heights[3] == 0
    assert len({round(float(c.get("y")) + float(c.get("height")), 1) for c in columns}) == 1
    labels = [text.text for text in _parse(chart).iter(f"{SVG}text")]
    assert "200" in labels and "250" not in labels  # the axis rounds 120 up to 200


def test_a_series_needs_a_value_per_category():
    with pytest.raises(ValueError):
        column_chart("x", ["Q1", "Q2"], [("a", [1])])
