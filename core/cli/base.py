"""What every ``khet`` command shares: building the application and reporting errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import click
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from core.audit import audit_context
from core.config import ConfigError
from core.db import db
from core.jobs import shutdown

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5000


def make_app() -> Flask:
    from core.app import create_app

    return create_app()


def with_app(command: Callable) -> Callable:
    """Run a command inside an application context; configuration errors become one line.

    What the command changes is audited as done from the command line (``cli:users create``).
    """

    @wraps(command)
    def wrapped(*args, **kwargs):
        try:
            app = make_app()
        except ConfigError as exc:
            raise click.ClickException(str(exc)) from None
        origin = "cli:" + click.get_current_context().command_path.partition(" ")[2]
        with app.app_context(), audit_context(origin):
            try:
                return command(app, *args, **kwargs)
            except SQLAlchemyError as exc:
                db.session.rollback()
                raise click.ClickException(
                    f"database error: {exc.__class__.__name__}: {str(exc).splitlines()[0]}"
                ) from None
            finally:
                shutdown(app)  # jobs the command queued run before the process ends

    return wrapped
