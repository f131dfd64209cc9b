"""The application of a long-running server: ``gunicorn 'core.wsgi:serving_app()'``."""

from __future__ import annotations

import gc
from collections.abc import Mapping

from flask import Flask

from core.app import create_app

YOUNG_OBJECTS_PER_PASS = 10_000


def serving_app(environ: Mapping[str, str] | None = None) -> Flask:
    """``create_app`` for a process that serves requests until it stops.

    What start-up builds (routes, plugins, catalogs, forms: about a quarter of a million objects)
    lives as long as the process. Frozen, it is left out of the garbage collector's full passes,
    each of which would otherwise hold up a request by over 100 ms.

    A page makes tens of thousands of objects and frees nearly all of them as it ends. With
    Python's young-generation pass every 700 objects more than were freed, one or two passes
    per page look through objects about to go anyway (0.25–0.5 ms of a 15 ms queue page); at
    10,000, 200 queue pages ran no pass at all. What only a pass frees (cycles) waits for one
    a little longer: 10,000 objects are a few megabytes at most.
    """
    app = create_app(environ)
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS_PER_PASS, *gc.get_threshold()[1:])
    return app
