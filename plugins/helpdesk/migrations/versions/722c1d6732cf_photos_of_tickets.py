"""photos of tickets

Revision ID: 722c1d6732cf
Revises: 929c808b3aef
Create Date: 2026-11-21 09:26:38.025560
"""

from alembic import op
import sqlalchemy as sa


revision = '722c1d6732cf'
down_revision = '929c808b3aef'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('helpdesk_ticket_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('thumbnail_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['helpdesk_ticket_entries.id'], name=op.f('fk_helpdesk_ticket_photos_entry_id_helpdesk_ticket_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['file_id'], ['core_files.id'], name=op.f('fk_helpdesk_ticket_photos_file_id_core_files')),
    sa.ForeignKeyConstraint(['thumbnail_id'], ['core_files.id'], name=op.f('fk_helpdesk_ticket_photos_thumbnail_id_core_files')),
    sa.ForeignKeyConstraint(['ticket_id'], ['helpdesk_tickets.id'], name=op.f('fk_helpdesk_ticket_photos_ticket_id_helpdesk_tickets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helpdesk_ticket_photos'))
    )
    with op.batch_alter_table('helpdesk_ticket_photos', schema=None) as batch_op:
        batch_op.create_index('ix_helpdesk_ticket_photos_ticket', ['ticket_id', 'id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('helpdesk_ticket_photos', schema=None) as batch_op:
        batch_op.drop_index('ix_helpdesk_ticket_photos_ticket')

    op.drop_table('helpdesk_ticket_photos')
