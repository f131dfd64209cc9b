"""``khet users``: people who sign in, managed from the shell."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from core.cli.base import with_app
from core.db import db


@click.group()
def users() -> None:
    """People who sign in."""


def _find(email: str):
    from core.auth.services import find_user

    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no user with e-mail {email}")
    return user


def _ask_password() -> str:
    return click.prompt("Password (12 characters or more)", hide_input=True, confirmation_prompt=True)


@users.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Full name as shown to others.")
@click.option("--position", default=None, help="Position (ตำแหน่ง).")
@click.option("--unit", "unit_code", default=None, help="Code of the person's org unit.")
@click.option("--role", "role_name", default=None, help="Role to grant within the unit.")
@click.option("--password", default=None, help="Password; asked when omitted.")
@with_app
def users_create(
    app: Flask,
    email: str,
    name: str,
    position: str | None,
    unit_code: str | None,
    role_name: str | None,
    password: str | None,
) -> None:
    """Create a person who can sign in."""
    from core.auth.models import Role, RoleAssignment, User
    from core.auth.services import PasswordRejected, find_user, set_password
    from core.org.models import OrgUnit

    if "@" not in email:
        raise click.ClickException(f"{email!r} is not an e-mail address")
    if find_user(email) is not None:
        raise click.ClickException(f"a user with e-mail {email} already exists")
    unit = None
    if unit_code:
        unit = db.session.scalar(select(OrgUnit).where(OrgUnit.code == unit_code))
        if unit is None:
            raise click.ClickException(f"no org unit with code {unit_code}")
    user = User(email=email, name=name, position=position, org_unit=unit)
    try:
        set_password(user, password or _ask_password())
    except PasswordRejected as exc:
        raise click.ClickException(str(exc)) from None
    if role_name:
        role = db.session.scalar(select(Role).where(Role.name == role_name))
        if role is None:
            raise click.ClickException(f"no role named {role_name}")
        if unit is None and role_name != "admin":
            raise click.ClickException("--role needs --unit: office roles apply within a unit")
        user.role_assignments.append(RoleAssignment(role=role, org_unit=unit))
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {user.email}.")


@users.command("set-password")
@click.argument("email")
@click.option("--password", default=None, help="New password; asked when omitted.")
@click.option("--temporary", is_flag=True, help="Make the person change it at the next sign-in.")
@with_app
def users_set_password(app: Flask, email: str, password: str | None, temporary: bool) -> None:
    """Set a person's password (signs them out everywhere)."""
    from core.auth.services import PasswordRejected, set_password

    user = _find(email)
    try:
        set_password(user, password or _ask_password(), must_change=temporary)
    except PasswordRejected as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Password of {user.email} changed.")


@users.command("deactivate")
@click.argument("email")
@with_app
def users_deactivate(app: Flask, email: str) -> None:
    """Stop a person from signing in; their records are kept."""
    from core.auth.services import deactivate

    user = _find(email)
    deactivate(user)
    db.session.commit()
    click.echo(f"{user.email} can no longer sign in.")


@users.command("list")
@click.option("--office", "office_code", default=None, help="Only people of the office with this code.")
@with_app
def users_list(app: Flask, office_code: str | None) -> None:
    """List people: e-mail, name, position, office, active."""
    from core.auth.models import User
    from core.org.models import OrgUnit

    query = select(User).order_by(User.email)
    if office_code:
        office = db.session.scalar(select(OrgUnit).where(OrgUnit.code == office_code))
        if office is None:
            raise click.ClickException(f"no office with code {office_code}")
        query = query.where(User.office_id == office.id)
    for user in db.session.scalars(query):
        office_name = user.office.name if user.office else "(installation)"
        state = "active" if user.active else "inactive"
        click.echo(f"{user.email}\t{user.name}\t{user.position or '-'}\t{office_name}\t{state}")
