"""``url_for`` for templates, remembering the addresses that cannot change while a process runs."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, has_request_context, request


def remembering_url_for(app: Flask) -> Callable[..., str]:
    """Flask's ``url_for`` for templates, keeping the address of each endpoint without values
    and of each static file.

    Every page links to the same dozen places (the top bar, the menu, the stylesheets). Flask
    builds such a relative address from the rule and the script root alone, and rules and
    ``url_defaults`` cannot change once the application serves: for one script root the
    address is always the same, so it is built once per process. Values (record ids),
    ``_external`` and the like, ``.endpoint`` (relative to the current blueprint) and calls
    outside a request go to Flask every time; nothing is kept when the application builds
    addresses from the host or adds defaults to them.
    """
    remembered: dict[tuple[str, str, str | None], str] = {}

    def url_for(endpoint: str, /, **values: object) -> str:
        filename = values.get("filename") if endpoint == "static" and len(values) == 1 else None
        fixed = not values or isinstance(filename, str)
        if not fixed or endpoint.startswith(".") or not has_request_context():
            return app.url_for(endpoint, **values)
        key = (request.root_path, endpoint, filename)
        url = remembered.get(key)
        if url is None:
            url = app.url_for(endpoint, **values)
            if _relative(url) and _built_from_rules_alone(app):
                remembered[key] = url
        return url

    return url_for


def _relative(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


def _built_from_rules_alone(app: Flask) -> bool:
    """Whether relative addresses depend on nothing but the rule and the script root."""
    return not (
        app.url_map.host_matching or app.subdomain_matching or any(app.url_default_functions.values())
    )
