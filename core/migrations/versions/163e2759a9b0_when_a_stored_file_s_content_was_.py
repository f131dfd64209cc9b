"""when a stored file's content was destroyed

Revision ID: 163e2759a9b0
Revises: 5f4aaaeecae4
Create Date: 2026-11-21 08:55:30.853581
"""

from alembic import op
import sqlalchemy as sa


revision = '163e2759a9b0'
down_revision = '5f4aaaeecae4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Files whose bytes were destroyed under a retention schedule keep their row as evidence.
    with op.batch_alter_table('core_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('discarded_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('core_files', schema=None) as batch_op:
        batch_op.drop_column('discarded_at')
