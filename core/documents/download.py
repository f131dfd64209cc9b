"""Send a generated file as a download, with a file name in any language.

return download(render_pdf("standards/report.html", report=report), "รายงาน 2569.pdf", "pdf")
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

from flask import Response

OPENXML = "application/vnd.openxmlformats-officedocument"
OPENDOCUMENT = "application/vnd.oasis.opendocument"
MIMETYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "gif": "image/gif",
    "docx": f"{OPENXML}.wordprocessingml.document",
    "xlsx": f"{OPENXML}.spreadsheetml.sheet",
    "pptx": f"{OPENXML}.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "odt": f"{OPENDOCUMENT}.text",
    "ods": f"{OPENDOCUMENT}.spreadsheet",
    "odp": f"{OPENDOCUMENT}.presentation",
}
UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\"]')


def download(
    data: bytes | Iterable[str | bytes], filename: str, kind: str, *, inline: bool = False
) -> Response:
    """A response that saves ``data`` (bytes, or an iterable of chunks that streams) as ``filename``,
    or, ``inline``, that the browser shows it (a photo, a PDF) under that name.

    ``kind`` is a key of ``MIMETYPES`` (the values of ``core.uploads.FileKind`` among them). The
    name travels as RFC 5987 UTF-8 (``filename*``), read by every current browser, with an ASCII
    stand-in for older clients. Office data is in these files, so no cache keeps a copy.
    """
    if kind not in MIMETYPES:
        raise ValueError(f"unknown kind of download {kind!r}; known: {', '.join(MIMETYPES)}")
    name = UNSAFE.sub("_", filename).strip() or f"download.{kind}"
    response = Response(data, mimetype=MIMETYPES[kind])
    response.headers.set(
        "Content-Disposition",
        "inline" if inline else "attachment",
        filename=_ascii_name(name, kind),
        **{"filename*": "UTF-8''" + quote(name, safe="")},
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _ascii_name(name: str, kind: str) -> str:
    """The name without what ASCII cannot hold (accents dropped, Thai removed), or ``download.<kind>``."""
    simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem = simple.rsplit(".", 1)[0] if "." in simple else simple
    return simple.strip() if stem.strip(" ._-") else f"download.{kind}"
