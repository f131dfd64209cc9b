"""requester names vocabulary

On PostgreSQL, the distinct requester names of the tickets in a table of their own with a
trigram index, kept by a trigger, and a b-tree on the tickets by office, name and id: a word
found in a few names is looked up through them (core.search, ``SearchIndex.newest``). SQLite's
FTS5 table answers such a word already.

Revision ID: b7e4d1c9a2f3
Revises: 722c1d6732cf
Create Date: 2026-11-22 01:20:00
"""

from core.migrate import run_per_dialect

revision = "b7e4d1c9a2f3"
down_revision = "722c1d6732cf"
branch_labels = None
depends_on = None

VOCABULARY = "helpdesk_tickets_search_requester_name"

POSTGRESQL_UP = (
    f"CREATE TABLE {VOCABULARY} (value varchar(200) PRIMARY KEY)",
    f"CREATE INDEX {VOCABULARY}_trgm ON {VOCABULARY} USING gin (value {{schema}}.gin_trgm_ops)",
    f"CREATE INDEX {VOCABULARY}_tickets ON helpdesk_tickets (office_id, requester_name, id)",
    f"CREATE FUNCTION {VOCABULARY}_add() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"INSERT INTO {VOCABULARY} (value) VALUES (NEW.requester_name) ON CONFLICT DO NOTHING; "
    "RETURN NULL; END $$",
    f"CREATE TRIGGER {VOCABULARY}_add AFTER INSERT OR UPDATE OF requester_name ON helpdesk_tickets "
    f"FOR EACH ROW EXECUTE FUNCTION {VOCABULARY}_add()",
    f"INSERT INTO {VOCABULARY} (value) SELECT DISTINCT requester_name FROM helpdesk_tickets",
)
POSTGRESQL_DOWN = (
    f"DROP TRIGGER {VOCABULARY}_add ON helpdesk_tickets",
    f"DROP FUNCTION {VOCABULARY}_add()",
    f"DROP INDEX {VOCABULARY}_tickets",
    f"DROP TABLE {VOCABULARY}",
)


def upgrade() -> None:
    run_per_dialect({"postgresql": POSTGRESQL_UP})


def downgrade() -> None:
    run_per_dialect({"postgresql": POSTGRESQL_DOWN})
