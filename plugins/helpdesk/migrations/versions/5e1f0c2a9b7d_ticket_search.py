"""ticket search

Substring search of ticket numbers, subjects and requesters that an index answers (see
core.search): trigram GIN indexes on PostgreSQL, an FTS5 trigram table kept by triggers on
SQLite. A later migration that rebuilds helpdesk_tickets on SQLite must create the triggers again.

Revision ID: 5e1f0c2a9b7d
Revises: 38910d1f00f0
Create Date: 2026-11-21 07:15:00
"""

from core.migrate import run_per_dialect

revision = "5e1f0c2a9b7d"
down_revision = "38910d1f00f0"
branch_labels = None
depends_on = None

COLUMNS = ("number", "title", "requester_name")

POSTGRESQL_UP = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    *(
        f"CREATE INDEX ix_trgm_helpdesk_tickets_{name} ON helpdesk_tickets USING gin ({name} {{schema}}.gin_trgm_ops)"
        for name in COLUMNS
    ),
)
POSTGRESQL_DOWN = tuple(f"DROP INDEX ix_trgm_helpdesk_tickets_{name}" for name in COLUMNS)

SQLITE_UP = (
    "CREATE VIRTUAL TABLE helpdesk_tickets_search USING fts5("
    "number, title, requester_name, content='helpdesk_tickets', content_rowid='id', tokenize='trigram')",
    "INSERT INTO helpdesk_tickets_search (rowid, number, title, requester_name) "
    "SELECT id, number, title, requester_name FROM helpdesk_tickets",
    "CREATE TRIGGER helpdesk_tickets_search_insert AFTER INSERT ON helpdesk_tickets BEGIN "
    "INSERT INTO helpdesk_tickets_search (rowid, number, title, requester_name) "
    "VALUES (new.id, new.number, new.title, new.requester_name); END",
    "CREATE TRIGGER helpdesk_tickets_search_delete AFTER DELETE ON helpdesk_tickets BEGIN "
    "INSERT INTO helpdesk_tickets_search (helpdesk_tickets_search, rowid, number, title, requester_name) "
    "VALUES ('delete', old.id, old.number, old.title, old.requester_name); END",
    "CREATE TRIGGER helpdesk_tickets_search_update AFTER UPDATE OF number, title, requester_name "
    "ON helpdesk_tickets BEGIN "
    "INSERT INTO helpdesk_tickets_search (helpdesk_tickets_search, rowid, number, title, requester_name) "
    "VALUES ('delete', old.id, old.number, old.title, old.requester_name); "
    "INSERT INTO helpdesk_tickets_search (rowid, number, title, requester_name) "
    "VALUES (new.id, new.number, new.title, new.requester_name); END",
)
SQLITE_DOWN = (
    "DROP TRIGGER helpdesk_tickets_search_update",
    "DROP TRIGGER helpdesk_tickets_search_delete",
    "DROP TRIGGER helpdesk_tickets_search_insert",
    "DROP TABLE helpdesk_tickets_search",
)


def upgrade() -> None:
    run_per_dialect({"postgresql": POSTGRESQL_UP, "sqlite": SQLITE_UP})


def downgrade() -> None:
    run_per_dialect({"postgresql": POSTGRESQL_DOWN, "sqlite": SQLITE_DOWN})
