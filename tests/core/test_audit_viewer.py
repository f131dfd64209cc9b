"""Reading the audit trail: the viewer's filters and pages, the CSV export, a record's history."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from sqlalchemy import select

from core.audit import record
from core.audit.models import AuditEvent
from core.audit.types import SIGN_IN_FAILED, AuditType
from core.db import db
from tests.conftest import login, make_user, post

VIEWER = "/admin/core_audit/"
NOTE = AuditType("core.test.note", "Test note")


@pytest.fixture
def people(app, two_offices):
    people = {
        "root": make_user("root@install.example", None, "admin"),
        "admin_a": make_user("admin@a.example", two_offices["A"]["unit"], "admin", name="อำนวย ดูแล"),
        "clerk_a": make_user("clerk@a.example", two_offices["A"]["unit"], "clerk", name="สมใจ รักงาน"),
        "clerk_b": make_user("clerk@b.example", two_offices["B"]["unit"], "clerk", name="บุญมี ศรีสุข"),
    }
    db.session.commit()
    return people


def signed_in(web, email: str):
    client = web.test_client()
    login(client, email)
    return client


def shown_ids(page: str) -> list[int]:
    """The ids of the events a viewer page lists, from their data (``{"n": ...}``)."""
    return [int(n) for n in re.findall(r"<strong>n</strong>:\s*(\d+)", page)]


def notes(actor, count: int, at: datetime | None = None, monkeypatch=None) -> None:
    if at is not None:
        monkeypatch.setattr("core.audit.service.utcnow", lambda: at)
    for n in range(count):
        record(NOTE, data={"n": n}, actor=actor, subject=("core.user", actor.id))
    db.session.commit()
    if monkeypatch is not None:
        monkeypatch.undo()


def test_pages_go_back_in_time_without_counting(web, people):
    notes(people["clerk_a"], 120)
    client = signed_in(web, "root@install.example")
    first = client.get(VIEWER, query_string={"record": f"core.user:{people['clerk_a'].id}"})
    first = first.get_data(as_text=True)
    assert shown_ids(first) == list(range(119, 69, -1))
    older = re.search(r'href="([^"]*before=\d+[^"]*)"', first).group(1).replace("&amp;", "&")
    second = client.get(older).get_data(as_text=True)
    assert shown_ids(second) == list(range(69, 19, -1))
    older = re.search(r'href="([^"]*before=\d+[^"]*)"', second).group(1).replace("&amp;", "&")
    last = client.get(older).get_data(as_text=True)
    assert shown_ids(last) == list(range(19, -1, -1))
    assert "before=" not in last.split("« ")[-1]  # no older page after the last


def test_filters_by_person_kind_plugin_record_and_dates(web, people, monkeypatch):
    client = signed_in(web, "root@install.example")  # first: real time runs on, ids follow times
    record(SIGN_IN_FAILED, data={"email": "nobody@a.example"})
    db.session.commit()
    # Later than the people's own events, as real time runs: ids follow times.
    notes(people["clerk_a"], 3, datetime(2026, 12, 1, 3), monkeypatch)  # 1 Dec 2026, 10:00 in Bangkok
    notes(people["clerk_b"], 2, datetime(2026, 12, 2, 18), monkeypatch)  # 3 Dec 2026, 01:00 in Bangkok

    def ids(**filters: str) -> list[int]:
        response = client.get(VIEWER, query_string=filters)
        assert response.status_code == 200
        return shown_ids(response.get_data(as_text=True))

    assert ids(person="clerk@a.example") == [2, 1, 0]
    assert ids(person="บุญมี") == [1, 0]
    assert ids(person="nobody-at-all@a.example") == []
    assert ids(record=f"core.user:{people['clerk_b'].id}") == [1, 0]
    assert ids(since="03/12/2569") == [1, 0]  # Buddhist Era dates, Bangkok days
    assert ids(until="02/12/2569") == [2, 1, 0]
    assert ids(since="01/12/2569", until="01/12/2569", person="clerk@a.example") == [2, 1, 0]
    assert ids(plugin="core") == [1, 0, 2, 1, 0]
    assert ids(plugin="helpdesk") == []
    page = client.get(VIEWER, query_string={"type": "core.auth.sign_in_failed"}).get_data(as_text=True)
    assert "nobody@a.example" in page


@pytest.mark.parametrize(
    "filters, message",
    [
        ({"since": "15/01/2569"}, "2569 looks like a Buddhist Era year"),  # the UI is in English
        ({"since": "31/02/2026"}, "This date does not exist"),
        ({"since": "02/11/2026", "until": "01/11/2026"}, "The end date is before the start date"),
        ({"record": "core.user"}, "kind:number"),
    ],
)
def test_a_wrong_filter_explains_itself(web, people, filters, message):
    client = web.test_client()
    client.set_cookie("khet_lang", "en")
    login(client, "root@install.example")
    response = client.get(VIEWER, query_string=filters)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page and "audit-events" not in page


def test_an_office_administrator_reads_only_their_office(web, people):
    notes(people["clerk_a"], 2)
    notes(people["clerk_b"], 3)
    client = signed_in(web, "admin@a.example")
    page = client.get(VIEWER).get_data(as_text=True)
    assert shown_ids(page) == [1, 0]
    assert "clerk@b.example" not in page


def test_people_without_the_permission_are_refused_and_recorded(web, people):
    client = signed_in(web, "clerk@a.example")
    assert client.get(VIEWER).status_code == 403
    assert client.get(VIEWER + "export.csv").status_code == 403
    denied = db.session.scalars(
        select(AuditEvent).where(AuditEvent.type == "core.access.denied").order_by(AuditEvent.id)
    ).all()
    assert [e.data["path"] for e in denied] == [VIEWER, VIEWER + "export.csv"]


def test_the_viewer_cannot_create_edit_or_delete(web, people):
    client = signed_in(web, "root@install.example")
    for path in ("new/", "edit/?id=1", "delete/"):
        assert client.get(VIEWER + path).status_code == 404
    assert post(client, VIEWER, {"id": 1}, token_page=VIEWER).status_code == 405


def test_the_export_is_a_filtered_csv_and_is_itself_audited(web, people):
    record(SIGN_IN_FAILED, data={"email": '=HYPERLINK("http://x")'})
    notes(people["clerk_a"], 3)
    client = signed_in(web, "root@install.example")
    response = client.get(VIEWER + "export.csv", query_string={"person": "clerk@a.example"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [row["type"] for row in rows] == ["core.test.note"] * 3
    assert rows[0]["occurred_at"].endswith("+07:00") and '"n": 2' in rows[0]["data"]
    everything = client.get(VIEWER + "export.csv").get_data(as_text=True)
    assert "'=HYPERLINK" not in everything  # the formula sits inside the JSON data cell...
    assert ",=" not in everything  # ...and no cell starts with one
    exported = db.session.scalars(
        select(AuditEvent).where(AuditEvent.type == "core.audit.exported").order_by(AuditEvent.id)
    ).all()
    assert [e.data["filters"] for e in exported] == [{"person": "clerk@a.example"}, {}]


def test_a_records_history_tab_shows_its_changes_in_thai(web, people, two_offices):
    clerk = people["clerk_a"]
    clerk.position = "นักวิชาการคอมพิวเตอร์"
    db.session.commit()
    client = signed_in(web, "admin@a.example")
    edit = client.get(f"/admin/core_users/edit/?id={clerk.id}").get_data(as_text=True)
    assert f"/admin/core_users/history/?id={clerk.id}" in edit and "ประวัติ" in edit
    history = client.get(f"/admin/core_users/history/?id={clerk.id}").get_data(as_text=True)
    assert "แก้ไขข้อมูล" in history  # "Record changed"
    change = r'ตำแหน่ง</strong>:\s*<span class="audit-old">—</span> → <span class="audit-new">นักวิชาการ'
    assert re.search(change, history)
    assert "บทบาท" in history and "ธุรการ" in history  # the role grant, with the role's Thai title


def test_another_offices_record_has_no_history_for_an_office_administrator(web, people):
    client = signed_in(web, "admin@a.example")
    assert client.get(f"/admin/core_users/history/?id={people['clerk_b'].id}").status_code == 404
    assert client.get("/admin/core_users/history/").status_code == 404


def test_a_date_range_finds_events_whose_ids_are_out_of_time_order(web, people, monkeypatch):
    """An event's time is taken before it waits for the chain: ids follow times only roughly."""
    client = signed_in(web, "root@install.example")
    clerk = people["clerk_a"]
    notes(clerk, 1, datetime(2026, 12, 2, 17, 30), monkeypatch)  # n=0: 3 Dec 00:30 in Bangkok
    monkeypatch.setattr("core.audit.service.utcnow", lambda: datetime(2026, 12, 2, 16, 50))
    record(NOTE, data={"n": 1}, actor=clerk, subject=("core.user", clerk.id))  # 2 Dec 23:50, a later id
    db.session.commit()
    monkeypatch.undo()
    since = client.get(VIEWER, query_string={"since": "03/12/2569"}).get_data(as_text=True)
    until = client.get(VIEWER, query_string={"until": "02/12/2569"}).get_data(as_text=True)
    assert (shown_ids(since), shown_ids(until)) == ([0], [1])
