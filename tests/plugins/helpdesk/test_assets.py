"""The asset register: its pages, who may use them, office isolation and the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.audit.models import AuditEvent
from core.db import db
from core.plugins.offices import set_plugin_enabled
from plugins.helpdesk.assets import services
from plugins.helpdesk.assets.models import Asset, AssetStatus, AssetType
from tests.conftest import login, make_office, make_user, post

LIST = "/admin/helpdesk_assets/"
NEW = "/admin/helpdesk_assets/new/"


@pytest.fixture
def office(app):
    a = make_office("สพป.ทดสอบ เขต 1", "A")
    b = make_office("สพม.ทดสอบ เขต 2", "B")
    people = {
        "tech": make_user("tech@a.example", a["unit"], "computer_officer", name="ช่างดี มีฝีมือ"),
        "director": make_user("director@a.example", a["group"], "group_director", name="ผอ.กลุ่ม ใจดี"),
        "teacher": make_user("teacher@a.example", a["school"], "teacher", name="ครูใจ ดีงาม"),
        "tech_b": make_user("tech@b.example", b["unit"], "computer_officer", name="ช่างบี เขตสอง"),
    }
    for units in (a, b):
        set_plugin_enabled(units["office"].id, "helpdesk", True)
    db.session.commit()
    return {**a, **people, "b": b}


@pytest.fixture
def registered(office) -> dict[str, Asset]:
    """One asset in each office, under the same number."""
    assets = {
        "a": _asset(office, "7440-001-0900/2560", brand="Dell", serial_number="SN-A1"),
        "b": _asset(office["b"], "7440-001-0900/2560", brand="Acer", serial_number="SN-B1"),
    }
    db.session.commit()
    return assets


def _asset(units, number: str, **fields) -> Asset:
    asset = Asset(
        office_id=units["office"].id,
        asset_number=number,
        asset_type=fields.pop("asset_type", AssetType.DESKTOP),
        location_id=units["unit"].id,
        **fields,
    )
    db.session.add(asset)
    db.session.flush()
    return asset


def client_of(web, email):
    client = web.test_client()
    login(client, email)
    return client


def _form(office, **changes) -> dict[str, object]:
    data = {
        "asset_number": "7440-005-0003/2568",
        "asset_type": "printer",
        "brand": "Epson",
        "model": "L3250",
        "location": office["school"].id,
        "owner": office["teacher"].id,
        "purchase_date": "01/10/2567",
        "warranty_end": "30/09/2570",
        "vendor": "ร้านพรินต์เตอร์",
        "status": "in_use",
    }
    return {**data, **changes}


def test_a_computer_officer_registers_and_changes_an_asset_and_the_trail_keeps_both(office, web):
    client = client_of(web, "tech@a.example")
    response = post(client, NEW, _form(office), token_page=NEW)
    assert response.status_code == 302
    asset = db.session.scalar(select(Asset).where(Asset.asset_number == "7440-005-0003/2568"))
    assert (asset.office_id, asset.location_id, asset.owner_id) == (
        office["office"].id,
        office["school"].id,
        office["teacher"].id,
    )
    assert (asset.purchase_date, asset.warranty_end) == (date(2024, 10, 1), date(2027, 9, 30))
    edit = f"/admin/helpdesk_assets/edit/?id={asset.id}"
    post(client, edit, _form(office, status="at_vendor", leased="y"), token_page=edit)
    db.session.expire_all()
    assert db.session.get(Asset, asset.id).status == AssetStatus.AT_VENDOR
    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_key == "helpdesk.asset", AuditEvent.subject_id == str(asset.id))
        .order_by(AuditEvent.id)
    ).all()
    assert [e.type for e in events] == ["helpdesk.asset.created", "helpdesk.asset.updated"]
    assert events[0].actor_id == office["tech"].id
    assert events[1].data["changes"]["status"] == ["in_use", "at_vendor"]
    assert events[1].data["changes"]["leased"] == [False, True]
    assert client.get(edit).status_code == 200
    history = client.get(f"/admin/helpdesk_assets/history/?id={asset.id}").get_data(as_text=True)
    assert "at_vendor" in history and "ช่างดี มีฝีมือ" in history


def test_the_list_shows_thai_labels(office, registered, web):
    page = client_of(web, "tech@a.example").get(LIST).get_data(as_text=True)
    assert "เลขครุภัณฑ์" in page and "คอมพิวเตอร์ตั้งโต๊ะ" in page and "ใช้งาน" in page


def test_an_asset_number_is_unique_within_the_office_only(office, registered, web):
    client = client_of(web, "tech@a.example")
    page = post(client, NEW, _form(office, asset_number="7440-001-0900/2560"), token_page=NEW)
    assert "สำนักงานมีครุภัณฑ์เลขนี้แล้ว" in page.get_data(as_text=True)
    numbers = db.session.scalars(select(Asset.office_id).where(Asset.asset_number == "7440-001-0900/2560"))
    assert sorted(numbers) == sorted([office["office"].id, office["b"]["office"].id])


def test_another_offices_assets_are_never_shown(office, registered, web):
    client = client_of(web, "tech@a.example")
    page = client.get(LIST).get_data(as_text=True)
    assert "Dell" in page and "Acer" not in page
    assert "Acer" not in client.get(LIST + "?search=SN-B1").get_data(as_text=True)
    other = registered["b"].id
    for view in ("details", "edit", "history"):
        response = client.get(f"/admin/helpdesk_assets/{view}/?id={other}")
        assert response.status_code in (302, 404)
        assert "Acer" not in response.get_data(as_text=True)
    # Another office's unit or person is neither offered nor taken.
    units = client.get(LIST + "ajax/lookup/?name=location&query=งานศูนย์").get_json()
    assert [name for _id, name in units] == [office["unit"].name]
    assert client.get(LIST + "ajax/lookup/?name=owner&query=ช่าง").get_json() == [
        [office["tech"].id, office["tech"].name]
    ]
    post(client, NEW, _form(office, location=office["b"]["unit"].id, asset_number="X-1"), token_page=NEW)
    post(client, NEW, _form(office, owner=office["tech_b"].id, asset_number="X-2"), token_page=NEW)
    assert db.session.scalars(select(Asset).where(Asset.asset_number.in_(["X-1", "X-2"]))).all() == []


def test_a_teacher_is_refused_every_page(office, registered, web):
    client = client_of(web, "teacher@a.example")
    asset = registered["a"].id
    for path in (LIST, NEW, f"{LIST}details/?id={asset}", f"{LIST}import/", f"{LIST}import/template.xlsx"):
        assert client.get(path).status_code == 403, path


def test_a_group_director_reads_the_register_but_changes_nothing(office, registered, web):
    client = client_of(web, "director@a.example")
    assert "Dell" in client.get(LIST).get_data(as_text=True)
    assert client.get(f"{LIST}details/?id={registered['a'].id}").status_code == 200
    assert client.get(f"{LIST}import/").status_code == 403
    post(client, NEW, _form(office), token_page=LIST)
    assert db.session.scalar(select(Asset).where(Asset.asset_number == "7440-005-0003/2568")) is None


def test_technicians_reach_the_register_from_the_top_bar(office, web):
    assert LIST in client_of(web, "tech@a.example").get("/").get_data(as_text=True)
    assert LIST not in client_of(web, "teacher@a.example").get("/").get_data(as_text=True)


def test_lookups_for_tickets_never_cross_offices(office, registered):
    mine, theirs = registered["a"], registered["b"]
    assert services.get_asset(office["office"].id, mine.id) is mine
    assert services.get_asset(office["office"].id, theirs.id) is None
    assert services.search_assets(office["office"].id, "7440-001") == [mine]
    assert services.search_assets(office["office"].id, "SN-A1") == [mine]
    assert services.search_assets(office["office"].id, "SN-B1") == []
    assert services.find_by_number(office["b"]["office"].id, " 7440-001-0900/2560 ") is theirs


def test_leased_or_warranted_assets_go_to_the_vendor(office, registered):
    asset = registered["a"]
    assert not asset.repaired_by_vendor(date(2026, 1, 15))
    asset.warranty_end = date(2026, 1, 15)
    assert asset.repaired_by_vendor(date(2026, 1, 15)) and not asset.repaired_by_vendor(date(2026, 1, 16))
    asset.warranty_end, asset.leased = None, True
    assert asset.repaired_by_vendor(date(2030, 1, 1))
