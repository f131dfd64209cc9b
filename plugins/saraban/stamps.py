"""Marks drawn onto a letter's PDF: the receipt stamp (ตรารับหนังสือ) and endorsements (เกษียนหนังสือ).

    from plugins.saraban.stamps import ReceiptStamp, Endorsement, stamp_receipt, endorse
    pdf = stamp_receipt(original, ReceiptStamp("สพป.ขอนแก่น เขต ๑", 1234, received_at))
    pdf = endorse(pdf, [Endorsement("ทราบ มอบ กลุ่มอำนวยการ", director, today())])

Each mark is laid out by WeasyPrint on a transparent page of the letter's size and merged onto the
letter's page with pypdf: the letter's own content stays as it was (its text can still be copied
and searched), the marks are drawn over it. A PDF that cannot be read, or that is protected,
is refused with ``PdfRefused``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any

from flask_babel import force_locale
from PIL import ImageFilter
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import ContentStream
from weasyprint import Document

from core.documents.text import shown_length
from core.i18n import gettext as _
from core.i18n.thaidate import DateStyle, format_date
from plugins.saraban.documents import (
    ACTING_THAI,
    DOCUMENT_LOCALE,
    Signatory,
    document_digits,
    layout_document,
    official_time,
    signatory_images,
)

CM = 72 / 2.54  # points
STAMP_WIDTH = 5 * CM  # ตรารับหนังสือ: a rectangle 2.5 × 5 cm (แบบที่ ๑๒)
STAMP_TEXT_WIDTH = STAMP_WIDTH - 0.4 * CM
STAMP_FONT = (10.0, 13.0)  # points: the agency's name shrinks to fit one line, down to the first
THAI_ADVANCE = 0.55  # the mean advance of a Sarabun letter that takes width, in em
PX = 0.75  # points in a CSS pixel
GAP = 0.4 * CM  # between the letter's last mark and its endorsements
FOOT = 1.2 * CM  # the space endorsements leave at the foot of the letter's page
ENDORSEMENTS_ID = "endorsements"  # the block whose foot must stay on the page
SCAN = 0.25  # an image over this share of the page is a scan: its pixels say where the ink ends
INK = 140  # grey levels darker than this are ink on a scan
SCAN_EDGE = 0.03  # the scanner's shadow along each edge is not ink
MAX_FORM_DEPTH = 8


class PdfRefused(ValueError):
    """A PDF Khet cannot draw on (protected, damaged, not a PDF); ``str()`` is the translated reason."""


@dataclass(frozen=True)
class ReceiptStamp:
    """ตรารับหนังสือ: the central registry's receipt of an incoming letter."""

    agency: str  # the receiving agency, as on its stamp: สพป.ขอนแก่น เขต ๑
    number: int | str  # เลขรับ: the receive register's number
    received_at: datetime  # วันที่ and เวลา (naive UTC, as Khet stores times, or aware)
    thai_digits: bool = False


@dataclass(frozen=True)
class Endorsement:
    """เกษียนหนังสือ: a superior's decision written on the letter, signed and dated."""

    decision: str  # ทราบ, เห็นชอบ, อนุมัติ, มอบ กลุ่มบริหารงานบุคคล ดำเนินการ, ...
    signer: Signatory  # name, position, ปฏิบัติราชการแทน / รักษาราชการแทน, signature image
    dated: date
    comment: str = ""


def stamp_receipt(pdf: bytes, stamp: ReceiptStamp) -> bytes:
    """The PDF with the receipt stamp at the top right of its first page (as the page is shown)."""
    writer, reader = _open(pdf)
    with _reading():
        box = PageBox.of(reader.pages[0])
    digits = stamp.thai_digits
    overlay = layout_document(
        "saraban/print/receipt_stamp.html",
        width=box.width,
        height=box.height,
        agency=document_digits(stamp.agency, digits),
        agency_size=_fitting_size(stamp.agency),
        number=document_digits(str(stamp.number), digits),
        day=format_date(stamp.received_at, DateStyle.MEDIUM, DOCUMENT_LOCALE, digits=digits),
        time=official_time(stamp.received_at, digits=digits),
    )
    with _reading():
        box.draw(writer.pages[0], _only_page(overlay.write_pdf()))
        return _write(writer)


