"""Drafted letters as PDF: a memo and an external letter in the regulation's layout, read back."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from core.app import create_app
from core.approvals.models import DelegationKind
from plugins.saraban.documents import (
    DraftLetter,
    Signatory,
    render_external_letter,
    render_memo,
)
from plugins.saraban.models import Secrecy, Urgency
from tests.conftest import _environ
from tests.core.test_documents import CM, _text, _tool, _words

A4 = (595.28, 841.89)
# Sara am after plain sara aa, tone marks over and under: each must come back as typed.
THAI = ["การประชุม", "ทำ", "น้ำ", "สำนักงาน", "ผู้อำนวยการ", "กำลัง", "ค้ำประกัน", "ปฏิบัติ"]
OFFICE = "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1"
DEPUTY = Signatory(
    "นายอนุชา ทดลองงาน",
    "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1",
    DelegationKind.ON_BEHALF,
    "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1",
)
LETTER = DraftLetter(
    agency=OFFICE,
    address="ถนนมิตรภาพ อำเภอเมือง\nจังหวัดทดสอบ 40000",
    number="ศธ 04123/1575",
    dated=date(2026, 1, 15),
    subject="ขอเชิญประชุมการใช้ระบบสารบรรณอิเล็กทรอนิกส์",
    addressee="ผู้อำนวยการโรงเรียนในสังกัด",
    references=["หนังสือสำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน ที่ ศธ 04002/ว 2983"],
    enclosures=["กำหนดการประชุม จำนวน 1 ฉบับ"],
    body=[
        f"ด้วย{' '.join(THAI)} ในวันที่ 22 มกราคม 2569 เวลา 09.00 น.",
        "จึงเรียนมาเพื่อโปรดทราบ",
    ],
    signatory=DEPUTY,
    unit="กลุ่มอำนวยการ",
    phone="0 4324 2567",
    fax="0 4324 2568",
    email="saraban1@test1.go.th",
)
MEMO = dataclasses.replace(
    LETTER,
    agency="สพป.ทดสอบ เขต 1",
    subject="ขออนุมัติจัดประชุมเชิงปฏิบัติการ",
    addressee="ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1",
    references=(),
    enclosures=(),
    signatory=Signatory("นางสาวสมใจ ตั้งใจงาน", "นักจัดการงานทั่วไปชำนาญการ"),
)


@pytest.fixture(scope="module")
def pdf_app(tmp_path_factory):
    """An application with the saraban plugin and no database: drafting needs none."""
    instance = tmp_path_factory.mktemp("instance")
    return create_app(_environ(f"sqlite:///{instance / 'khet.db'}", instance), config={"TESTING": True})


@pytest.fixture
def render(pdf_app, tmp_path):
    """Render a letter as a reader of ``language`` would, into a file to read back."""

    def rendering(renderer, letter: DraftLetter, language: str = "th") -> Path:
        with pdf_app.test_request_context(headers={"Accept-Language": language}):
            data = renderer(letter)
        path = tmp_path / f"{renderer.__name__}-{language}.pdf"
        path.write_bytes(data)
        return path

    return rendering


def joined(pdf: Path) -> str:
    """The PDF's text in drawing order, without spaces and line breaks (Thai wraps mid-phrase)."""
    return "".join(_text(pdf, "-raw").split())


def first(words, text: str):
    """The first word that starts with ``text``: poppler's boxes cut a word at some raised marks."""
    return next(word for word in words if word[0].startswith(text))


def tops(words, texts: list[str]) -> list[float]:
    return [first(words, text)[2] for text in texts]


