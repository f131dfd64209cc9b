"""``khet db``: migrations of core and of the enabled plugins."""

from __future__ import annotations

import sys

import click
from flask import Flask

from core.cli.base import with_app


@click.group("db")
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
