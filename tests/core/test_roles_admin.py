"""Installation administrators edit which permissions each role holds, in the console."""

from __future__ import annotations

from sqlalchemy import select

from core.auth.models import Role
from core.auth.permissions import can
from core.db import db
from tests.conftest import login, make_user, post


def test_role_permissions_are_edited_in_the_console(web, two_offices):
    root = make_user("root@install.example", None, "admin")
    clerk = make_user("clerk@a.example", two_offices["A"]["unit"], "clerk")
    db.session.commit()
    role = db.session.scalar(select(Role).where(Role.name == "clerk"))
    assert not can(clerk, "core.org.manage")

    client = web.test_client()
    login(client, root.email)
    form = client.get(f"/admin/core_roles/edit/?id={role.id}").get_data(as_text=True)
    assert 'value="core.org.manage"' in form
    response = post(
        client,
        f"/admin/core_roles/edit/?id={role.id}",
        {"name": "clerk", "title": "Clerk", "permission_names": ["core.org.manage", "core.admin.access"]},
        token_page="/admin/core_roles/",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Role, role.id).permission_names == {"core.org.manage", "core.admin.access"}

    clerk_client = web.test_client()
    login(clerk_client, clerk.email)
    assert clerk_client.get("/admin/core_org_units/").status_code == 200
    assert clerk_client.get("/admin/core_users/").status_code == 403


def test_unknown_permission_is_refused(web):
    root = make_user("root@install.example", None, "admin")
    db.session.commit()
    role = db.session.scalar(select(Role).where(Role.name == "teacher"))
    before = set(role.permission_names)
    client = web.test_client()
    login(client, root.email)
    post(
        client,
        f"/admin/core_roles/edit/?id={role.id}",
        {"name": "teacher", "title": "Teacher", "permission_names": ["core.root.everything"]},
        token_page="/admin/core_roles/",
    )
    db.session.expire_all()
    assert db.session.get(Role, role.id).permission_names == before
