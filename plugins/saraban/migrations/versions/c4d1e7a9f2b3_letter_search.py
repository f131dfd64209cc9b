"""letter search

Substring search of letters by ที่, subject, sender and addressee that an index answers (see
core.search): trigram GIN indexes on PostgreSQL, an FTS5 trigram table kept by triggers on
SQLite. A later migration that rebuilds saraban_letters on SQLite must create the triggers again.

Revision ID: c4d1e7a9f2b3
Revises: b9c0ee538098
Create Date: 2026-11-21 10:30:00
"""

from core.migrate import run_per_dialect

revision = "c4d1e7a9f2b3"
down_revision = "b9c0ee538098"
branch_labels = None
depends_on = None

TABLE = "saraban_letters"
COLUMNS = ("document_number", "subject", "sender", "addressee")
NAMES = ", ".join(COLUMNS)
NEW = ", ".join(f"new.{name}" for name in COLUMNS)
OLD = ", ".join(f"old.{name}" for name in COLUMNS)

POSTGRESQL_UP = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    *(
        f"CREATE INDEX ix_trgm_{TABLE}_{name} ON {TABLE} USING gin ({name} {{schema}}.gin_trgm_ops)"
        for name in COLUMNS
    ),
)
POSTGRESQL_DOWN = tuple(f"DROP INDEX ix_trgm_{TABLE}_{name}" for name in COLUMNS)

SQLITE_UP = (
    f"CREATE VIRTUAL TABLE {TABLE}_search USING fts5("
    f"{NAMES}, content='{TABLE}', content_rowid='id', tokenize='trigram')",
    f"INSERT INTO {TABLE}_search (rowid, {NAMES}) SELECT id, {NAMES} FROM {TABLE}",
    f"CREATE TRIGGER {TABLE}_search_insert AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {TABLE}_search (rowid, {NAMES}) VALUES (new.id, {NEW}); END",
    f"CREATE TRIGGER {TABLE}_search_delete AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {TABLE}_search ({TABLE}_search, rowid, {NAMES}) VALUES ('delete', old.id, {OLD}); END",
    f"CREATE TRIGGER {TABLE}_search_update AFTER UPDATE OF {NAMES} ON {TABLE} BEGIN "
    f"INSERT INTO {TABLE}_search ({TABLE}_search, rowid, {NAMES}) VALUES ('delete', old.id, {OLD}); "
    f"INSERT INTO {TABLE}_search (rowid, {NAMES}) VALUES (new.id, {NEW}); END",
)
SQLITE_DOWN = (
    f"DROP TRIGGER {TABLE}_search_update",
    f"DROP TRIGGER {TABLE}_search_delete",
    f"DROP TRIGGER {TABLE}_search_insert",
    f"DROP TABLE {TABLE}_search",
)


def upgrade() -> None:
    run_per_dialect({"postgresql": POSTGRESQL_UP, "sqlite": SQLITE_UP})


def downgrade() -> None:
    run_per_dialect({"postgresql": POSTGRESQL_DOWN, "sqlite": SQLITE_DOWN})
