"""Every form is protected: a POST without the session's token is refused and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core.auth.models import RoleAssignment, User
from core.db import db
from tests.conftest import login, make_user


def _post_routes(app) -> list[str]:
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.arguments and rule.endpoint != "static"
    )


@pytest.fixture
def signed_in_admin(web, two_offices):
    make_user("root@install.example", None, "admin")
    make_user("staff@a.example", two_offices["A"]["unit"], "clerk")
    db.session.commit()
    client = web.test_client()
    login(client, "root@install.example")
    return client


def test_every_post_route_refuses_a_missing_token(web, signed_in_admin):
    routes = _post_routes(web)
    assert "/admin/core_users/new/" in routes and "/logout" in routes
    before = _snapshot()
    for route in routes:
        response = signed_in_admin.post(route, data={"id": "1", "name": "x", "email": "x@a.example"})
        assert response.status_code == 400, route
    assert _snapshot() == before


def _snapshot() -> tuple[int, int, list[str]]:
    db.session.expire_all()
    users = db.session.scalar(select(func.count()).select_from(User))
    grants = db.session.scalar(select(func.count()).select_from(RoleAssignment))
    names = list(db.session.scalars(select(User.name).order_by(User.id)))
    return users, grants, names
