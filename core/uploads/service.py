"""Storing uploaded files and sending them back.

The bytes live under ``<instance>/uploads/<office>/<year>/<random name>``, outside the web root,
so nothing reaches them except a view that has checked its visitor first and then calls
``send_stored``. Their row in ``core_files`` commits with the caller's transaction; bytes written
for a transaction that rolls back are removed, so a failed form leaves no orphan behind.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Response, abort, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from core.audit import record as audit
from core.db import db, utcnow
from core.documents.download import download
from core.i18n import gettext as _
from core.uploads.events import FILE_DOWNLOADED
from core.uploads.kinds import FileKind, sniff
from core.uploads.models import StoredFile

if TYPE_CHECKING:
    from core.auth.models import User

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
CHUNK = 64 * 1024
UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f]")
PENDING = "khet.uploads.pending"  # session.info key: files written in the open transaction
DISCARDED = "khet.uploads.discarded"  # session.info key: files to delete once the transaction commits


class UploadRejected(ValueError):
    """A file Khet will not keep; ``str()`` is the translated reason to show the person."""


def store_upload(
    upload: FileStorage,
    *,
    office_id: int | None,
    kinds: Iterable[FileKind],
    purpose: str,
    uploaded_by: User | None,
    max_bytes: int | None = None,
) -> StoredFile:
    """Check and keep an uploaded file; see ``store_bytes``."""
    limit = max_bytes or max_upload_bytes()
    data = upload.stream.read(limit + 1)
    return store_bytes(
        data,
        upload.filename or "",
        office_id=office_id,
        kinds=kinds,
        purpose=purpose,
        uploaded_by=uploaded_by,
        max_bytes=limit,
    )


def store_bytes(
    data: bytes,
    name: str,
    *,
    office_id: int | None,
    kinds: Iterable[FileKind],
    purpose: str,
    uploaded_by: User | None,
    max_bytes: int | None = None,
) -> StoredFile:
    """Keep ``data`` as a file of one of ``kinds`` and add its row to the session.

    Raises ``UploadRejected`` for an empty file, one over the size limit, or bytes that are not
    one of ``kinds``, whatever the name says.
    """
    name = clean_name(name)
    limit = max_bytes or max_upload_bytes()
    _check(data, name, frozenset(kinds), limit)
    kind = sniff(data, name)
    assert kind is not None  # _check refused the rest
    key = f"{office_id or 'installation'}/{utcnow():%Y}/{secrets.token_hex(16)}"
    path = _path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    db.session.info.setdefault(PENDING, []).append(path)
    stored = StoredFile(
        office_id=office_id,
        kind=kind.value,
        name=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        key=key,
        purpose=purpose,
        uploaded_by_id=uploaded_by.id if uploaded_by else None,
        uploaded_at=utcnow(),
    )
    db.session.add(stored)
    return stored


def _check(data: bytes, name: str, kinds: frozenset[FileKind], limit: int) -> None:
    if not data:
        raise UploadRejected(_("The file %(name)s is empty.", name=name))
    if len(data) > limit:
        raise UploadRejected(
            _("The file %(name)s is larger than %(size)s MB.", name=name, size=_megabytes(limit))
        )
    if sniff(data, name) not in kinds:
        accepted = ", ".join(sorted(kind.value.upper() for kind in kinds))
        raise UploadRejected(
            _("%(name)s is not a kind of file accepted here (%(kinds)s).", name=name, kinds=accepted)
        )


def read_stored(stored: StoredFile) -> bytes:
    return _path(stored.key).read_bytes()


def send_stored(stored: StoredFile, *, inline: bool = False) -> Response:
    """The file as a download (or shown in the browser, ``inline``); the caller has checked that
    the visitor may have it. Every download is in the audit trail; a destroyed file answers 410."""
    if stored.is_discarded:
        abort(410)
    audit(FILE_DOWNLOADED, subject=("core.file", stored.id), data={"name": stored.name})
    db.session.commit()
    return download(read_stored(stored), stored.name, stored.kind, inline=inline)


def discard_stored(stored: StoredFile) -> bool:
    """Destroy a file's bytes for good (a records destruction), keeping its row: name, size and
    sha256 stay as the evidence of what was destroyed, ``discarded_at`` says when.

    The bytes are deleted once the caller's transaction commits, so a rollback loses nothing.
    Returns False when they were destroyed before.
    """
    if stored.is_discarded:
        return False
    stored.discarded_at = utcnow()
    db.session.info.setdefault(DISCARDED, []).append(_path(stored.key))
    return True


def max_upload_bytes() -> int:
    return current_app.config.get("KHET_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)


def clean_name(name: str) -> str:
    """The file's own name without folders or control characters, at most 200 characters."""
    name = UNSAFE_NAME.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = stem[: 199 - len(extension)] + dot + extension if dot and len(extension) < 10 else name[:200]
    return name or "file"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def _path(key: str) -> Path:
    return Path(current_app.instance_path) / "uploads" / key


@event.listens_for(Session, "after_commit")
def _forget_pending(session: Session) -> None:
    session.info.pop(PENDING, None)
    for path in session.info.pop(DISCARDED, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _remove_pending(session: Session) -> None:
    session.info.pop(DISCARDED, None)  # the rows keep their bytes
    for path in session.info.pop(PENDING, []):
        path.unlink(missing_ok=True)
