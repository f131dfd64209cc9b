"""destruction lists of letters

Revision ID: 1357fe68994f
Revises: cfa9a9973403
Create Date: 2026-11-21 08:59:27.362643
"""

from alembic import op
import sqlalchemy as sa


revision = '1357fe68994f'
down_revision = 'cfa9a9973403'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('saraban_destruction_lists',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('drafted_at', sa.DateTime(), nullable=False),
    sa.Column('drafted_by_id', sa.Integer(), nullable=True),
    sa.Column('chair_id', sa.Integer(), nullable=True),
    sa.Column('archives_agreed_on', sa.Date(), nullable=True),
    sa.Column('archives_reference', sa.String(length=200), nullable=True),
    sa.Column('archives_recorded_at', sa.DateTime(), nullable=True),
    sa.Column('archives_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('destroyed_at', sa.DateTime(), nullable=True),
    sa.Column('destroyed_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['archives_recorded_by_id'], ['core_users.id'], name=op.f('fk_saraban_destruction_lists_archives_recorded_by_id_core_users')),
    sa.ForeignKeyConstraint(['chair_id'], ['core_users.id'], name=op.f('fk_saraban_destruction_lists_chair_id_core_users')),
    sa.ForeignKeyConstraint(['destroyed_by_id'], ['core_users.id'], name=op.f('fk_saraban_destruction_lists_destroyed_by_id_core_users')),
    sa.ForeignKeyConstraint(['drafted_by_id'], ['core_users.id'], name=op.f('fk_saraban_destruction_lists_drafted_by_id_core_users')),
    sa.ForeignKeyConstraint(['office_id'], ['core_org_units.id'], name=op.f('fk_saraban_destruction_lists_office_id_core_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saraban_destruction_lists')),
    sa.UniqueConstraint('office_id', 'year', name=op.f('uq_saraban_destruction_lists_office_id'))
    )
    op.create_table('saraban_destruction_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('list_id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('kept_until', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['core_users.id'], name=op.f('fk_saraban_destruction_items_decided_by_id_core_users')),
    sa.ForeignKeyConstraint(['letter_id'], ['saraban_letters.id'], name=op.f('fk_saraban_destruction_items_letter_id_saraban_letters')),
    sa.ForeignKeyConstraint(['list_id'], ['saraban_destruction_lists.id'], name=op.f('fk_saraban_destruction_items_list_id_saraban_destruction_lists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saraban_destruction_items')),
    sa.UniqueConstraint('list_id', 'letter_id', name=op.f('uq_saraban_destruction_items_list_id'))
    )
    with op.batch_alter_table('saraban_destruction_items', schema=None) as batch_op:
        batch_op.create_index('ix_saraban_destruction_items_letter', ['letter_id', 'status'], unique=False)
        batch_op.create_index('ix_saraban_destruction_items_list', ['list_id', 'status', 'position'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('saraban_destruction_items', schema=None) as batch_op:
        batch_op.drop_index('ix_saraban_destruction_items_list')
        batch_op.drop_index('ix_saraban_destruction_items_letter')

    op.drop_table('saraban_destruction_items')
    op.drop_table('saraban_destruction_lists')
