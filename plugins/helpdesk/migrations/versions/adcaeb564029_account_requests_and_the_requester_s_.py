"""account requests and the requester's position

Revision ID: adcaeb564029
Revises: 390343e4e9ea
Create Date: 2026-11-21 09:01:05.010005
"""

from alembic import op
import sqlalchemy as sa


revision = 'adcaeb564029'
down_revision = '390343e4e9ea'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('helpdesk_account_requests',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=True),
    sa.Column('wanted', sa.String(length=200), nullable=True),
    sa.Column('access', sa.String(length=20), nullable=True),
    sa.Column('devices', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['ticket_id'], ['helpdesk_tickets.id'], name=op.f('fk_helpdesk_account_requests_ticket_id_helpdesk_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_helpdesk_account_requests'))
    )
    with op.batch_alter_table('helpdesk_tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requester_position', sa.String(length=200), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('helpdesk_tickets', schema=None) as batch_op:
        batch_op.drop_column('requester_position')

    op.drop_table('helpdesk_account_requests')
