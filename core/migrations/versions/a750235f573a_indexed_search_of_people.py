"""indexed search of people

Substring search of names and e-mails that an index answers (see core.search):
trigram GIN indexes on PostgreSQL, an FTS5 trigram table kept by triggers on SQLite.
A later migration that rebuilds core_users on SQLite (batch mode) must create the
triggers again.

Revision ID: a750235f573a
Revises: 899c9b5148f1
Create Date: 2026-11-21 01:15:00
"""

from core.migrate import run_per_dialect

revision = "a750235f573a"
down_revision = "899c9b5148f1"
branch_labels = None
depends_on = None

POSTGRESQL_UP = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # The operator class is qualified with the extension's schema, which may not be on the
    # search path of the application's schema.
    "CREATE INDEX ix_trgm_core_users_name ON core_users USING gin (name {schema}.gin_trgm_ops)",
    "CREATE INDEX ix_trgm_core_users_email ON core_users USING gin (email {schema}.gin_trgm_ops)",
)
POSTGRESQL_DOWN = (
    "DROP INDEX ix_trgm_core_users_email",
    "DROP INDEX ix_trgm_core_users_name",
)

SQLITE_UP = (
    "CREATE VIRTUAL TABLE core_users_search USING fts5("
    "name, email, content='core_users', content_rowid='id', tokenize='trigram')",
    "INSERT INTO core_users_search (rowid, name, email) SELECT id, name, email FROM core_users",
    "CREATE TRIGGER core_users_search_insert AFTER INSERT ON core_users BEGIN "
    "INSERT INTO core_users_search (rowid, name, email) VALUES (new.id, new.name, new.email); END",
    "CREATE TRIGGER core_users_search_delete AFTER DELETE ON core_users BEGIN "
    "INSERT INTO core_users_search (core_users_search, rowid, name, email) "
    "VALUES ('delete', old.id, old.name, old.email); END",
    "CREATE TRIGGER core_users_search_update AFTER UPDATE OF name, email ON core_users BEGIN "
    "INSERT INTO core_users_search (core_users_search, rowid, name, email) "
    "VALUES ('delete', old.id, old.name, old.email); "
    "INSERT INTO core_users_search (rowid, name, email) VALUES (new.id, new.name, new.email); END",
)
SQLITE_DOWN = (
    "DROP TRIGGER core_users_search_update",
    "DROP TRIGGER core_users_search_delete",
    "DROP TRIGGER core_users_search_insert",
    "DROP TABLE core_users_search",
)


def upgrade() -> None:
    run_per_dialect({"postgresql": POSTGRESQL_UP, "sqlite": SQLITE_UP})


def downgrade() -> None:
    run_per_dialect({"postgresql": POSTGRESQL_DOWN, "sqlite": SQLITE_DOWN})
