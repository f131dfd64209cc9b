"""Official letters drafted in Khet, as PDF in the layout of the correspondence regulation.

    from plugins.saraban.documents import DraftLetter, Signatory, render_memo, render_external_letter
    pdf = render_memo(DraftLetter(agency="สพป.ขอนแก่น เขต ๑", number="ศธ 04123/1575", ...))

Two of the regulation's six kinds are drafted here: the internal memo (บันทึกข้อความ, แบบที่ ๒)
and the external letter (หนังสือภายนอก, แบบที่ ๑). The input is plain data, not a database row,
so that the registers can map their records onto it. The texts of a letter are Thai whatever the
clerk's language (docs/decisions.md); only Khet's own words go through the catalog.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import render_template
from flask_babel import force_locale
from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcherResponse

from core.approvals.models import DelegationKind
from core.documents.pdf import PRINT_CSS, STATIC_URL, StaticFetcher
from core.i18n.thaidate import be_year, month_names, thai_digits, to_local
from plugins.saraban.models import Secrecy, Urgency

PRINT = Path(__file__).resolve().parent / "templates" / "saraban" / "print"
SARABAN_CSS = PRINT / "print.css"  # read as a file, like core's print.css: the fetcher serves core only
IMAGE_SCHEME = "saraban-image:"  # <img src="saraban-image:signature">: bytes handed to the renderer
DOCUMENT_LOCALE = "th"
# Typed exactly as they are, whatever the office's digits: e-mail and web addresses.
ADDRESS = re.compile(r"\S+@\S+|(?:https?://|www\.)\S+")

# The regulation's words for the classes, printed on the letter whatever the reader's language
# (the registers' own labels, URGENCY_LABELS and SECRECY_LABELS, follow the reader's).
URGENCY_THAI = {
    Urgency.NORMAL: "ปกติ",
    Urgency.URGENT: "ด่วน",
    Urgency.VERY_URGENT: "ด่วนมาก",
    Urgency.MOST_URGENT: "ด่วนที่สุด",
}
SECRECY_THAI = {
    Secrecy.NONE: "ไม่ลับ",
    Secrecy.CONFIDENTIAL: "ลับ",
    Secrecy.SECRET: "ลับมาก",
    Secrecy.TOP_SECRET: "ลับที่สุด",
}
# How a person signs for the holder of a position (core.approvals records who acted for whom).
ACTING_THAI = {
    DelegationKind.ON_BEHALF: "ปฏิบัติราชการแทน",  # by delegation of the holder's power
    DelegationKind.ACTING: "รักษาราชการแทน",  # in place of a holder who is away or not appointed
}


@dataclass(frozen=True)
class Signatory:
    """ผู้ลงนาม: the person who signs a letter or an endorsement, as printed under the signature."""

    name: str  # printed in brackets: (นางสาวสมใจ ตั้งใจงาน)
    position: str  # ตำแหน่ง
    acting: DelegationKind | None = None  # ปฏิบัติราชการแทน / รักษาราชการแทน ...
    acting_for: str = ""  # ... the position signed for, e.g. ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา...
    signature: bytes | None = None  # an image (PNG) of the signature, drawn above the name
    signed: str = ""  # without an image: the electronic signature's line (ลงนามอิเล็กทรอนิกส์ …) in its place


@dataclass(frozen=True)
class DraftLetter:
    """A memo (บันทึกข้อความ) or an external letter (หนังสือภายนอก) to print.

    ``number`` is the ที่ line as it stands: ``ศธ 04123/1575``, or only ``ศธ 04123/`` while the
    letter waits for its number. ``dated`` None leaves the date for the day of signing. Each
    string of ``body`` is a paragraph. ``unit`` and ``phone`` are the owner of the matter: the
    ส่วนราชการ line of a memo, the lines at the foot of an external letter.
    """

    agency: str  # ส่วนราชการ: the office or agency that issues the letter
    number: str  # ที่
    dated: date | None  # วันที่
    subject: str  # เรื่อง
    addressee: str  # เรียน
    body: Sequence[str]  # ข้อความ, one string per paragraph
    signatory: Signatory
    references: Sequence[str] = ()  # อ้างถึง
    enclosures: Sequence[str] = ()  # สิ่งที่ส่งมาด้วย
    closing: str = "ขอแสดงความนับถือ"  # คำลงท้าย (external letter)
    address: str = ""  # the agency's address under its name (external letter), lines split by "\n"
    unit: str = ""  # ส่วนราชการเจ้าของเรื่อง, e.g. กลุ่มอำนวยการ
    phone: str = ""  # โทร.
    fax: str = ""  # โทรสาร (external letter)
    email: str = ""  # ไปรษณีย์อิเล็กทรอนิกส์ (external letter)
    copies_to: Sequence[str] = ()  # สำเนาส่ง (external letter)
    urgency: Urgency = Urgency.NORMAL  # ชั้นความเร็ว: red, at least 32 pt, at the top when not ปกติ
    urgent_by: datetime | None = None  # ด่วนภายใน: the date and time it must arrive by (UTC)
    secrecy: Secrecy = Secrecy.NONE  # ชั้นความลับ: at the top and bottom of every page when not ไม่ลับ
    thai_digits: bool = False  # the office writes Thai digits (๑๒๓) on its documents
    emblem: bytes | None = None  # the office's own Garuda (ตราครุฑ) image; Khet ships none


def render_memo(letter: DraftLetter) -> bytes:
    """บันทึกข้อความ: a memo within the ministry, in the layout of the regulation's form."""
    return _render_letter("saraban/print/memo.html", letter)


