"""``khet notifications``: sending what is still pending."""

from __future__ import annotations

import click
from flask import Flask

from core.cli.base import with_app


@click.group()
def notifications() -> None:
    """Notifications sent by e-mail and other channels."""


@notifications.command("retry")
@with_app
def notifications_retry(app: Flask) -> None:
    """Send now the deliveries whose next attempt is due (workers also do it every minute)."""
    from core.notifications.delivery import retry_due

    outcomes = retry_due()
    if not outcomes:
        click.echo("No delivery is due.")
        return
    click.echo(", ".join(f"{count} {status}" for status, count in sorted(outcomes.items())) + ".")
