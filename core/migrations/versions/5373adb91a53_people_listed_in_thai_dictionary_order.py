"""people listed in Thai dictionary order

The users list is sorted by name in Thai dictionary order (core.i18n.collation), which an
ordinary index on the name cannot answer: these indexes are built with the Thai collation,
ICU's th-TH-x-icu on PostgreSQL and the application's own "thai" on SQLite, for the whole
installation and per office. On SQLite every connection that writes core_users needs the
"thai" collation (the application registers it); a change to its order must REINDEX thai.
A later migration that rebuilds core_users on SQLite (batch mode) must create them again.

Revision ID: 5373adb91a53
Revises: 117d1a7b7d9d
Create Date: 2026-11-21 01:35:30
"""

from alembic import op

revision = "5373adb91a53"
down_revision = "117d1a7b7d9d"
branch_labels = None
depends_on = None

POSTGRESQL_UP = (
    'CREATE INDEX ix_thai_core_users_name ON core_users (name COLLATE "th-TH-x-icu")',
    'CREATE INDEX ix_thai_core_users_office_id_name ON core_users (office_id, name COLLATE "th-TH-x-icu")',
)
SQLITE_UP = (
    "CREATE INDEX ix_thai_core_users_name ON core_users (name COLLATE thai)",
    "CREATE INDEX ix_thai_core_users_office_id_name ON core_users (office_id, name COLLATE thai)",
)
DOWN = (
    "DROP INDEX ix_thai_core_users_office_id_name",
    "DROP INDEX ix_thai_core_users_name",
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        found = bind.exec_driver_sql("SELECT 1 FROM pg_collation WHERE collname = 'th-TH-x-icu'").first()
        if found is None:
            raise RuntimeError(
                "PostgreSQL has no collation th-TH-x-icu: Khet needs a server built with ICU "
                "(Debian's and the official packages are)"
            )
    for statement in {"postgresql": POSTGRESQL_UP, "sqlite": SQLITE_UP}.get(bind.dialect.name, ()):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name in ("postgresql", "sqlite"):
        for statement in DOWN:
            op.execute(statement)