def endorse(
    pdf: bytes, endorsements: Sequence[Endorsement], *, thai_digits: bool = False, about: str = ""
) -> bytes:
    """The PDF with the endorsements drawn in the free lower part of its first page, or, when they
    do not fit there, on a page added at the end (headed with ``about``, e.g. the letter's number
    and subject). Draw on the letter as received, with every endorsement so far, each time."""
    writer, reader = _open(pdf)
    if not endorsements:
        return pdf
    with _reading():
        box = PageBox.of(reader.pages[0])
    try:
        free_from = lowest_mark(reader, reader.pages[0], box) + GAP
    except Exception:  # a drawing this walk cannot follow: the endorsements go on an added page
        free_from = box.height
    context = _endorsement_context(endorsements, thai_digits)
    if free_from < box.height - FOOT:
        on_letter = layout_document(
            "saraban/print/endorsements.html",
            width=box.width,
            height=box.height,
            top=free_from,
            bottom=FOOT,
            **context,
        )
        if _fits(on_letter, box.height - FOOT):
            with _reading():
                box.draw(writer.pages[0], _only_page(on_letter.write_pdf()))
                return _write(writer)
    with force_locale(DOCUMENT_LOCALE):
        heading = _("Endorsements")
    added = layout_document(
        "saraban/print/endorsements.html",
        heading=heading,
        about=document_digits(about, thai_digits),
        **context,
    )
    with _reading():
        for page in PdfReader(BytesIO(added.write_pdf())).pages:
            writer.add_page(page)
        return _write(writer)


@dataclass(frozen=True)
class PageBox:
    """A page's visible area (crop box, in PDF units) and its rotation, to draw as it is shown."""

    left: float
    bottom: float
    right: float
    top: float
    rotation: int  # clockwise, as /Rotate

    @classmethod
    def of(cls, page: PageObject) -> PageBox:
        box = page.cropbox
        rotation = page.rotation % 360
        return cls(
            float(box.left),
            float(box.bottom),
            float(box.right),
            float(box.top),
            rotation if rotation in (90, 180, 270) else 0,
        )

    @property
    def width(self) -> float:
        """Width as shown, in points."""
        across = self.right - self.left
        return self.top - self.bottom if self.rotation in (90, 270) else across

    @property
    def height(self) -> float:
        along = self.top - self.bottom
        return self.right - self.left if self.rotation in (90, 270) else along

    def shown(self, x: float, y: float) -> tuple[float, float]:
        """A point of the page in points from the top left corner as the page is shown."""
        return {
            0: (x - self.left, self.top - y),
            90: (y - self.bottom, x - self.left),
            180: (self.right - x, y - self.bottom),
            270: (self.top - y, self.right - x),
        }[self.rotation]

    def draw(self, page: PageObject, overlay: PageObject) -> None:
        """Merge an overlay laid out upright at the shown size onto the page."""
        placed = {
            0: Transformation().translate(self.left, self.bottom),
            90: Transformation().rotate(90).translate(self.right, self.bottom),
            180: Transformation().rotate(180).translate(self.right, self.top),
            270: Transformation().rotate(270).translate(self.left, self.top),
        }[self.rotation]
        page.merge_transformed_page(overlay, placed, over=True)


