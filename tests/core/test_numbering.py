"""Number series: consecutive under concurrent registration, none twice, none skipped."""

from __future__ import annotations

import threading

from flask import current_app

from core.db import db
from core.numbering.service import next_number
from tests.conftest import make_office

WRITERS = 20


def test_numbers_run_per_office_series_and_year(app):
    a, b = make_office("สพป.ทดสอบ เขต 1", "A")["office"], make_office("สพม.ทดสอบ เขต 2", "B")["office"]
    assert [next_number(a.id, "helpdesk.ticket", 2570) for _ in range(3)] == [1, 2, 3]
    assert next_number(b.id, "helpdesk.ticket", 2570) == 1
    assert next_number(a.id, "helpdesk.ticket", 2571) == 1
    assert next_number(a.id, "saraban.receive", 2570, start=1575) == 1575  # moving from a paper book
    assert next_number(a.id, "saraban.receive", 2570, start=1575) == 1576


def test_a_rolled_back_registration_gives_its_number_back(app):
    office = make_office("สพป.ทดสอบ เขต 1", "A")["office"]
    db.session.commit()
    assert next_number(office.id, "helpdesk.ticket", 2570) == 1
    db.session.rollback()
    assert next_number(office.id, "helpdesk.ticket", 2570) == 1


def test_concurrent_registrations_get_consecutive_numbers(app):
    office_id = make_office("สพป.ทดสอบ เขต 1", "A")["office"].id
    db.session.commit()
    application = current_app._get_current_object()
    barrier = threading.Barrier(WRITERS)
    issued: list[int] = []
    failures: list[str] = []

    def register() -> None:
        with application.app_context():
            barrier.wait()
            try:
                issued.append(next_number(office_id, "helpdesk.ticket", 2570))
                db.session.commit()
            except Exception as error:  # reported by the assertion below
                failures.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=register) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(issued) == list(range(1, WRITERS + 1))
