"""``url_for`` for templates, remembering the addresses that cannot change while a process runs."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask, has_request_context, request
from werkzeug.routing import BuildError

# Values no converter rewrites (URL-unreserved characters), and the probes for each kind of value.
PLAIN = re.compile(r"[A-Za-z0-9._~-]+\Z")
PROBES: dict[type, tuple[object, object]] = {int: (987654321987, 1), str: ("Probe-9x.z", "a")}


def remembering_url_for(app: Flask) -> Callable[..., str]:
    """Flask's ``url_for`` for templates, keeping the address of each endpoint without values
    and of each static file.

    Every page links to the same dozen places (the top bar, the menu, the stylesheets). Flask
    builds such a relative address from the rule and the script root alone, and rules and
    ``url_defaults`` cannot change once the application serves: for one script root the
    address is always the same, so it is built once per process. So is the address around a
    record's number or code (``letter_id=42``), which the value then fills in. Other values,
    ``_external`` and the like, ``.endpoint`` (relative to the current blueprint) and calls
    outside a request go to Flask every time; nothing is kept when the application builds
    addresses from the host or adds defaults to them.
    """
    remembered: dict[tuple[str, str, str | None], str] = {}
    around_value: dict[tuple[str, str, str, type], tuple[str, str] | None] = {}

    def url_for(endpoint: str, /, **values: object) -> str:
        if endpoint.startswith(".") or not has_request_context():
            return app.url_for(endpoint, **values)
        if len(values) == 1:
            ((name, value),) = values.items()
            if type(value) is int or (type(value) is str and PLAIN.match(value)):
                shape = (request.root_path, endpoint, name, type(value))
                if shape not in around_value:
                    around_value[shape] = _around_value(app, endpoint, name, type(value))
                parts = around_value[shape]
                if parts is not None:
                    return f"{parts[0]}{value}{parts[1]}"
        filename = values.get("filename") if endpoint == "static" and len(values) == 1 else None
        if values and not isinstance(filename, str):
            return app.url_for(endpoint, **values)
        key = (request.root_path, endpoint, filename)
        url = remembered.get(key)
        if url is None:
            url = app.url_for(endpoint, **values)
            if _relative(url) and _built_from_rules_alone(app):
                remembered[key] = url
        return url

    return url_for


def _around_value(app: Flask, endpoint: str, name: str, kind: type) -> tuple[str, str] | None:
    """The address of ``endpoint`` before and after its one argument, when Flask writes that
    argument as it is: a record's number or code (``letter_id=42``, ``number="2568-00042"``),
    which a list page links on each of its fifty rows, each built for more than the row's other
    cells cost. Two probes, a long and a short value, check the converter changes neither.
    """
    rules = list(app.url_map.iter_rules(endpoint))
    if len(rules) != 1 or rules[0].arguments != {name} or not _built_from_rules_alone(app):
        return None
    long_probe, short_probe = PROBES[kind]
    try:
        before, found, after = app.url_for(endpoint, **{name: long_probe}).partition(str(long_probe))
        short = app.url_for(endpoint, **{name: short_probe})
    except (BuildError, ValueError):  # a converter that refuses such a value
        return None
    if not found or str(long_probe) in before + after or short != f"{before}{short_probe}{after}":
        return None  # written otherwise (padded, say), or not only where the probe stands
    return (before, after) if _relative(before) else None


def _relative(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def _built_from_rules_alone(app: Flask) -> bool:
    """Whether relative addresses depend on nothing but the rule and the script root."""
    return not (
        app.url_map.host_matching or app.subdomain_matching or any(app.url_default_functions.values())
    )
