"""``url_for`` for templates, remembering the addresses that cannot change while a process runs."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, has_request_context, request
from werkzeug.routing import BuildError


def remembering_url_for(app: Flask) -> Callable[..., str]:
    """Flask's ``url_for`` for templates, keeping the address of each endpoint without values
    and of each static file.

    Every page links to the same dozen places (the top bar, the menu, the stylesheets). Flask
    builds such a relative address from the rule and the script root alone, and rules and
    ``url_defaults`` cannot change once the application serves: for one script root the
    address is always the same, so it is built once per process. So is the address around a
    record's number (``letter_id=42``), which the number then fills in. Other values,
    ``_external`` and the like, ``.endpoint`` (relative to the current blueprint) and calls
    outside a request go to Flask every time; nothing is kept when the application builds
    addresses from the host or adds defaults to them.
    """
    remembered: dict[tuple[str, str, str | None], str] = {}
    around_number: dict[tuple[str, str, str], tuple[str, str] | None] = {}

    def url_for(endpoint: str, /, **values: object) -> str:
        if endpoint.startswith(".") or not has_request_context():
            return app.url_for(endpoint, **values)
        if len(values) == 1 and type(number := next(iter(values.values()))) is int:
            (name,) = values
            key = (request.root_path, endpoint, name)
            if key not in around_number:
                around_number[key] = _around_number(app, endpoint, name)
            parts = around_number[key]
            return app.url_for(endpoint, **values) if parts is None else f"{parts[0]}{number}{parts[1]}"
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


def _around_number(app: Flask, endpoint: str, name: str) -> tuple[str, str] | None:
    """The address of ``endpoint`` before and after its one argument, a record's number, when
    Flask writes it as the plain number (the ``int`` and default converters): a list page links
    each of its fifty rows so, and building each cost more than the row's other cells.
    """
    rules = list(app.url_map.iter_rules(endpoint))
    if len(rules) != 1 or rules[0].arguments != {name} or not _built_from_rules_alone(app):
        return None
    probe = 987654321987
    try:
        before, sep, after = app.url_for(endpoint, **{name: probe}).partition(str(probe))
        one_digit = app.url_for(endpoint, **{name: 1})
    except BuildError:
        return None
    if not sep or str(probe) in before + after or one_digit != f"{before}1{after}":
        return None  # not the plain number (padded, say), or not where the probe says
    return (before, after) if _relative(before) else None


def _relative(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def _built_from_rules_alone(app: Flask) -> bool:
    """Whether relative addresses depend on nothing but the rule and the script root."""
    return not (
        app.url_map.host_matching or app.subdomain_matching or any(app.url_default_functions.values())
    )