def test_a_memo_has_the_regulation_parts_in_order(render):
    pdf = render(render_memo, MEMO)
    page, words = _words(pdf, 1)
    heads = ["บันทึกข้อความ", "ส่วนราชการ", "ที่", "เรื่อง", "เรียน", "ด้วยการประชุม", "(นางสาวสมใจ"]
    assert tops(words, heads) == sorted(tops(words, heads))
    number, dated = first(words, "ที่"), first(words, "วันที่")
    assert dated[2] == pytest.approx(number[2], abs=2) and dated[1] > float(page.get("width")) / 2
    text = joined(pdf)
    for phrase in [*THAI, "กลุ่มอำนวยการสพป.ทดสอบเขต1โทร.043242567", "นักจัดการงานทั่วไปชำนาญการ"]:
        assert phrase in text, phrase
    assert "ขอแสดงความนับถือ" not in text  # a memo has no closing


def test_the_memo_heads_are_larger_than_its_text(render):
    __, words = _words(render(render_memo, MEMO), 1)
    height = {text: first(words, text)[4] - first(words, text)[2] for text in ["บันทึกข้อความ", "เรื่อง", "เรียน"]}
    # Title 29 pt, heads 20 pt, text (เรียน and the body) 16 pt.
    assert height["บันทึกข้อความ"] / height["เรียน"] == pytest.approx(29 / 16, rel=0.05)
    assert height["เรื่อง"] / height["เรียน"] == pytest.approx(20 / 16, rel=0.05)


def test_an_external_letter_has_the_regulation_parts_in_order(render):
    pdf = render(render_external_letter, LETTER)
    page, words = _words(pdf, 1)
    width = float(page.get("width"))
    heads = ["ที่", "15", "เรื่อง", "เรียน", "อ้างถึง", "สิ่งที่ส", "ด้วยการประชุม", "ขอแสดงความนับถือ"]
    heads += ["(นายอนุชา", "ปฏิบัติราชการแทน", "กลุ่มอำนวยการ", "โทร.", "โทรสาร", "ไปรษณีย์อิเล็กทรอนิกส์"]
    assert tops(words, heads) == sorted(tops(words, heads))
    # ที่ at the left margin, the agency at the right on the same line, the date from the middle.
    number, agency = first(words, "ที่"), first(words, "สำนักงานเขตพื้นที่การศึกษา")
    assert number[1] == pytest.approx(3 * CM, abs=1) and agency[1] > width / 2
    assert agency[2] == pytest.approx(number[2], abs=2)
    assert first(words, "15")[1] == pytest.approx((3 * CM + width - 2 * CM) / 2, abs=3)
    # The Garuda's 3 cm (from 1.5 cm) stays free above the ที่ line.
    assert number[2] >= 4.5 * CM
    closing, name = first(words, "ขอแสดงความนับถือ"), first(words, "(นายอนุชา")
    assert closing[1] == pytest.approx(first(words, "15")[1], abs=3)
    assert name[1] > width / 2 - 2 * CM
    text = joined(pdf)
    for phrase in [*THAI, "จังหวัดทดสอบ40000", "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบเขต1"]:
        assert phrase in text, phrase


def test_the_text_keeps_the_official_margins(render):
    page, words = _words(render(render_external_letter, LETTER), 1)
    assert (float(page.get("width")), float(page.get("height"))) == pytest.approx(A4, abs=0.01)
    assert min(word[1] for word in words) == pytest.approx(3 * CM, abs=0.5)
    assert max(word[3] for word in words) <= A4[0] - 2 * CM + 0.5
    assert max(word[4] for word in words) <= A4[1] - 2 * CM


def test_the_date_is_thai_and_buddhist_era_whatever_the_readers_language(render):
    text = joined(render(render_external_letter, LETTER, language="en"))
    assert "15มกราคม2569" in text and "พ.ศ." not in text and "January" not in text


def test_thai_digits_when_the_office_writes_them_but_never_in_an_address(render):
    text = joined(render(render_external_letter, dataclasses.replace(LETTER, thai_digits=True)))
    for phrase in ["ที่ศธ๐๔๑๒๓/๑๕๗๕", "๑๕มกราคม๒๕๖๙", "โทร.๐๔๓๒๔๒๕๖๗", "ศธ๐๔๐๐๒/ว๒๙๘๓", "เวลา๐๙.๐๐น."]:
        assert phrase in text, phrase
    assert "saraban1@test1.go.th" in text
    assert "15" not in text and "2569" not in text


