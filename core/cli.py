"""The ``khet`` command."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps

import click
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from core.config import ConfigError, load_settings
from core.db import db

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000


def _make_app() -> Flask:
    from core.app import create_app

    return create_app()


def with_app(command: Callable) -> Callable:
    """Run a command inside an application context; configuration errors become one line."""

    @wraps(command)
    def wrapped(*args, **kwargs):
        try:
            app = _make_app()
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from None
        with app.app_context():
            try:
                return command(app, *args, **kwargs)
            except SQLAlchemyError as exc:
                db.session.rollback()
                raise click.ClickException(
                    f"database error: {exc.__class__.__name__}: {str(exc).splitlines()[0]}"
                ) from None

    return wrapped


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="khet")
def cli() -> None:
    """Khet (เขต): the office suite of educational service area offices.

    Settings come from KHET_* environment variables (see the README).
    """


@cli.command()
@with_app
def init(app: Flask) -> None:
    """Create or upgrade the database and create the first administrator.

    Reads KHET_ADMIN_EMAIL and KHET_ADMIN_PASSWORD, or asks.
    """
    from core.setup import has_admin, upgrade_database

    _compile_translations()
    done = upgrade_database()
    click.echo(f"Database is up to date ({', '.join(done)}).")
    if has_admin():
        click.echo("An administrator already exists.")
        return
    _create_first_admin()


def _create_first_admin() -> None:
    from core.auth.services import PasswordRejected
    from core.setup import create_admin

    email = os.environ.get("KHET_ADMIN_EMAIL") or click.prompt("Administrator e-mail")
    password = os.environ.get("KHET_ADMIN_PASSWORD") or click.prompt(
        "Administrator password (12 characters or more)", hide_input=True, confirmation_prompt=True
    )
    try:
        create_admin(email, "Administrator", password)
    except PasswordRejected as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"Administrator {email} created.")


@cli.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-serve", is_flag=True, help="Prepare the demo data and stop.")
@with_app
def demo(app: Flask, host: str, port: int, no_serve: bool) -> None:
    """Initialise the database with a demo office and start the development server."""
    from core.demo import create_demo, demo_exists
    from core.setup import upgrade_database

    _compile_translations()
    upgrade_database()
    if demo_exists():
        click.echo("The demo office already exists; its passwords were printed when it was created.")
        click.echo("Set a new one with: khet users set-password EMAIL")
    else:
        logins = create_demo()
        click.echo("Demo logins (the passwords are shown only this once):")
        width = max(len(login.email) for login in logins)
        for login in logins:
            click.echo(f"  {login.email:<{width}}  {login.password}  {login.position}")
    if not no_serve:
        _serve(app, host, port)


@cli.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535))
@with_app
def serve(app: Flask, host: str, port: int) -> None:
    """Start the development server (use gunicorn in production; see the README)."""
    _compile_translations()
    _serve(app, host, port)


def _serve(app: Flask, host: str, port: int) -> None:
    from werkzeug.serving import run_simple

    click.echo(f"Khet is running at http://{host}:{port}/  (press Ctrl+C to stop)")
    run_simple(host, port, app, use_reloader=False, use_debugger=False, threaded=True)


def _compile_translations() -> None:
    from core.translations import compile_catalogs

    compile_catalogs(quiet=True)


# --- khet db -------------------------------------------------------------------------------


@cli.group("db")
def db_group() -> None:
    """Migrations of core and of the enabled plugins."""


@db_group.command("upgrade")
@with_app
def db_upgrade(app: Flask) -> None:
    """Upgrade core, then every enabled plugin, to the newest migration."""
    from core.setup import upgrade_database

    done = upgrade_database()
    click.echo(f"Database is up to date ({', '.join(done)}).")


@db_group.command("check")
@with_app
def db_check(app: Flask) -> None:
    """Fail when the database is behind or the models differ from the migrations."""
    from core.migrate import check

    problems = check()
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo("Migrations match the models.")


@db_group.command("revision")
@click.argument("lineage")
@click.option("-m", "--message", required=True, help="What the migration changes.")
@click.option("--empty", is_flag=True, help="Write an empty migration instead of comparing models.")
@with_app
def db_revision(app: Flask, lineage: str, message: str, empty: bool) -> None:
    """Write a migration for LINEAGE (core or a plugin name) from the models."""
    from alembic.util.exc import CommandError

    from core.migrate import revision

    try:
        revision(lineage, message, autogenerate=not empty)
    except CommandError as exc:
        raise click.ClickException(str(exc)) from None


# --- khet users ----------------------------------------------------------------------------


@cli.group()
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


# --- khet plugins --------------------------------------------------------------------------


@cli.group()
def plugins() -> None:
    """Installed plugins."""


@plugins.command("list")
def plugins_list() -> None:
    """Installed plugins, whether KHET_PLUGINS allows them, the offices that use them, and errors."""
    from core.plugins.manager import discover_plugins

    try:
        settings = load_settings()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None
    records = discover_plugins(settings.plugins)
    offices = _offices_per_plugin()
    click.echo(f"{'plugin':<12} {'version':<9} {'allowed':<8} {'status':<8} offices")
    for record in sorted(records, key=lambda r: r.name):
        status = "failed" if record.error else ("loaded" if record.loaded else "-")
        click.echo(
            f"{record.name:<12} {record.version:<9} {'yes' if record.allowed else 'no':<8} "
            f"{status:<8} {', '.join(offices.get(record.name, [])) or '-'}"
        )
        if record.error:
            click.echo(f"    error: {record.error}")


def _offices_per_plugin() -> dict[str, list[str]]:
    """Which offices switched each plugin on; empty when the application cannot start."""
    from core.org.models import OrgUnit
    from core.plugins.models import OfficePlugin

    try:
        app = _make_app()
    except ConfigError:
        return {}
    result: dict[str, list[str]] = {}
    with app.app_context():
        try:
            rows = db.session.execute(
                select(OfficePlugin.plugin, OrgUnit.name)
                .join(OrgUnit, OrgUnit.id == OfficePlugin.office_id)
                .where(OfficePlugin.enabled.is_(True))
            )
            for plugin, office in rows:
                result.setdefault(plugin, []).append(office)
        except SQLAlchemyError:
            return {}
    return result


# --- khet i18n -----------------------------------------------------------------------------


@cli.group()
def i18n() -> None:
    """Translation catalogs (Thai and English) in translations/."""


@i18n.command("extract")
def i18n_extract() -> None:
    """Collect every translatable string from Python and Jinja into translations/messages.pot."""
    from core.translations import extract

    extract()


@i18n.command("update")
def i18n_update() -> None:
    """Merge the template into the Thai and English catalogs."""
    from core.translations import update

    update()


@i18n.command("compile")
def i18n_compile() -> None:
    """Compile the catalogs into .mo files used at run time."""
    from core.translations import compile_catalogs

    compile_catalogs(quiet=False)


def plugin_commands() -> list[click.Command]:
    """Commands that plugins add; none when the application cannot start."""
    from core.plugins.registry import call_each
    from core.state import khet

    try:
        app = _make_app()
    except ConfigError:
        return []
    with app.app_context():
        return [command for _, command in call_each(khet().pm, "register_cli_commands")]


def main() -> None:
    for command in plugin_commands():
        cli.add_command(command)
    cli(prog_name="khet")
