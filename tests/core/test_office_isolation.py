"""No record of one office reaches a user of another, through any admin path."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.auth.models import RoleAssignment, User
from core.db import db
from core.org.models import OrgUnit
from tests.conftest import _PASSWORD_HASH, login, make_user, post

ADMIN_LISTS = ["/admin/core_users/", "/admin/core_org_units/", "/admin/core_role_assignments/"]


@pytest.fixture
def people(app, two_offices):
    a, b = two_offices["A"], two_offices["B"]
    found = {
        "admin_a": make_user("admin@a.example", a["unit"], "admin", name="ผู้ดูแล ก"),
        "staff_a": make_user("staff@a.example", a["unit"], "clerk", name="พนักงาน ก"),
        "admin_b": make_user("admin@b.example", b["unit"], "admin", name="ผู้ดูแล ข"),
        "staff_b": make_user("staff@b.example", b["school"], "teacher", name="ครู ข"),
        "root": make_user("root@install.example", None, "admin", name="ผู้ดูแลติดตั้ง"),
    }
    db.session.commit()
    return found


@pytest.fixture
def admin_a(web, people):
    client = web.test_client()
    login(client, people["admin_a"].email)
    return client


def test_lists_show_only_own_office(admin_a, people, two_offices):
    users = admin_a.get("/admin/core_users/").get_data(as_text=True)
    assert "staff@a.example" in users and "staff@b.example" not in users
    assert "root@install.example" not in users
    units = admin_a.get("/admin/core_org_units/").get_data(as_text=True)
    assert two_offices["A"]["school"].name in units and two_offices["B"]["school"].name not in units
    grants = admin_a.get("/admin/core_role_assignments/").get_data(as_text=True)
    assert "พนักงาน ก" in grants and "ครู ข" not in grants


def test_search_does_not_cross_offices(admin_a):
    page = admin_a.get("/admin/core_users/?search=staff").get_data(as_text=True)
    assert "staff@a.example" in page and "staff@b.example" not in page


@pytest.mark.parametrize("path", ["/admin/core_users/details/", "/admin/core_users/edit/"])
def test_other_office_record_pages_are_unreachable(admin_a, people, path):
    response = admin_a.get(f"{path}?id={people['staff_b'].id}")
    assert response.status_code == 302
    assert "staff@b.example" not in admin_a.get(response.location).get_data(as_text=True)


@pytest.mark.parametrize(
    "path, kind",
    [
        ("/admin/core_org_units/edit/", "school"),
        ("/admin/core_role_assignments/details/", "grant"),
    ],
)
def test_other_office_units_and_grants_are_unreachable(admin_a, people, two_offices, path, kind):
    target = two_offices["B"]["school"].id if kind == "school" else people["staff_b"].role_assignments[0].id
    assert admin_a.get(f"{path}?id={target}").status_code == 302


def _edit_user(client, user, name: str):
    post(
        client,
        f"/admin/core_users/edit/?id={user.id}",
        {"name": name, "email": user.email, "org_unit": user.org_unit_id, "active": "y"},
        token_page="/admin/core_users/",
    )
    db.session.expire_all()
    return db.session.get(User, user.id).name


def test_edit_post_cannot_change_another_office_record(admin_a, people):
    assert _edit_user(admin_a, people["staff_a"], "ชื่อใหม่") == "ชื่อใหม่"
    assert _edit_user(admin_a, people["staff_b"], "hijacked") == "ครู ข"


def test_bulk_deactivate_skips_another_office(admin_a, people):
    own, victim = people["staff_a"].id, people["staff_b"].id
    post(
        admin_a,
        "/admin/core_users/action/",
        {"action": "deactivate", "rowid": [own, victim]},
        token_page="/admin/core_users/",
    )
    db.session.expire_all()
    assert not db.session.get(User, own).active and db.session.get(User, victim).active


def test_password_reset_asks_for_the_password_again(admin_a, people):
    with admin_a.session_transaction() as session:
        session["reauth_at"] = 0
    response = post(
        admin_a,
        "/admin/core_users/action/",
        {"action": "reset_password", "rowid": [people["staff_a"].id]},
        token_page="/admin/core_users/",
    )
    assert "/account/confirm" in response.location
    db.session.expire_all()
    assert db.session.get(User, people["staff_a"].id).password_hash == _PASSWORD_HASH


def test_people_are_deactivated_never_deleted(admin_a, people):
    own = people["staff_a"].id
    post(admin_a, "/admin/core_users/delete/", {"id": own}, token_page="/admin/core_users/")
    assert db.session.get(User, own) is not None


def test_delete_skips_another_office(admin_a, people):
    own = people["staff_a"].role_assignments[0].id
    foreign = people["staff_b"].role_assignments[0].id
    for grant_id in (own, foreign):
        post(
            admin_a,
            "/admin/core_role_assignments/delete/",
            {"id": grant_id},
            token_page="/admin/core_role_assignments/",
        )
    db.session.expire_all()
    assert db.session.get(RoleAssignment, own) is None
    assert db.session.get(RoleAssignment, foreign) is not None


def test_password_reset_cannot_target_another_office(admin_a, people):
    ids = [people["staff_a"].id, people["staff_b"].id]
    response = post(
        admin_a,
        "/admin/core_users/action/",
        {"action": "reset_password", "rowid": ids},
        token_page="/admin/core_users/",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, people["staff_b"].id).password_hash == _PASSWORD_HASH
    assert db.session.get(User, people["staff_a"].id).must_change_password


def test_lookups_offer_only_own_office(admin_a, two_offices):
    for path in (
        "/admin/core_users/ajax/lookup/?name=org_unit&query=",
        "/admin/core_role_assignments/ajax/lookup/?name=user&query=",
        "/admin/core_org_units/ajax/lookup/?name=parent&query=",
    ):
        labels = [label for q in ("%E0%B8%81", "a", "A") for _, label in admin_a.get(path + q).json]
        assert labels, path
        foreign = {unit.name for unit in two_offices["B"].values()} | {"ผู้ดูแล ข", "ครู ข"}
        assert not foreign & set(labels), path


def _create_user(client, email: str, unit: OrgUnit) -> User | None:
    post(
        client,
        "/admin/core_users/new/",
        {"name": "คนใหม่", "email": email, "org_unit": unit.id, "active": "y"},
        token_page="/admin/core_users/",
    )
    return db.session.scalar(select(User).where(User.email == email))


def test_cannot_create_user_in_another_office(admin_a, two_offices):
    created = _create_user(admin_a, "new@a.example", two_offices["A"]["unit"])
    assert created is not None and created.office_id == two_offices["A"]["office"].id
    assert _create_user(admin_a, "mole@b.example", two_offices["B"]["unit"]) is None


def _grants_of(user: User) -> int:
    return len(db.session.scalars(select(RoleAssignment).where(RoleAssignment.user_id == user.id)).all())


def test_cannot_grant_a_role_to_another_office(admin_a, people, two_offices):
    role_id = people["staff_a"].role_assignments[0].role_id
    for person in ("staff_a", "staff_b"):
        post(
            admin_a,
            "/admin/core_role_assignments/new/",
            {"user": people[person].id, "role": role_id, "org_unit": two_offices["A"]["group"].id},
            token_page="/admin/core_role_assignments/",
        )
    assert _grants_of(people["staff_a"]) == 2
    assert _grants_of(people["staff_b"]) == 1


def test_plugins_page_ignores_another_office_parameter(admin_a, two_offices):
    page = admin_a.get(f"/admin/core_plugins/?office={two_offices['B']['office'].id}")
    text = page.get_data(as_text=True)
    assert two_offices["A"]["office"].name in text and two_offices["B"]["office"].name not in text


def test_role_mapping_is_for_installation_administrators_only(admin_a, web, people):
    assert admin_a.get("/admin/core_roles/").status_code == 403
    root = web.test_client()
    login(root, people["root"].email)
    assert root.get("/admin/core_roles/").status_code == 200


def test_installation_administrator_sees_every_office(web, people):
    root = web.test_client()
    login(root, people["root"].email)
    users = root.get("/admin/core_users/").get_data(as_text=True)
    assert "staff@a.example" in users and "staff@b.example" in users


@pytest.mark.parametrize("path", ["/admin/", *ADMIN_LISTS, "/admin/core_roles/", "/admin/core_plugins/"])
def test_staff_without_permission_get_403(web, people, path):
    client = web.test_client()
    login(client, people["staff_a"].email)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/admin/", *ADMIN_LISTS, "/", "/account/password"])
def test_anonymous_visitors_are_sent_to_sign_in(client, people, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.location


def test_org_unit_tree_rules(app, two_offices):
    stray = OrgUnit(kind="work_unit", name="งานลอย", parent=two_offices["A"]["office"])
    db.session.add(stray)
    with pytest.raises(ValueError):
        db.session.flush()
    db.session.rollback()
    school = db.session.get(OrgUnit, two_offices["A"]["school"].id)
    assert school.office_id == two_offices["A"]["office"].id


def test_office_admin_edits_own_office_but_cannot_make_a_new_one(admin_a, two_offices):
    office, group = two_offices["A"]["office"], two_offices["A"]["group"]
    post(
        admin_a,
        f"/admin/core_org_units/edit/?id={office.id}",
        {"name": "สพป.ทดสอบ เขต 1 (ใหม่)", "kind": "office", "code": office.code, "active": "y"},
        token_page="/admin/core_org_units/",
    )
    post(
        admin_a,
        f"/admin/core_org_units/edit/?id={group.id}",
        {"name": group.name, "kind": "office", "code": group.code, "active": "y"},
        token_page="/admin/core_org_units/",
    )
    db.session.expire_all()
    assert db.session.get(OrgUnit, office.id).name == "สพป.ทดสอบ เขต 1 (ใหม่)"
    assert db.session.get(OrgUnit, group.id).kind == "group"
