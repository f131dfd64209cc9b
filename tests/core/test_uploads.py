"""Uploaded files: judged by their bytes, limited in size, kept outside the web root, sent audited."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from flask import current_app
from PIL import Image
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException

from core.audit.models import AuditEvent
from core.db import db
from core.uploads import (
    DOCUMENTS,
    IMAGES,
    FileKind,
    StoredFile,
    UploadRejected,
    discard_stored,
    read_stored,
    send_stored,
    sniff,
    store_bytes,
    store_upload,
)
from tests.conftest import make_office

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def picture(format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(buffer, format=format)
    return buffer.getvalue()


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (PDF, "หนังสือ.pdf", FileKind.PDF),
        (picture("PNG"), "a.png", FileKind.PNG),
        (picture("JPEG"), "photo.JPG", FileKind.JPEG),
        (picture("WEBP"), "x.webp", FileKind.WEBP),
        (picture("GIF"), "x.gif", FileKind.GIF),
        (zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<x/>"}), "a.docx", FileKind.DOCX),
        (zipped({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"}), "a.xlsx", FileKind.XLSX),
        (zipped({"mimetype": b"application/vnd.oasis.opendocument.text"}), "a.odt", FileKind.ODT),
        (OLE2, "old.doc", FileKind.DOC),
        (OLE2, "old.XLS", FileKind.XLS),
        # the name never decides the kind: a picture named .pdf is still a picture
        (picture("PNG"), "scan.pdf", FileKind.PNG),
    ],
)
def test_the_kind_is_read_from_the_bytes(data, name, kind):
    assert sniff(data, name) is kind


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"MZ\x90\x00\x03" + b"\0" * 60, "invoice.pdf"),  # a Windows program
        (b"<html><script>alert(1)</script></html>", "photo.jpg"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "broken.png"),  # a header is not a picture
        (zipped({"payload.exe": b"MZ"}), "a.docx"),  # any other zip archive
        (OLE2, "old.exe"),  # the Office 97 container under another name
        (b"", "empty.pdf"),
    ],
)
def test_content_of_no_accepted_kind_is_refused(data, name):
    assert sniff(data, name) is None


def test_a_picture_too_large_to_decode_safely_is_refused():
    huge = io.BytesIO()
    Image.new("1", (20000, 20000)).save(huge, format="PNG")  # 400 megapixels, a few kB of PNG
    assert sniff(huge.getvalue(), "bomb.png") is None


def test_a_stored_file_lives_outside_the_web_root_and_reads_back(app):
    office = make_office("สพป.ทดสอบ เขต 1", "A")["office"]
    stored = store_upload(
        FileStorage(io.BytesIO(PDF), filename="C:\\เอกสาร\\หนังสือเชิญ.pdf"),
        office_id=office.id,
        kinds=DOCUMENTS,
        purpose="test.attachment",
        uploaded_by=None,
    )
    db.session.commit()
    assert (stored.name, stored.kind, stored.size) == ("หนังสือเชิญ.pdf", "pdf", len(PDF))
    path = Path(current_app.instance_path) / "uploads" / stored.key
    assert path.read_bytes() == PDF == read_stored(stored)
    assert not path.is_relative_to(Path(current_app.static_folder))
    created = db.session.scalars(select(AuditEvent).where(AuditEvent.type == "core.file.created")).one()
    assert created.subject_id == str(stored.id)


@pytest.mark.parametrize(
    ("data", "kinds", "message"),
    [
        (b"", DOCUMENTS, "is empty"),
        (PDF, IMAGES, r"not a kind of file accepted here \(GIF, JPEG, PNG, WEBP\)"),
        (PDF + b"x" * 2048, DOCUMENTS, "larger than"),
    ],
)
def test_a_refused_file_leaves_nothing_behind(app, data, kinds, message):
    office = make_office("สพป.ทดสอบ เขต 1", "A")["office"]
    with pytest.raises(UploadRejected, match=message):
        store_bytes(
            data, "a.pdf", office_id=office.id, kinds=kinds, purpose="t", uploaded_by=None, max_bytes=1024
        )
    assert not [row for row in db.session.new if isinstance(row, StoredFile)]
    assert not (Path(current_app.instance_path) / "uploads").exists()


def test_the_size_limit_comes_from_the_setting(make_app):
    app = make_app(environ={"KHET_MAX_UPLOAD_MB": "1"})
    with app.app_context():
        with pytest.raises(UploadRejected, match="larger than 1 MB"):
            store_bytes(
                PDF + b"x" * (1024 * 1024),
                "big.pdf",
                office_id=None,
                kinds=DOCUMENTS,
                purpose="t",
                uploaded_by=None,
            )
        db.session.rollback()


def test_bytes_of_a_rolled_back_upload_are_removed(app):
    office = make_office("สพป.ทดสอบ เขต 1", "A")["office"]
    db.session.commit()
    stored = store_bytes(PDF, "a.pdf", office_id=office.id, kinds=DOCUMENTS, purpose="t", uploaded_by=None)
    path = Path(current_app.instance_path) / "uploads" / stored.key
    assert path.exists()
    db.session.rollback()
    assert not path.exists()
    assert db.session.scalar(select(StoredFile)) is None


def test_sending_a_file_is_audited_and_keeps_its_thai_name(app):
    office = make_office("สพป.ทดสอบ เขต 1", "A")["office"]
    stored = store_bytes(
        picture("PNG"), "รูปเครื่องพิมพ์.png", office_id=office.id, kinds=IMAGES, purpose="t", uploaded_by=None
    )
    db.session.commit()
    with app.test_request_context("/"):
        response = send_stored(stored, inline=True)
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith("inline;")
    assert "filename*=UTF-8''%E0%B8%A3" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    downloaded = db.session.scalars(select(AuditEvent).where(AuditEvent.type == "core.file.downloaded")).one()
    assert downloaded.subject_id == str(stored.id)


def test_a_discarded_file_loses_its_bytes_on_commit_and_keeps_its_row(app):
    office = make_office("สพป.ทดสอบ เขต 1", "A")["office"]
    stored = store_bytes(
        PDF, "หนังสือเก่า.pdf", office_id=office.id, kinds=DOCUMENTS, purpose="t", uploaded_by=None
    )
    db.session.commit()
    path = Path(current_app.instance_path) / "uploads" / stored.key
    assert discard_stored(stored)
    db.session.rollback()  # a failed destruction destroys nothing
    assert path.read_bytes() == PDF and not stored.is_discarded
    assert discard_stored(stored)
    db.session.commit()
    assert not path.exists()
    kept = db.session.get(StoredFile, stored.id)
    assert kept.is_discarded and kept.sha256 == hashlib.sha256(PDF).hexdigest() and kept.size == len(PDF)
    assert not discard_stored(kept)  # once is enough
    changed = db.session.scalars(select(AuditEvent).where(AuditEvent.type == "core.file.updated")).one()
    assert "discarded_at" in str(changed.data)
    with app.test_request_context("/"), pytest.raises(HTTPException) as gone:
        send_stored(kept)
    assert gone.value.code == 410


def test_a_request_over_the_limit_gets_a_translated_page(make_app):
    app = make_app(environ={"KHET_MAX_UPLOAD_MB": "1"})
    response = app.test_client().post(
        "/login",
        data={"file": (io.BytesIO(b"x" * (7 * 1024 * 1024)), "big.pdf")},
        headers={"Accept-Language": "th"},
    )
    assert response.status_code == 413
    assert "ไฟล์" in response.get_data(as_text=True)
