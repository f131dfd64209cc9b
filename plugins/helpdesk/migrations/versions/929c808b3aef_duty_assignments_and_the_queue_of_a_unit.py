"""duty assignments and the queue of a unit

Revision ID: 929c808b3aef
Revises: c39ec210d978
Create Date: 2026-11-21 09:17:01.957426
"""

from alembic import op
import sqlalchemy as sa


revision = '929c808b3aef'
down_revision = 'c39ec210d978'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('helpdesk_duties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('request_type', sa.String(length=20), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('technician_id', sa.Integer(), nullable=True),
    sa.Column('order_reference', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['office_id'], ['core_org_units.id'], name=op.f('fk_helpdesk_duties_office_id_core_org_units')),
    sa.ForeignKeyConstraint(['technician_id'], ['core_users.id'], name=op.f('fk_helpdesk_duties_technician_id_core_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['core_org_units.id'], name=op.f('fk_helpdesk_duties_unit_id_core_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helpdesk_duties')),
    sa.UniqueConstraint('office_id', 'request_type', 'unit_id', 'technician_id', name=op.f('uq_helpdesk_duties_office_id'))
    )
    with op.batch_alter_table('helpdesk_duties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_helpdesk_duties_technician_id'), ['technician_id'], unique=False)
        batch_op.create_index('ix_helpdesk_duties_type', ['office_id', 'request_type'], unique=False)

    with op.batch_alter_table('helpdesk_tickets', schema=None) as batch_op:
        batch_op.create_index('ix_helpdesk_tickets_unit', ['office_id', 'unit_id', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('helpdesk_tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_helpdesk_tickets_unit')

    with op.batch_alter_table('helpdesk_duties', schema=None) as batch_op:
        batch_op.drop_index('ix_helpdesk_duties_type')
        batch_op.drop_index(batch_op.f('ix_helpdesk_duties_technician_id'))

    op.drop_table('helpdesk_duties')
