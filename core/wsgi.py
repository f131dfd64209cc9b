"""The application of a long-running server: ``gunicorn 'core.wsgi:serving_app()'``."""

from __future__ import annotations

import gc
from collections.abc import Mapping

from flask import Flask

from core.app import create_app


def serving_app(environ: Mapping[str, str] | None = None) -> Flask:
    """``create_app`` for a process that serves requests until it stops.

    What start-up builds (routes, plugins, catalogs, forms: about a quarter of a million objects)
    lives as long as the process. Frozen, it is left out of the garbage collector's full passes,
    each of which would otherwise hold up a request by over 100 ms.
    """
    app = create_app(environ)
    gc.freeze()
    return app
