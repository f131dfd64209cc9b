"""document numbers found whole

A second trigram index on PostgreSQL for the ที่ of letters, with its separators turned into
letters (core.search.glued): the trigrams of "04999/12" then span the slash, and a search by
number reads the few letters that have them instead of the whole series. SQLite's FTS5
trigrams keep punctuation already.

Revision ID: e2a7c5d8b1f4
Revises: b3893e8c3f04
Create Date: 2026-11-21 17:00:00
"""

from core.migrate import run_per_dialect
from core.search import glued_index_name, glued_index_sql

revision = "e2a7c5d8b1f4"
down_revision = "b3893e8c3f04"
branch_labels = None
depends_on = None

TABLE = "saraban_letters"
COLUMN = "document_number"


def upgrade() -> None:
    run_per_dialect({"postgresql": (glued_index_sql(TABLE, COLUMN),)})


def downgrade() -> None:
    run_per_dialect({"postgresql": (f"DROP INDEX {glued_index_name(TABLE, COLUMN)}",)})
