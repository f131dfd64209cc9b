"""Uploaded files: checked by their content and size, kept outside the web root, sent audited."""

from core.uploads.kinds import DOCUMENTS, IMAGES, FileKind, sniff
from core.uploads.models import StoredFile
from core.uploads.service import (
    UploadRejected,
    discard_stored,
    max_upload_bytes,
    read_stored,
    send_stored,
    store_bytes,
    store_upload,
)

__all__ = [
    "DOCUMENTS",
    "IMAGES",
    "FileKind",
    "StoredFile",
    "UploadRejected",
    "discard_stored",
    "max_upload_bytes",
    "read_stored",
    "send_stored",
    "sniff",
    "store_bytes",
    "store_upload",
]
