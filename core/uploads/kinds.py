"""Which kind of file some bytes are, read from the bytes themselves, never from the name."""

from __future__ import annotations

import io
import zipfile
from enum import StrEnum

from PIL import Image, UnidentifiedImageError


class FileKind(StrEnum):
    """A kind of file Khet accepts; the value is its usual file extension."""

    PDF = "pdf"
    PNG = "png"
    JPEG = "jpeg"
    WEBP = "webp"
    GIF = "gif"
    DOCX = "docx"
    XLSX = "xlsx"
    PPTX = "pptx"
    DOC = "doc"
    XLS = "xls"
    PPT = "ppt"
    ODT = "odt"
    ODS = "ods"
    ODP = "odp"


IMAGES = frozenset({FileKind.PNG, FileKind.JPEG, FileKind.WEBP, FileKind.GIF})
DOCUMENTS = frozenset(FileKind)

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of Office 97-2003
LEGACY_OFFICE = {".doc": FileKind.DOC, ".xls": FileKind.XLS, ".ppt": FileKind.PPT}
OOXML_PARTS = {"word/": FileKind.DOCX, "xl/": FileKind.XLSX, "ppt/": FileKind.PPTX}
OPENDOCUMENT = {
    b"application/vnd.oasis.opendocument.text": FileKind.ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": FileKind.ODS,
    b"application/vnd.oasis.opendocument.presentation": FileKind.ODP,
}
PILLOW_FORMATS = {"PNG": FileKind.PNG, "JPEG": FileKind.JPEG, "WEBP": FileKind.WEBP, "GIF": FileKind.GIF}


def sniff(data: bytes, name: str = "") -> FileKind | None:
    """The kind of ``data``, or None when it is none Khet accepts (or is damaged).

    The name is read only to tell apart the three Office 97-2003 formats, which share one
    container; the container itself must be there.
    """
    if data.startswith(b"%PDF-"):
        return FileKind.PDF
    if data.startswith(OLE2):
        return LEGACY_OFFICE.get(_extension(name))
    if data.startswith(b"PK\x03\x04"):
        return _zipped(data)
    return _image(data)


def _extension(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def _zipped(data: bytes) -> FileKind | None:
    """An Office Open XML or OpenDocument file; any other zip archive is refused."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return OPENDOCUMENT.get(archive.read("mimetype").strip())
            if "[Content_Types].xml" in names:
                return next(
                    (kind for part, kind in OOXML_PARTS.items() if any(n.startswith(part) for n in names)),
                    None,
                )
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def _image(data: bytes) -> FileKind | None:
    """An image Pillow reads whole: a picture's header on other bytes is not enough. A picture
    so large that decoding it could exhaust memory (Pillow's decompression-bomb limit) is refused."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = PILLOW_FORMATS.get(image.format or "")
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        return None
    return kind
