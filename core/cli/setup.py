"""Setting up and running: ``khet init``, ``khet demo``, ``khet serve``."""

from __future__ import annotations

import os

import click
from flask import Flask

from core.cli.base import DEFAULT_HOST, DEFAULT_PORT, with_app
from core.db import db


@click.command()
@with_app
def init(app: Flask) -> None:
    """Create or upgrade the database and create the first administrator.

    Reads KHET_ADMIN_EMAIL and KHET_ADMIN_PASSWORD, or asks.
    """
    from core.setup import has_admin, upgrade_database

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


@click.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-serve", is_flag=True, help="Prepare the demo data and stop.")
@with_app
def demo(app: Flask, host: str, port: int, no_serve: bool) -> None:
    """Initialise the database with a demo office and start the development server."""
    from core.demo import create_demo, demo_exists
    from core.setup import upgrade_database

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


@click.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Address to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535))
@with_app
def serve(app: Flask, host: str, port: int) -> None:
    """Start the development server (use gunicorn in production; see the README)."""
    _serve(app, host, port)


def _serve(app: Flask, host: str, port: int) -> None:
    from werkzeug.serving import run_simple

    click.echo(f"Khet is running at http://{host}:{port}/  (press Ctrl+C to stop)")
    run_simple(host, port, app, use_reloader=False, use_debugger=False, threaded=True)
