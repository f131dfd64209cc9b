"""Photos on requests: taken with a phone when filing and with a message later, images only and
five at most, shown small on the ticket page to those who see the ticket, every view audited."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from sqlalchemy import select

from core.audit.models import AuditEvent
from core.db import db
from core.uploads import StoredFile
from plugins.helpdesk.models import Ticket, TicketPhoto
from tests.conftest import login, post
from tests.plugins.helpdesk import test_tickets

office = test_tickets.office  # the helpdesk's test office and its people (a fixture)
REPAIR = {"request_type": "repair", "title": "จอภาพมีเส้นขึ้นตลอด"}


def _photo(name: str = "screen.jpg", size=(1600, 1200)) -> tuple[io.BytesIO, str]:
    data = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(data, "JPEG")
    data.seek(0)
    return data, name


def _file(client, photos, **fields):
    return post(
        client,
        "/helpdesk/new",
        {**REPAIR, **fields, "photos": photos},
        token_page="/helpdesk/new",
        content_type="multipart/form-data",
    )


def _downloads() -> int:
    return db.session.scalar(
        select(db.func.count()).select_from(AuditEvent).where(AuditEvent.type == "core.file.downloaded")
    )


def test_a_teacher_sends_photos_with_the_request_and_staff_see_them_small(office, client, web):
    login(client, "teacher@a.example")
    _file(client, [_photo("one.jpg"), _photo("two.jpg")])
    ticket = db.session.query(Ticket).one()
    photos = db.session.query(TicketPhoto).filter_by(ticket_id=ticket.id).order_by(TicketPhoto.id).all()
    assert [p.file.name for p in photos] == ["one.jpg", "two.jpg"]
    with Image.open(
        io.BytesIO(client.get(f"/helpdesk/{ticket.number}/photos/{photos[0].id}/small").data)
    ) as small:
        assert max(small.size) <= 320  # the page lists pictures, not whole phone photos
    page = client.get(f"/helpdesk/{ticket.number}").get_data(as_text=True)
    assert f"/helpdesk/{ticket.number}/photos/{photos[1].id}/small" in page

    before = _downloads()
    tech = web.test_client()
    login(tech, "tech@a.example")
    whole = tech.get(f"/helpdesk/{ticket.number}/photos/{photos[1].id}")
    assert whole.status_code == 200 and whole.mimetype == "image/jpeg"
    assert _downloads() == before + 1  # every view is in the audit trail
    clerk = web.test_client()
    login(clerk, "clerk@a.example")
    assert clerk.get(f"/helpdesk/{ticket.number}/photos/{photos[1].id}").status_code == 404
    assert _downloads() == before + 1


def test_only_pictures_and_at_most_five_and_nothing_is_kept_from_a_refused_request(office, client):
    login(client, "teacher@a.example")
    page = _file(client, [(io.BytesIO(b"%PDF-1.4 not a picture"), "photo.jpg")])
    assert "photo.jpg" in page.get_data(as_text=True)  # the refusal names the file
    page = _file(client, [_photo(f"{n}.jpg", (40, 30)) for n in range(6)])
    assert "แนบรูปถ่ายได้ไม่เกิน 5 รูปต่อคำขอ" in page.get_data(as_text=True)
    assert db.session.query(Ticket).count() == 0 and db.session.query(StoredFile).count() == 0
    uploads = Path(client.application.instance_path) / "uploads"
    assert not [path for path in uploads.rglob("*") if path.is_file()]  # refused files leave no bytes


def test_photos_come_with_a_message_later_and_a_staff_note_keeps_its_photo_inside(office, client, web):
    login(client, "teacher@a.example")
    _file(client, [])
    ticket = db.session.query(Ticket).one()
    page = f"/helpdesk/{ticket.number}"
    reply = {"body": "ถ่ายรูปเพิ่มให้แล้วค่ะ", "photos": [_photo("more.jpg")]}
    post(client, f"{page}/entries", reply, token_page=page, content_type="multipart/form-data")
    tech = web.test_client()
    login(tech, "tech@a.example")
    note = {"body": "รูปแผงวงจรที่ไหม้", "internal": "y", "photos": [_photo("inside.jpg")]}
    post(tech, f"{page}/entries", note, token_page=page, content_type="multipart/form-data")
    more, inside = db.session.query(TicketPhoto).order_by(TicketPhoto.id).all()
    assert more.entry.body == "ถ่ายรูปเพิ่มให้แล้วค่ะ" and inside.internal
    assert client.get(f"{page}/photos/{inside.id}").status_code == 404
    own = client.get(page).get_data(as_text=True)
    assert f"photos/{more.id}/small" in own and f"photos/{inside.id}/small" not in own
    assert f"photos/{inside.id}/small" in tech.get(page).get_data(as_text=True)