def lowest_mark(pdf: PdfReader, page: PageObject, box: PageBox) -> float:
    """How far down the page (points from the top, as shown) anything is drawn: text, lines,
    pictures, and on a scanned page the lowest ink of the scan. 0 for a blank page."""
    finder = _InkFinder(pdf, box)
    contents = page.get_contents()
    if contents is not None:
        finder.walk(contents, page.get("/Resources"), IDENTITY, 0)
    return finder.lowest


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
PAINT = {b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
FILL_ONLY = {b"f", b"F", b"f*"}
TEXT = {b"Tj", b"TJ", b"'", b'"'}


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """The matrix that applies ``m`` then ``n`` (PDF's row-vector convention)."""
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _matrix(operands: Sequence[Any]) -> Matrix:
    a, b, c, d, e, f = (float(value) for value in operands[:6])
    return (a, b, c, d, e, f)


class _InkFinder:
    """Walks a content stream for the vertical extent of what it draws.

    Only the lowest point matters, so text is placed by its line (the advance along a line is not
    followed), a path by its points, a picture by its corners; paths filled white (a background)
    are not ink.
    """

    def __init__(self, pdf: PdfReader, box: PageBox) -> None:
        self.pdf = pdf
        self.box = box
        self.lowest = 0.0

    def mark(self, matrix: Matrix, x: float, y: float) -> None:
        across, down = self.box.shown(*_apply(matrix, x, y))
        if 0 <= across <= self.box.width and down > self.lowest:
            self.lowest = min(down, self.box.height)

    def walk(self, stream: Any, resources: Any, ctm: Matrix, depth: int) -> None:
        content = stream if isinstance(stream, ContentStream) else ContentStream(stream, self.pdf)
        resources = resources.get_object() if resources is not None else {}
        saved: list[tuple[Matrix, bool]] = []
        white = False
        line = IDENTITY
        size = leading = rise = 0.0
        path: list[tuple[float, float]] = []
        for operands, operator in content.operations:
            if operator == b"q":
                saved.append((ctm, white))
            elif operator == b"Q" and saved:
                ctm, white = saved.pop()
            elif operator == b"cm":
                ctm = _multiply(_matrix(operands), ctm)
            elif operator == b"BT":
                line = IDENTITY
            elif operator == b"Tf":
                size = float(operands[1])
            elif operator == b"TL":
                leading = float(operands[0])
            elif operator == b"Ts":
                rise = float(operands[0])
            elif operator in (b"Td", b"TD"):
                if operator == b"TD":
                    leading = -float(operands[1])
                line = _multiply((1, 0, 0, 1, float(operands[0]), float(operands[1])), line)
            elif operator == b"Tm":
                line = _matrix(operands)
            elif operator in (b"T*", b"'", b'"'):
                line = _multiply((1, 0, 0, 1, 0, -leading), line)
            if operator in TEXT:
                text = _multiply(line, ctm)
                self.mark(text, 0, rise - 0.3 * size)  # below the baseline: descenders, sara u
                self.mark(text, 0, rise + size)
            elif operator == b"re":
                x, y, width, height = (float(value) for value in operands[:4])
                path += [(x, y), (x + width, y + height)]
            elif operator in (b"m", b"l", b"c", b"v", b"y"):
                path += [(float(operands[i]), float(operands[i + 1])) for i in range(0, len(operands) - 1, 2)]
            elif operator in PAINT:
                if not (white and operator in FILL_ONLY):
                    for x, y in path:
                        self.mark(ctm, x, y)
                path = []
            elif operator == b"n":
                path = []
            elif operator in (b"g", b"rg", b"k"):
                values = [float(value) for value in operands]
                white = all(v <= 0.05 for v in values) if operator == b"k" else all(v >= 0.95 for v in values)
            elif operator in (b"sc", b"scn", b"cs"):
                white = False  # a colour space Khet does not read: counted as ink
            elif operator == b"Do":
                self.xobject(resources, operands[0], ctm, depth)
            elif operator == b"INLINE IMAGE":
                self.corners(ctm)

    def corners(self, ctm: Matrix, top: float = 1.0, bottom: float = 0.0) -> None:
        for x in (0.0, 1.0):
            for y in (top, bottom):
                self.mark(ctm, x, y)

    def xobject(self, resources: Any, name: Any, ctm: Matrix, depth: int) -> None:
        xobjects = resources.get("/XObject")
        xobject = xobjects.get_object().get(name) if xobjects is not None else None
        if xobject is None:
            return
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form" and depth < MAX_FORM_DEPTH:
            matrix = _matrix(xobject["/Matrix"]) if "/Matrix" in xobject else IDENTITY
            self.walk(xobject, xobject.get("/Resources", resources), _multiply(matrix, ctm), depth + 1)
        elif xobject.get("/Subtype") == "/Image":
            self.image(xobject, ctm)

    def image(self, xobject: Any, ctm: Matrix) -> None:
        """A small picture counts whole; a scan counts from its first to its last row of ink."""
        corners = [self.box.shown(*_apply(ctm, x, y)) for x in (0, 1) for y in (0, 1)]
        across = max(x for x, _y in corners) - min(x for x, _y in corners)
        down = max(y for _x, y in corners) - min(y for _x, y in corners)
        if across * down < SCAN * self.box.width * self.box.height:
            self.corners(ctm)
            return
        rows = _ink_rows(xobject)
        if rows is not None:
            first, last = rows  # from the image's top, as shares of its height
            self.corners(ctm, top=1 - first, bottom=1 - last)


def _ink_rows(xobject: Any) -> tuple[float, float] | None:
    """The first and last rows of a scan that hold ink, as shares of its height from the top;
    None for a blank scan. A scan that cannot be decoded is all ink."""
    try:
        image = xobject.decode_as_image()
    except Exception:  # pypdf raises many kinds for filters it cannot decode (JBIG2, ...)
        return 0.0, 1.0
    if image is None:
        return 0.0, 1.0
    grey = image.convert("L")
    grey.thumbnail((600, 600))
    width, height = grey.size
    edge_x, edge_y = math.ceil(width * SCAN_EDGE), math.ceil(height * SCAN_EDGE)
    inner = grey.crop((edge_x, edge_y, width - edge_x, height - edge_y))
    ink = inner.point(lambda level: 255 if level < INK else 0).filter(ImageFilter.MedianFilter(3))
    found = ink.getbbox()
    if found is None:
        return None
    return (found[1] + edge_y) / height, (found[3] + edge_y) / height


def _endorsement_context(endorsements: Sequence[Endorsement], digits: bool) -> dict[str, Any]:
    images: dict[str, bytes] = {}
    shown = []
    for number, endorsement in enumerate(endorsements):
        signer = endorsement.signer
        images |= signatory_images(signer, f"signature-{number}")
        shown.append(
            {
                "decision": document_digits(endorsement.decision, digits),
                "comment": document_digits(endorsement.comment, digits),
                "signature": f"signature-{number}" if signer.signature else "",
                "name": document_digits(signer.name, digits),
                "position": document_digits(signer.position, digits),
                "acting": ACTING_THAI.get(signer.acting, ""),
                "acting_for": document_digits(signer.acting_for, digits) if signer.acting else "",
                "dated": format_date(endorsement.dated, DateStyle.SHORT, DOCUMENT_LOCALE, digits=digits),
            }
        )
    with force_locale(DOCUMENT_LOCALE):
        signed = _("Signed electronically")
    return {
        "images": images,
        "endorsements": shown,
        "signed_electronically": signed,
        "block_id": ENDORSEMENTS_ID,
    }


def _fits(document: Document, bottom: float) -> bool:
    """Whether the endorsements end on the first page above ``bottom`` (points from the top): a
    row of blocks taller than the free space is not moved to a next page, it runs off the foot."""
    if len(document.pages) != 1:
        return False
    _left, _top, _right, end = document.pages[0].anchors[ENDORSEMENTS_ID]
    return end * PX <= bottom


def _fitting_size(agency: str) -> float:
    """The font size (points) at which the agency's name fills one line of the stamp at most."""
    smallest, largest = STAMP_FONT
    wanted = STAMP_TEXT_WIDTH / max(1, shown_length(agency)) / THAI_ADVANCE
    return max(smallest, min(largest, round(wanted, 1)))


@contextmanager
def _reading() -> Iterator[None]:
    """Any failure of pypdf on the letter's bytes means a PDF Khet cannot read."""
    try:
        yield
    except PdfRefused:
        raise
    except Exception as error:  # pypdf raises many kinds on damaged files, not only PdfReadError
        raise PdfRefused(
            _("The file is not a PDF that Khet can read, or it is damaged. Scan or save it as PDF again.")
        ) from error


def _open(pdf: bytes) -> tuple[PdfWriter, PdfReader]:
    with _reading():
        reader = PdfReader(BytesIO(pdf))
        if reader.is_encrypted:
            raise PdfRefused(
                _(
                    "The PDF is protected with a password or restrictions, so Khet cannot draw on it. "
                    "Ask the sender for an unprotected copy."
                )
            )
        if not reader.pages:
            raise PdfRefused(_("The PDF has no pages."))
        return PdfWriter(clone_from=reader), reader


def _only_page(data: bytes) -> PageObject:
    return PdfReader(BytesIO(data)).pages[0]


def _write(writer: PdfWriter) -> bytes:
    output = BytesIO()
    writer.write(output)
    return output.getvalue()
