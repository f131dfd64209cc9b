"""service requests: when the service is wanted

Revision ID: c39ec210d978
Revises: adcaeb564029
Create Date: 2026-11-21 09:04:32.517769
"""

from alembic import op
import sqlalchemy as sa


revision = 'c39ec210d978'
down_revision = 'adcaeb564029'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('helpdesk_tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_at', sa.DateTime(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('helpdesk_tickets', schema=None) as batch_op:
        batch_op.drop_column('service_at')

