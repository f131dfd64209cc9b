"""phone consultations: call-backs and steps

Revision ID: c6f9868e47b4
Revises: 60529ea23fb7
Create Date: 2026-11-21 08:44:31.541318
"""

from alembic import op
import sqlalchemy as sa


revision = 'c6f9868e47b4'
down_revision = '60529ea23fb7'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('helpdesk_ticket_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('step', sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column('moment', sa.DateTime(), nullable=True))

    with op.batch_alter_table('helpdesk_tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('called_back_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_helpdesk_tickets_callbacks', ['office_id', 'callback_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('helpdesk_tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_helpdesk_tickets_callbacks')
        batch_op.drop_column('called_back_at')

    with op.batch_alter_table('helpdesk_ticket_entries', schema=None) as batch_op:
        batch_op.drop_column('moment')
        batch_op.drop_column('step')

