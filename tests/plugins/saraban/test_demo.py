"""The demo office's correspondence: a year of registers in time order, this week's letters under way."""

from __future__ import annotations

from sqlalchemy import func, select

from core.db import db
from core.demo import create_demo
from plugins.saraban.models import Letter, Register
from plugins.saraban.outgoing.models import Draft, LetterDelivery
from plugins.saraban.routing.models import Proposal, Routing
from plugins.saraban.schools.models import SchoolLetter


def test_the_demo_office_has_a_year_of_registers(app):
    create_demo()
    counts = dict(db.session.execute(select(Letter.register, func.count()).group_by(Letter.register)).all())
    assert counts.keys() == {r.value for r in Register}
    assert counts[Register.RECEIVE] > 150 and counts[Register.SEND] > 50
    for register in counts:
        rows = db.session.execute(
            select(Letter.year, Letter.number, Letter.registered_at)
            .where(Letter.register == register)
            .order_by(Letter.year, Letter.number)
        ).all()
        times = [row.registered_at for row in rows]
        assert times == sorted(times), register  # a date range is a number range
        for year in {row.year for row in rows}:
            numbers = [row.number for row in rows if row.year == year]
            assert numbers == list(range(1, len(numbers) + 1))
    sent = db.session.scalars(select(Letter).where(Letter.register == Register.CIRCULAR)).first()
    assert sent.document_number.startswith("ศธ 04999/ว ")
    under_way = db.session.scalars(select(Routing)).all()
    assert any(r.acknowledged_at is None for r in under_way) and any(r.done_at for r in under_way)
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 1
    assert db.session.scalar(select(func.count()).select_from(Draft)) == 1
    deliveries = db.session.scalars(select(LetterDelivery)).all()
    assert len(deliveries) == 12 and not any(d.acknowledged_at for d in deliveries)
    assert db.session.scalar(select(func.count()).select_from(SchoolLetter)) == 1
