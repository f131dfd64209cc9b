"""uploaded files

Revision ID: 84a87afddf48
Revises: dda329d90a48
Create Date: 2026-11-21 08:40:53.832155
"""

from alembic import op
import sqlalchemy as sa


revision = '84a87afddf48'
down_revision = 'dda329d90a48'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('core_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('purpose', sa.String(length=60), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['core_org_units.id'], name=op.f('fk_core_files_office_id_core_org_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['core_users.id'], name=op.f('fk_core_files_uploaded_by_id_core_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_files')),
    sa.UniqueConstraint('key', name=op.f('uq_core_files_key'))
    )
    with op.batch_alter_table('core_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_files_office_id'), ['office_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('core_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_files_office_id'))

    op.drop_table('core_files')
