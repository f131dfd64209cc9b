"""Migrations upgrade a database that already holds data, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select, text

from core import migrate
from core.app import create_app
from core.auth.models import User
from core.db import db
from core.search import USER_SEARCH
from tests.conftest import POSTGRES_URL, SECRET_KEY

FIRST_REVISION = "899c9b5148f1"
SCHEMA = "khet_migration_test"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("KHET_TEST_POSTGRES_URL is not set: the PostgreSQL variant is skipped")
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    yield engine.url.update_query_dict({"options": f"-csearch_path={SCHEMA}"}).render_as_string(False)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {SCHEMA} CASCADE"))
    engine.dispose()


def test_upgrade_keeps_data_and_indexes_it(empty_database, tmp_path):
    app = create_app(
        {
            "KHET_DATABASE_URL": empty_database,
            "KHET_INSTANCE_PATH": str(tmp_path),
            "KHET_SECRET_KEY": SECRET_KEY,
        }
    )
    with app.app_context():
        migrate.upgrade(FIRST_REVISION, lineage_name="core")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO core_org_units (id, kind, name, code, active) "
                    "VALUES (1, 'office', 'สพป.ทดลอง', 'X', true)"
                )
            )
            connection.execute(text("UPDATE core_org_units SET office_id = 1"))
            connection.execute(
                text(
                    "INSERT INTO core_users (email, name, org_unit_id, office_id, active, "
                    "must_change_password, session_token, created_at) VALUES "
                    "('somchai@x.example', 'นายสมชาย ใจดี', 1, 1, true, false, 'token', '2026-01-01')"
                )
            )
        migrate.upgrade()
        assert migrate.check() == []
        found = db.session.scalars(
            select(User.email).where(*USER_SEARCH.conditions(User.id, "สมชาย", db.engine.dialect.name))
        ).all()
        assert found == ["somchai@x.example"]
        assert not db.session.scalar(text("SELECT thai_digits FROM core_org_units"))
        db.session.remove()
        db.engine.dispose()


def test_a_failed_migration_leaves_nothing_behind(tmp_path, monkeypatch):
    """SQLite runs DDL outside a transaction unless told otherwise; ours are all or nothing."""
    app = create_app(
        {
            "KHET_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
            "KHET_INSTANCE_PATH": str(tmp_path),
            "KHET_SECRET_KEY": SECRET_KEY,
        }
    )
    with app.app_context():
        migrate.upgrade(FIRST_REVISION, lineage_name="core")
        original = migrate.command.upgrade

        def upgrade_then_fail(config, revision):
            original(config, revision)
            raise RuntimeError("power cut")

        monkeypatch.setattr(migrate.command, "upgrade", upgrade_then_fail)
        with pytest.raises(RuntimeError):
            migrate.upgrade()
        tables = set(db.session.scalars(text("SELECT name FROM sqlite_master WHERE type='table'")))
        assert "core_holidays" not in tables and "core_users_search" not in tables
        assert db.session.scalar(text("SELECT version_num FROM alembic_version")) == FIRST_REVISION
        db.engine.dispose()