def shown(pdf: Path, page: int, dpi: int = 72) -> Image.Image:
    """A page of the PDF as poppler draws it (at 72 dpi a pixel is a point)."""
    png = subprocess.run(
        [_tool("pdftoppm"), "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    return Image.open(BytesIO(png)).convert("RGB")


def _red_share(pdf: Path, word, page: int = 1) -> float:
    """The share of red pixels in a word's box."""
    box = shown(pdf, page).crop(tuple(round(value) for value in word[1:5]))
    data = box.tobytes()
    pixels = [data[index : index + 3] for index in range(0, len(data), 3)]
    red = [pixel for pixel in pixels if pixel[0] > 150 and pixel[1] < 90 and pixel[2] < 90]
    return len(red) / len(pixels)


def test_urgency_in_red_at_least_32_pt_at_the_top_left(render):
    letter = dataclasses.replace(LETTER, urgency=Urgency.MOST_URGENT, urgent_by=datetime(2026, 1, 19, 2, 0))
    pdf = render(render_external_letter, letter)
    __, words = _words(pdf, 1)
    urgency, body = first(words, "ด่วนที"), first(words, "เรียน")
    assert urgency[1] == pytest.approx(3 * CM, abs=1) and urgency[4] < first(words, "ที่")[2]
    assert (urgency[4] - urgency[2]) / (body[4] - body[2]) >= 32 / 16 * 0.98
    assert _red_share(pdf, urgency) > 0.1 and _red_share(pdf, body) == 0
    assert "ด่วนที่สุดด่วนภายใน19มกราคม2569เวลา09.00น." in joined(pdf)


def test_no_urgency_or_secrecy_mark_on_an_ordinary_letter(render):
    text = joined(render(render_memo, MEMO))
    assert text.startswith("ส่วนราชการ") or "ด่วน" not in text
    assert "ด่วน" not in text and "ลับ" not in text


def test_secrecy_in_red_at_the_top_and_bottom_of_every_page(render):
    letter = dataclasses.replace(LETTER, secrecy=Secrecy.SECRET, body=[LETTER.body[0]] * 12)
    pdf = render(render_external_letter, letter)
    assert len(PdfReader(pdf).pages) == 2
    for number in (1, 2):
        page, words = _words(pdf, number)
        marks = [word for word in words if word[0] == "ลับมาก"]
        assert [mark[2] < 2 * CM for mark in marks] == [True, False]
        assert marks[1][2] > float(page.get("height")) - 2 * CM
        for mark in marks:
            assert (mark[1] + mark[3]) / 2 == pytest.approx((3 * CM + A4[0] - 2 * CM) / 2, abs=2)
            assert _red_share(pdf, mark, number) > 0.1
    __, second = _words(pdf, 2)
    assert [word[0] for word in second if word[2] < 2.5 * CM and word[0] != "ลับมาก"] == ["-", "2", "-"]


def test_an_office_emblem_is_drawn_and_none_is_shipped(render):
    emblem = BytesIO()
    Image.new("RGB", (90, 100), (120, 90, 20)).save(emblem, "PNG")
    plain = PdfReader(render(render_external_letter, LETTER)).pages[0]
    assert len(plain.images) == 0
    with_emblem = PdfReader(render(render_memo, dataclasses.replace(MEMO, emblem=emblem.getvalue()))).pages[0]
    assert len(with_emblem.images) == 1


def test_a_signature_image_is_drawn_above_the_name(render):
    signature = BytesIO()
    Image.new("RGBA", (300, 100), (20, 40, 140, 255)).save(signature, "PNG")
    signed = dataclasses.replace(MEMO.signatory, signature=signature.getvalue())
    pdf = render(render_memo, dataclasses.replace(MEMO, signatory=signed))
    assert len(PdfReader(pdf).pages[0].images) == 1
