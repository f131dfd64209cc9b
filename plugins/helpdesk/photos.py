"""Photos on requests: taken with a phone when filing a request or added with a message later.

Each photo is kept by ``core.uploads`` (images only, checked by their bytes, outside the web
root) with a small JPEG copy made here, so the ticket page lists pictures without sending whole
phone photos, and without their EXIF data (where the photo was taken). A ticket holds at most
``MAX_PHOTOS``. A photo sent with a staff-only note is seen by staff only; every view and
download goes through ``send_stored`` and is in the audit trail.
"""

from __future__ import annotations

import io

from PIL import Image, ImageOps
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from core.auth.models import User
from core.db import db, utcnow
from core.i18n import lazy_gettext as _l
from core.uploads import IMAGES, FileKind, StoredFile, UploadRejected, read_stored, store_bytes, store_upload
from plugins.helpdesk.models import Ticket, TicketEntry, TicketPhoto
from plugins.helpdesk.services import TicketError

MAX_PHOTOS = 5
PURPOSE = "helpdesk.photo"
THUMBNAIL_PURPOSE = "helpdesk.photo_thumbnail"
THUMBNAIL_SIZE = (320, 320)


def attach(
    ticket: Ticket, uploads: list[FileStorage], actor: User | None, entry: TicketEntry | None = None
) -> list[TicketPhoto]:
    """Keep the photos chosen (empty file inputs are skipped); nothing is kept if one is refused."""
    chosen = [upload for upload in uploads if upload is not None and upload.filename]
    if not chosen:
        return []
    held = db.session.scalar(select(func.count()).where(TicketPhoto.ticket_id == ticket.id)) or 0
    if held + len(chosen) > MAX_PHOTOS:
        raise TicketError(_l("A request holds at most %(count)d photos.", count=MAX_PHOTOS))
    photos = []
    for upload in chosen:
        try:
            stored = store_upload(
                upload, office_id=ticket.office_id, kinds=IMAGES, purpose=PURPOSE, uploaded_by=actor
            )
        except UploadRejected as error:
            raise TicketError(str(error)) from None
        photo = TicketPhoto(
            ticket=ticket,
            entry=entry,
            file=stored,
            thumbnail=_thumbnail(stored, ticket.office_id, actor),
            created_at=utcnow(),
        )
        db.session.add(photo)
        photos.append(photo)
    db.session.flush()
    return photos


def photos_of(ticket: Ticket, *, staff: bool) -> list[TicketPhoto]:
    """The ticket's photos the reader may see, oldest first."""
    query = select(TicketPhoto).where(TicketPhoto.ticket_id == ticket.id).order_by(TicketPhoto.id)
    return [photo for photo in db.session.scalars(query) if staff or not photo.internal]


def photo_of(ticket: Ticket, photo_id: int, *, staff: bool) -> TicketPhoto | None:
    photo = db.session.get(TicketPhoto, photo_id)
    if photo is None or photo.ticket_id != ticket.id or (photo.internal and not staff):
        return None
    return photo


def _thumbnail(stored: StoredFile, office_id: int, actor: User | None) -> StoredFile | None:
    """A small JPEG of the photo, turned upright; None when the picture cannot be shrunk."""
    try:
        with Image.open(io.BytesIO(read_stored(stored))) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail(THUMBNAIL_SIZE)
            small = io.BytesIO()
            image.convert("RGB").save(small, "JPEG", quality=80)
    except (Image.DecompressionBombError, OSError, ValueError):
        return None
    name = stored.name.rsplit(".", 1)[0] + "-small.jpg"
    return store_bytes(
        small.getvalue(),
        name,
        office_id=office_id,
        kinds={FileKind.JPEG},
        purpose=THUMBNAIL_PURPOSE,
        uploaded_by=actor,
    )
