"""PDF documents: a Jinja template rendered by WeasyPrint, with Khet's own fonts and nothing from outside.

    from core.documents.pdf import render_pdf
    data = render_pdf("standards/report.html", report=report)   # extends core/print/base.html

The print stylesheet (``core/print/print.css``: A4, official margins, Sarabun 16 pt) applies to every
document; a template's own ``<style>`` overrides it.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from flask import has_request_context, render_template
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.documents.fonts import font_file
from core.i18n.filters import office_uses_thai_digits

CORE = Path(__file__).resolve().parents[1]
STATIC = CORE / "static"
STATIC_URL = STATIC.as_uri() + "/"  # relative URLs in documents resolve here: src="core/favicon.svg"
PRINT_CSS = CORE / "templates" / "core" / "print" / "print.css"


class RefusedURL(ValueError):
    """A document asked for something other than Khet's own fonts and static files."""


class StaticFetcher(URLFetcher):
    """WeasyPrint's only way out: the PDF fonts and files under ``core/static``, never the network.

    A refused resource is left out of the document (WeasyPrint logs a warning); the document is
    still made, and no request ever leaves the server.
    """

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if (font := font_file(url)) is not None:
            return URLFetcherResponse(url, font, {"Content-Type": "font/ttf"})
        path = static_file(url)
        if path is None:
            raise RefusedURL(f"not one of Khet's static files: {url}")
        mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mimetype})


def static_file(url: str) -> Path | None:
    """The file under ``core/static`` that a ``file:`` URL names, or None (also for ``..`` escapes)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(url2pathname(parts.path)).resolve()
    return path if path.is_relative_to(STATIC) and path.is_file() else None


def render_pdf(template_name: str, /, **context: Any) -> bytes:
    """Render a template to PDF bytes; needs an application context (a request gives the reader's
    language). ``thai_digits`` (page numbers) defaults to the signed-in person's office setting."""
    context.setdefault("thai_digits", has_request_context() and office_uses_thai_digits())
    html = render_template(template_name, **context)
    fetcher = StaticFetcher()
    fonts = FontConfiguration()
    stylesheet = CSS(filename=str(PRINT_CSS), base_url=STATIC_URL, url_fetcher=fetcher, font_config=fonts)
    document = HTML(string=html, base_url=STATIC_URL, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[stylesheet], font_config=fonts)
