"""A person's role grants, read once per request: each grant with its own scope and permissions."""

from __future__ import annotations

from flask import g
from sqlalchemy import event, select

from core.auth.models import Role, RoleAssignment
from core.auth.permissions import can, grants_of, held_anywhere, load_signed_in_user
from core.db import db
from core.plugins.offices import enabled_for_office, set_plugin_enabled
from tests.conftest import make_user


def _role(name: str, permissions: set[str]) -> Role:
    role = db.session.scalar(select(Role).where(Role.name == name))
    role.permission_names = permissions
    return role


def test_each_grant_keeps_its_scope_and_its_role_permissions(app, web, two_offices):
    a = two_offices["A"]
    person = make_user("somchai@a.example", a["unit"])
    clerk = _role("clerk", {"core.users.manage", "core.org.manage", "core.audit.view"})
    teacher = _role("teacher", set())  # a role without permissions still grants nothing
    person.role_assignments += [
        RoleAssignment(role=clerk, org_unit=a["group"], include_descendants=True),
        RoleAssignment(role=_role("supervisor", {"core.calendar.manage"}), org_unit=a["school"]),
        RoleAssignment(role=teacher, org_unit=a["unit"]),
    ]
    db.session.commit()
    person_id = person.id

    with web.test_request_context("/"):
        signed_in = load_signed_in_user(person_id)
        read_on_sign_in = grants_of(signed_in)
        g.pop("_khet_grants")
        assert sorted(grants_of(signed_in), key=repr) == sorted(read_on_sign_in, key=repr)
        assert len(read_on_sign_in) == 3
        units = {name: db.session.get(type(unit), unit.id) for name, unit in a.items()}
        assert can(signed_in, "core.org.manage", units["unit"])  # below the group
        assert not can(signed_in, "core.org.manage", units["school"])  # beside it
        assert can(signed_in, "core.calendar.manage", units["school"])
        assert not can(signed_in, "core.calendar.manage", units["group"])
        assert not can(signed_in, "core.admin.access")
        held = {"core.users.manage", "core.org.manage", "core.audit.view", "core.calendar.manage"}
        assert held_anywhere(signed_in) == held
        assert all(can(signed_in, name) for name in held)
        signed_in.active = False
        assert held_anywhere(signed_in) == frozenset() and not can(signed_in, "core.org.manage")
        db.session.rollback()


def test_a_person_without_grants_may_do_nothing(web, two_offices):
    person = make_user("nobody@a.example", two_offices["A"]["unit"])
    db.session.commit()
    with web.test_request_context("/"):
        signed_in = load_signed_in_user(person.id)
        assert signed_in is not None and grants_of(signed_in) == []
        assert not can(signed_in, "core.users.manage")


def test_the_office_plugins_come_with_the_signed_in_person(web, two_offices):
    """Every page asks which plugins the office has on: the answer comes with the person's row,
    so the check itself runs no query."""
    office = two_offices["A"]["office"]
    person = make_user("somchai@a.example", two_offices["A"]["unit"])
    set_plugin_enabled(office.id, "saraban", True)
    db.session.commit()
    person_id, office_id = person.id, office.id
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    with web.test_request_context("/"):
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            signed_in = load_signed_in_user(person_id)
            assert enabled_for_office(signed_in.office_id) == {"saraban"}
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1, [s[:60] for s in statements]
    with web.test_request_context("/"):
        set_plugin_enabled(office_id, "saraban", False)  # and the switch is seen at once
        assert enabled_for_office(office_id) == set()
        db.session.rollback()
