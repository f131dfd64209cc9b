"""``khet plugins``: what is installed, allowed and used."""

from __future__ import annotations

import click
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from core.cli.base import make_app
from core.config import ConfigError, load_settings
from core.db import db


@click.group()
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
        app = make_app()
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