def render_external_letter(letter: DraftLetter) -> bytes:
    """หนังสือภายนอก: a letter to another agency or a person, in the layout of the regulation's form."""
    return _render_letter("saraban/print/external_letter.html", letter)


def official_date(value: date, *, digits: bool = False) -> str:
    """The date line of a letter: ``15 มกราคม 2569`` (the regulation writes no "พ.ศ." there)."""
    month = month_names("wide", DOCUMENT_LOCALE)[value.month]
    text = f"{value.day} {month} {be_year(value.year)}"
    return thai_digits(text) if digits else text


def official_time(value: datetime, *, digits: bool = False) -> str:
    """A time as official documents write it, in Bangkok: ``14.30 น.``."""
    text = f"{to_local(value):%H.%M} น."
    return thai_digits(text) if digits else text


def document_digits(text: str, digits: bool) -> str:
    """``text`` in the office's digits: Thai digits if it wants them, but never in an address."""
    if not digits:
        return text
    pieces = []
    last = 0
    for match in ADDRESS.finditer(text):
        pieces += [thai_digits(text[last : match.start()]), match.group()]
        last = match.end()
    return "".join([*pieces, thai_digits(text[last:])])


def image_url(name: str) -> str:
    return f"{IMAGE_SCHEME}{name}"


def layout_document(
    template_name: str, images: Mapping[str, bytes] | None = None, **context: Any
) -> Document:
    """Lay a Thai document out (WeasyPrint pages, not yet PDF), with images given as bytes.

    Like ``core.documents.pdf.render_pdf``, with the same fonts, print stylesheet and no way to the
    network, plus the saraban stylesheet and ``images`` (name -> bytes) reachable as
    ``image_url(name)``: a signature or an emblem is the office's data, not a static file.
    The document is laid out in Thai whatever the reader's language.
    """
    with force_locale(DOCUMENT_LOCALE):
        html = render_template(template_name, image_url=image_url, **context)
    fetcher = _ImageFetcher({image_url(name): data for name, data in (images or {}).items()})
    fonts = FontConfiguration()
    stylesheets = [
        CSS(filename=str(path), base_url=STATIC_URL, url_fetcher=fetcher, font_config=fonts)
        for path in (PRINT_CSS, SARABAN_CSS)
    ]
    document = HTML(string=html, base_url=STATIC_URL, url_fetcher=fetcher)
    return document.render(stylesheets=stylesheets, font_config=fonts)


class _ImageFetcher(StaticFetcher):
    """Khet's fonts and static files (see StaticFetcher), and the document's own images."""

    def __init__(self, images: Mapping[str, bytes]) -> None:
        super().__init__()
        self.images = images

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url in self.images:
            return URLFetcherResponse(url, self.images[url], {"Content-Type": "image/png"})
        return super().fetch(url, headers)


def signatory_images(signatory: Signatory, name: str) -> dict[str, bytes]:
    return {name: signatory.signature} if signatory.signature else {}


def _render_letter(template_name: str, letter: DraftLetter) -> bytes:
    images = signatory_images(letter.signatory, "signature")
    if letter.emblem:
        images["emblem"] = letter.emblem
    document = layout_document(
        template_name,
        images,
        letter=letter,
        d=lambda text: document_digits(text, letter.thai_digits),
        dated=official_date(letter.dated, digits=letter.thai_digits) if letter.dated else "",
        urgent_by=_deadline(letter),
        urgency=URGENCY_THAI[letter.urgency] if letter.urgency is not Urgency.NORMAL else "",
        secrecy=SECRECY_THAI[letter.secrecy] if letter.secrecy is not Secrecy.NONE else "",
        acting=ACTING_THAI.get(letter.signatory.acting, ""),
        thai_digits=letter.thai_digits,
    )
    return document.write_pdf()


def _deadline(letter: DraftLetter) -> str:
    """ด่วนภายใน ๑๕ มกราคม ๒๕๖๙ เวลา ๑๔.๐๐ น., when the letter has a deadline."""
    if letter.urgent_by is None:
        return ""
    day = official_date(to_local(letter.urgent_by).date(), digits=letter.thai_digits)
    return f"ด่วนภายใน {day} เวลา {official_time(letter.urgent_by, digits=letter.thai_digits)}"
