"""Keeping the files of drafts and of schools' letters."""

from __future__ import annotations

from werkzeug.datastructures import FileStorage

from core.auth.models import User
from core.uploads import DOCUMENTS, StoredFile, UploadRejected, store_upload
from plugins.saraban.services import LetterError


def keep_document(upload: FileStorage, *, office_id: int, purpose: str, actor: User) -> StoredFile:
    """A PDF, picture or Office file, checked by its bytes and size by ``core.uploads``; a refusal
    is a ``LetterError`` carrying the translated reason."""
    try:
        return store_upload(upload, office_id=office_id, kinds=DOCUMENTS, purpose=purpose, uploaded_by=actor)
    except UploadRejected as rejected:
        raise LetterError(str(rejected)) from None
