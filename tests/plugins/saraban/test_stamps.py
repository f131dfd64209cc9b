"""The receipt stamp and endorsements drawn onto a letter's PDF, read back; bad PDFs refused."""

from __future__ import annotations

import dataclasses
import subprocess
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from core.approvals.models import DelegationKind
from plugins.saraban.documents import Signatory, render_external_letter, render_memo
from plugins.saraban.stamps import Endorsement, PdfRefused, ReceiptStamp, endorse, stamp_receipt
from tests.core.test_documents import CM, _tool, _words
from tests.plugins.saraban.test_documents import LETTER, MEMO, first, joined, pdf_app, shown

__all__ = ["pdf_app"]  # a fixture, used by name

RECEIVED_AT = datetime(2026, 1, 16, 2, 5)  # 09.05 น. in Bangkok
STAMP = ReceiptStamp("สพป.ทดสอบ เขต 1", 1234, RECEIVED_AT)
DIRECTOR = Signatory(
    "นายอนุชา ทดลองงาน",
    "รองผู้อำนวยการ สพป.ทดสอบ เขต 1",
    DelegationKind.ACTING,
    "ผู้อำนวยการ สพป.ทดสอบ เขต 1",
)
ENDORSEMENTS = [
    Endorsement(
        "เรียน ผอ.สพป.ทดสอบ เขต 1 เพื่อโปรดทราบ",
        Signatory("นางวิไล ศรีทดสอบ", "ผู้อำนวยการกลุ่มอำนวยการ"),
        date(2026, 1, 16),
    ),
    Endorsement("ทราบ มอบ กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา", DIRECTOR, date(2026, 1, 17), "แจ้งโรงเรียน"),
]


@pytest.fixture
def pdfs(pdf_app, tmp_path):
    """Letters to draw on, made in the request of a Thai reader that stays open for the test."""
    with pdf_app.test_request_context(headers={"Accept-Language": "th"}):
        yield tmp_path


def draw(folder: Path, name: str, data: bytes) -> Path:
    path = folder / f"{name}.pdf"
    path.write_bytes(data)
    return path


def scan(ink_to: float) -> bytes:
    """An A4 page scanned at 50 dpi as one picture, with lines of text down to ``ink_to`` of it."""
    page = Image.new("L", (413, 585), 255)
    pen = ImageDraw.Draw(page)
    for top in range(40, int(585 * ink_to) - 6, 16):
        pen.rectangle((60, top, 380, top + 6), fill=20)
    data = BytesIO()
    page.save(data, "PDF", resolution=50)
    return data.getvalue()


def rotated(pdf: bytes, degrees: int) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    writer.pages[0].rotate(degrees)
    data = BytesIO()
    writer.write(data)
    return data.getvalue()


def test_the_receipt_stamp_is_a_box_at_the_top_right_of_the_first_page(pdfs):
    letter = render_external_letter(LETTER)
    stamped = draw(pdfs, "stamped", stamp_receipt(letter, STAMP))
    page, words = _words(stamped, 1)
    width = float(page.get("width"))
    stamp = [first(words, text) for text in ["สพป.ทดสอบ", "เลขรับ", "1234", "วันที่", "16", "เวลา", "09.05"]]
    for word in stamp:
        assert word[1] > width - 6 * CM and word[3] <= width - 1 * CM and word[2] >= 0.6 * CM
        assert word[4] <= 3.5 * CM
    assert "สพป.ทดสอบเขต1เลขรับ1234วันที่16ม.ค.2569เวลา09.05น." in joined(stamped)
    assert len(PdfReader(stamped).pages) == len(PdfReader(BytesIO(letter)).pages)


def test_the_letter_under_the_stamp_is_untouched(pdfs):
    letter = draw(pdfs, "letter", render_external_letter(LETTER))
    stamped = draw(pdfs, "stamped", stamp_receipt(letter.read_bytes(), STAMP))
    before, after = _words(letter, 1)[1], _words(stamped, 1)[1]
    assert [word for word in after if word in before] == before  # same words at the same places
    assert joined(letter) in joined(stamped)


def test_the_stamp_takes_thai_digits_when_the_office_writes_them(pdfs):
    stamp = dataclasses.replace(STAMP, thai_digits=True)
    text = joined(draw(pdfs, "stamped", stamp_receipt(render_memo(MEMO), stamp)))
    assert "เลขรับ๑๒๓๔วันที่๑๖ม.ค.๒๕๖๙เวลา๐๙.๐๕น." in text


