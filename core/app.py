"""The application factory."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from werkzeug.middleware.proxy_fix import ProxyFix

from core.admin.base import ADMIN_PERMISSION, KhetAdminIndexView
from core.approvals.notices import init_approvals
from core.approvals.views import TEMPLATE_GLOBALS as APPROVAL_TEMPLATE_GLOBALS
from core.audit.context import init_request_ids
from core.auth.models import User
from core.auth.permissions import can, load_signed_in_user
from core.auth.ratelimit import create_limiter
from core.builtin import CorePlugin
from core.config import Settings, load_settings
from core.db import db, end_reads_with_commit
from core.extensions import babel, csrf, login_manager
from core.i18n import (
    DEFAULT_LOCALE,
    TIMEZONE,
    install_template_gettext,
    select_locale,
    select_timezone,
)
from core.i18n import lazy_gettext as _l
from core.i18n.collation import register_sqlite_collation
from core.i18n.filters import init_filters
from core.jobs import init_jobs
from core.notifications import init_notifications
from core.plugins.manager import CORE, build_plugin_manager, check_plugins, discover_plugins
from core.plugins.registry import collect_admin_views, collect_blueprints, collect_static
from core.security import csp_nonce, init_security
from core.standards.survey import init_standards
from core.state import EXTENSION_KEY, KhetState
from core.translations import TRANSLATIONS, compile_catalogs
from core.web.errors import init_errors
from core.web.navigation import visible_menu_items
from core.web.sessions import SignedCookieSessions
from core.web.topbar import top_bar
from core.web.urls import remembering_url_for

MEGABYTE = 1024 * 1024
FILES_PER_REQUEST = 5


def create_app(
    environ: Mapping[str, str] | None = None,
    *,
    settings: Settings | None = None,
    config: Mapping[str, Any] | None = None,
) -> Flask:
    """Build a Khet application from ``KHET_*`` settings (``config`` overrides Flask keys)."""
    settings = settings or load_settings(environ)
    _compile_translations()
    app = Flask(__name__, instance_path=str(settings.instance_path), instance_relative_config=False)
    _configure(app, settings, config or {})
    app.session_interface = SignedCookieSessions()

    records = discover_plugins(settings.plugins)
    check_plugins(records, settings.plugins)
    pm = build_plugin_manager(records, CorePlugin())
    state = KhetState(settings=settings, pm=pm, registry=collect_static(pm, records))
    app.extensions[EXTENSION_KEY] = state

    register_sqlite_collation()  # SQLite sorts names in Thai order (core.i18n.collation)
    db.init_app(app)
    with app.app_context():
        end_reads_with_commit(db.engine)
    init_jobs(app, settings.redis_url)
    init_notifications(app)
    init_approvals(app)
    init_standards(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    install_template_gettext(app)
    init_filters(app)
    _init_login(app)
    for blueprint in collect_blueprints(pm, state.registry):
        app.register_blueprint(blueprint)
    _init_admin(app, state)
    create_limiter(app, settings.redis_url)
    init_security(app)
    init_errors(app)
    init_request_ids(app)
    app.jinja_env.globals.update(APPROVAL_TEMPLATE_GLOBALS)
    app.jinja_env.globals.update(
        top_bar=top_bar,
        menu_items=visible_menu_items,
        csp_nonce=csp_nonce,
        get_locale=get_locale,
        can_open_admin=lambda: can(current_user._get_current_object(), ADMIN_PERMISSION),
        url_for=remembering_url_for(app),
    )
    return app


def _compile_translations() -> None:
    try:
        compile_catalogs()
    except OSError as exc:  # a read-only installation must ship compiled catalogs
        logging.getLogger(__name__).warning("translations not compiled: %s", exc)


def _configure(app: Flask, settings: Settings, overrides: Mapping[str, Any]) -> None:
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        # A server connection may drop between requests; a SQLite file cannot.
        SQLALCHEMY_ENGINE_OPTIONS={
            "pool_pre_ping": make_url(settings.database_url).get_backend_name() != "sqlite"
        },
        SESSION_COOKIE_NAME="khet_session",
        SESSION_COOKIE_SECURE=settings.is_production,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=settings.idle_minutes * 60,
        # The idle clock is kept in the session (core.security), which re-sends the cookie
        # when it moves; re-signing it on every request would only cost time.
        SESSION_REFRESH_EACH_REQUEST=False,
        REMEMBER_COOKIE_SECURE=settings.is_production,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        BABEL_DEFAULT_LOCALE=DEFAULT_LOCALE,
        BABEL_DEFAULT_TIMEZONE=TIMEZONE,
        BABEL_TRANSLATION_DIRECTORIES=str(TRANSLATIONS),
        KHET_MAX_UPLOAD_BYTES=settings.max_upload_mb * MEGABYTE,
        # A form may carry a few files (photos of a repair) besides its fields.
        MAX_CONTENT_LENGTH=(FILES_PER_REQUEST * settings.max_upload_mb + 1) * MEGABYTE,
    )
    app.config.update(overrides)
    if settings.trusted_proxies:
        # Behind a TLS proxy the client's address, scheme and host come in X-Forwarded-* headers;
        # only as many hops as there are trusted proxies are believed (the audit trail's IP).
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


@event.listens_for(Engine, "connect")
def _sqlite_settings(dbapi_connection, connection_record) -> None:
    """Every SQLite connection enforces foreign keys, which SQLite does only when asked, and
    writes ahead to a log (WAL): then a long write, such as an import or a year's destruction
    list, holds no lock that stops the other web workers and the periodic jobs from reading
    (docs/decisions.md). An in-memory database keeps its own journal and answers "memory"."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def _init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        user_id, _, token = session_id.partition(":")
        if not user_id.isdigit():
            return None
        user = load_signed_in_user(int(user_id))
        if user is None or not user.active or user.session_token != token:
            return None
        return user


def _init_admin(app: Flask, state: KhetState) -> None:
    admin = Admin(
        name="Khet",
        index_view=KhetAdminIndexView(name=_l("Home"), url="/admin"),
        theme=Bootstrap4Theme(base_template="admin/khet_base.html", swatch="default", fluid=True),
        translations_path=str(TRANSLATIONS),
        csp_nonce_generator=csp_nonce,
    )
    admin.init_app(app)
    for plugin, view in collect_admin_views(state.pm, state.registry):
        view.plugin = plugin
        if plugin != CORE and view.category is None:
            view.category = state.registry.plugins[plugin].title
        admin.add_view(view)
    app.extensions["khet.admin"] = admin
