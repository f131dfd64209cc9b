"""parts requests of repairs

Revision ID: 390343e4e9ea
Revises: c6f9868e47b4
Create Date: 2026-11-21 08:54:03.799975
"""

from alembic import op
import sqlalchemy as sa


revision = '390343e4e9ea'
down_revision = 'c6f9868e47b4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('helpdesk_parts_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('items', sa.Text(), nullable=False),
    sa.Column('estimated_cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['office_id'], ['core_org_units.id'], name=op.f('fk_helpdesk_parts_requests_office_id_core_org_units')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['core_users.id'], name=op.f('fk_helpdesk_parts_requests_requested_by_id_core_users')),
    sa.ForeignKeyConstraint(['ticket_id'], ['helpdesk_tickets.id'], name=op.f('fk_helpdesk_parts_requests_ticket_id_helpdesk_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helpdesk_parts_requests'))
    )
    with op.batch_alter_table('helpdesk_parts_requests', schema=None) as batch_op:
        batch_op.create_index('ix_helpdesk_parts_requests_ticket', ['ticket_id', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('helpdesk_parts_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_helpdesk_parts_requests_ticket')

    op.drop_table('helpdesk_parts_requests')