def _blue_pixels(pdf: Path) -> list[tuple[int, int]]:
    """Where the first page, drawn as shown at 40 dpi, has the marks' dark blue ink."""
    image = shown(pdf, 1, dpi=40)
    data = image.tobytes()
    return [
        (index % image.width, index // image.width)
        for index in range(image.width * image.height)
        if data[3 * index + 2] - data[3 * index] > 40
    ]


@pytest.mark.parametrize("degrees", [90, 270])
def test_a_page_turned_by_its_rotation_is_stamped_at_the_top_right_as_shown(pdfs, degrees):
    stamped = draw(pdfs, "stamped", stamp_receipt(rotated(render_memo(MEMO), degrees), STAMP))
    page = PdfReader(stamped).pages[0]
    shown_width = float(page.mediabox.height)  # turned a quarter: the page shows its height across
    blue = _blue_pixels(stamped)
    assert blue
    assert min(x for x, __ in blue) > shown_width / 72 * 40 / 2
    assert max(y for __, y in blue) < 4 * CM / 72 * 40


def test_endorsements_go_in_the_free_lower_part_of_the_first_page(pdfs):
    memo = draw(pdfs, "memo", render_memo(MEMO))
    endorsed = draw(pdfs, "endorsed", endorse(memo.read_bytes(), ENDORSEMENTS))
    assert len(PdfReader(endorsed).pages) == 1
    __, letter_words = _words(memo, 1)
    page, words = _words(endorsed, 1)
    lowest = max(word[4] for word in letter_words)
    decision = first(words, "ทราบ")
    assert lowest < decision[2] and max(word[4] for word in words) <= float(page.get("height")) - 1 * CM
    text = joined(endorsed)
    assert joined(memo) in text
    for phrase in [
        "ทราบมอบกลุ่มนิเทศติดตามและประเมินผลการจัดการศึกษาแจ้งโรงเรียน",
        "(นายอนุชาทดลองงาน)รองผู้อำนวยการสพป.ทดสอบเขต1รักษาราชการแทนผู้อำนวยการสพป.ทดสอบเขต117ม.ค.69",
        "(นางวิไลศรีทดสอบ)ผู้อำนวยการกลุ่มอำนวยการ16ม.ค.69",
        "ลงนามอิเล็กทรอนิกส์",
    ]:
        assert phrase in text, phrase


def test_endorsements_go_on_an_added_page_when_the_first_is_full(pdfs):
    full = dataclasses.replace(LETTER, body=[LETTER.body[0]] * 5)
    letter = draw(pdfs, "letter", render_external_letter(full))
    pages = len(PdfReader(letter).pages)
    endorsed = draw(pdfs, "endorsed", endorse(letter.read_bytes(), ENDORSEMENTS, about="ที่ ศธ 04123/1575"))
    assert len(PdfReader(endorsed).pages) == pages + 1
    assert _words(endorsed, 1)[1] == _words(letter, 1)[1]  # the letter's first page as it was
    added = "".join(
        subprocess.run(
            [_tool("pdftotext"), "-enc", "UTF-8", "-raw", "-f", str(pages + 1), str(endorsed), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    )
    assert added.startswith("การเกษียนหนังสือที่ศธ04123/1575เรียนผอ.สพป.ทดสอบเขต1เพื่อโปรดทราบ")
    assert "ทราบมอบกลุ่มนิเทศ" in added and "รักษาราชการแทน" in added


def test_a_scan_is_endorsed_below_its_ink_or_on_an_added_page(pdfs):
    half = draw(pdfs, "half", endorse(scan(ink_to=0.5), ENDORSEMENTS[1:]))
    assert len(PdfReader(half).pages) == 1
    page, words = _words(half, 1)
    assert first(words, "ทราบ")[2] > float(page.get("height")) / 2
    full = draw(pdfs, "full", endorse(scan(ink_to=0.97), ENDORSEMENTS[1:]))
    assert len(PdfReader(full).pages) == 2


def test_a_signature_image_is_drawn_with_the_endorsement(pdfs):
    signature = BytesIO()
    Image.new("RGBA", (300, 100), (20, 40, 140, 255)).save(signature, "PNG")
    signer = dataclasses.replace(DIRECTOR, signature=signature.getvalue())
    endorsed = endorse(render_memo(MEMO), [dataclasses.replace(ENDORSEMENTS[1], signer=signer)])
    page = PdfReader(BytesIO(endorsed)).pages[0]
    assert len(page.images) == 1
    assert "ลงนามอิเล็กทรอนิกส์" not in joined(draw(pdfs, "signed", endorsed))


def _encrypted() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(BytesIO(scan(0.5))))
    writer.encrypt(user_password="", owner_password="owner-only")  # opens without a password
    data = BytesIO()
    writer.write(data)
    return data.getvalue()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (_encrypted, "ป้องกันด้วยรหัสผ่าน"),
        (lambda: b"", "ไม่ใช่ไฟล์ PDF"),
        (lambda: b"GIF89a not a letter", "ไม่ใช่ไฟล์ PDF"),
        (lambda: scan(0.5)[:300], "ไม่ใช่ไฟล์ PDF"),
        (
            lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>",
            "",
        ),
    ],
    ids=["encrypted", "empty", "not-a-pdf", "truncated", "no-pages"],
)
def test_a_protected_or_broken_pdf_is_refused_with_a_thai_reason(pdfs, data, reason):
    for drawing in (lambda pdf: stamp_receipt(pdf, STAMP), lambda pdf: endorse(pdf, ENDORSEMENTS)):
        with pytest.raises(PdfRefused) as refused:
            drawing(data())
        assert reason in str(refused.value)
