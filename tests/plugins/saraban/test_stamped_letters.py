"""The receipt stamp drawn on a received letter's PDF (the file as received kept), and the letter
with its endorsements drawn on it: both read back from the PDF."""

from __future__ import annotations

from sqlalchemy import select

from core.audit.models import AuditEvent
from core.db import db
from core.jobs import wait_idle
from core.uploads import read_stored
from plugins.saraban.routing import proposals
from plugins.saraban.routing.models import Proposal, StampedCopy
from tests.plugins.saraban.test_endorsing import chains, endorse, propose
from tests.plugins.saraban.test_routing import blank_pdf, pdf_text, receive, registry, signed_in, to

__all__ = ["chains", "registry"]  # fixtures, used by name


def test_the_receipt_stamp_is_drawn_on_the_received_pdf_and_the_original_kept(registry, app, web):
    original = blank_pdf()
    letter = receive(registry, pdf=original)
    assert wait_idle(app)  # drawn in the background once the registration committed
    db.session.expire_all()
    copy = db.session.scalar(select(StampedCopy).where(StampedCopy.letter_id == letter.id))
    assert copy is not None and read_stored(letter.attachments[0].file) == original
    stamped = read_stored(copy.file)
    text = pdf_text(stamped)
    assert "สพป.ทดสอบ เขต 1" in text and "เลขรับ" in text and str(letter.number) in text
    client = signed_in(web, "central@a.example")
    response = client.get(f"/saraban/routing/letters/{letter.id}/stamped.pdf")
    assert response.status_code == 200 and response.data == stamped
    assert "เลขรับ" in pdf_text(response.data)


def test_a_damaged_pdf_gets_no_stamp_and_a_clear_message(registry, app, web):
    letter = receive(registry, pdf=b"%PDF-1.4\n" + b"0" * 200)
    assert wait_idle(app)
    client = signed_in(web, "central@a.example")
    response = client.get(f"/saraban/routing/letters/{letter.id}/stamped.pdf")
    assert response.status_code == 302
    assert "flash-error" in client.get(response.location).get_data(as_text=True)
    assert db.session.scalar(select(StampedCopy)) is None


def test_the_endorsements_are_drawn_onto_the_stamped_letter(chains, web):
    people = chains
    letter = receive(people, pdf=blank_pdf())
    _response, proposal = propose(web, people, letter)
    client = signed_in(web, "tech@a.example")
    endorse(web, "head@a.example", proposal, "agree", comment="เห็นควรดำเนินการ")
    endorse(web, "deputy@a.example", proposal, "agree")
    endorse(web, "director@a.example", proposal, proposals.ASSIGN, to=to(people["tech"]), comment="ดำเนินการ")
    proposal = db.session.get(Proposal, proposal.id)
    pdf = client.get(f"/saraban/routing/proposals/{proposal.id}/endorsed.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    for words in ("เลขรับ", "เรียน ผอ.สพป.ทดสอบ เขต 1", "เห็นชอบ", "เห็นควรดำเนินการ", "หัวหน้า ใจดี",
                  "รอง ช่วยงาน", "มอบ ช่างดี มีฝีมือ", "ผอ. ใจกว้าง"):  # fmt: skip
        assert words in text, words
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.type == "saraban.endorsements.downloaded"))
