"""drop the name indexes the Thai-order indexes replaced

Sorting uses the Thai-collation indexes and searching the trigram indexes; these two only
cost writes.

Revision ID: 8a4abc013011
Revises: 5373adb91a53
Create Date: 2026-11-21 02:26:41.513819
"""

from alembic import op


revision = "8a4abc013011"
down_revision = "5373adb91a53"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain DROP INDEX, not batch mode: a rebuilt core_users would lose the search triggers.
    op.drop_index("ix_core_users_office_id_name", table_name="core_users")
    op.drop_index("ix_core_users_name", table_name="core_users")


def downgrade() -> None:
    op.create_index("ix_core_users_name", "core_users", ["name"])
    op.create_index("ix_core_users_office_id_name", "core_users", ["office_id", "name"])
