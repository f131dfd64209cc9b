"""requester unit of a service

Revision ID: 5f4aaaeecae4
Revises: 84a87afddf48
Create Date: 2026-11-21 08:43:19.476328
"""

from alembic import op
import sqlalchemy as sa


revision = '5f4aaaeecae4'
down_revision = '84a87afddf48'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('core_service_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requester_unit_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_core_service_records_requester_unit_id_core_org_units'), 'core_org_units', ['requester_unit_id'], ['id'])
    # Services recorded so far: the requesting person's unit today is the best guess there is.
    op.execute(
        "UPDATE core_service_records SET requester_unit_id = "
        "(SELECT org_unit_id FROM core_users WHERE core_users.id = core_service_records.requester_id) "
        "WHERE requester_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table('core_service_records', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_core_service_records_requester_unit_id_core_org_units'), type_='foreignkey')
        batch_op.drop_column('requester_unit_id')

