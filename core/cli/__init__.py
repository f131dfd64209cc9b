"""The ``khet`` command."""

from __future__ import annotations

import click

from core.cli.audit import audit
from core.cli.base import make_app
from core.cli.database import db_group
from core.cli.i18n import i18n
from core.cli.jobs import worker
from core.cli.notifications import notifications
from core.cli.plugins import plugins
from core.cli.setup import demo, init, serve
from core.cli.users import users
from core.config import ConfigError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="khet")
def cli() -> None:
    """Khet (เขต): the office suite of educational service area offices.

    Settings come from KHET_* environment variables (see the README).
    """


for command in (init, demo, serve, db_group, users, plugins, audit, i18n, notifications, worker):
    cli.add_command(command)


def plugin_commands() -> list[click.Command]:
    """Commands that plugins add; none when the application cannot start."""
    from core.plugins.registry import call_each
    from core.state import khet

    try:
        app = make_app()
    except ConfigError:
        return []
    with app.app_context():
        return [command for _, command in call_each(khet().pm, "register_cli_commands")]


def main() -> None:
    for command in plugin_commands():
        cli.add_command(command)
    cli(prog_name="khet")
