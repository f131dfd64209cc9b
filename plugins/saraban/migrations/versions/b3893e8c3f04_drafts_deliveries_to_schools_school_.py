"""drafts, deliveries to schools, school groups and letters from schools

Revision ID: b3893e8c3f04
Revises: 1357fe68994f
Create Date: 2026-11-21 09:21:12.119538
"""

from alembic import op
import sqlalchemy as sa


revision = 'b3893e8c3f04'
down_revision = '1357fe68994f'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('saraban_school_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['core_org_units.id'], name=op.f('fk_saraban_school_groups_office_id_core_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saraban_school_groups')),
    sa.UniqueConstraint('office_id', 'name', name=op.f('uq_saraban_school_groups_office_id'))
    )
    op.create_table('saraban_school_group_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['saraban_school_groups.id'], name=op.f('fk_saraban_school_group_members_group_id_saraban_school_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['school_id'], ['core_org_units.id'], name=op.f('fk_saraban_school_group_members_school_id_core_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saraban_school_group_members')),
    sa.UniqueConstraint('group_id', 'school_id', name=op.f('uq_saraban_school_group_members_group_id'))
    )
    op.create_table('saraban_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['core_users.id'], name=op.f('fk_saraban_deliveries_acknowledged_by_id_core_users')),
    sa.ForeignKeyConstraint(['letter_id'], ['saraban_letters.id'], name=op.f('fk_saraban_deliveries_letter_id_saraban_letters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['office_id'], ['core_org_units.id'], name=op.f('fk_saraban_deliveries_office_id_core_org_units')),
    sa.ForeignKeyConstraint(['school_id'], ['core_org_units.id'], name=op.f('fk_saraban_deliveries_school_id_core_org_units')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['core_users.id'], name=op.f('fk_saraban_deliveries_sent_by_id_core_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saraban_deliveries')),
    sa.UniqueConstraint('letter_id', 'school_id', name=op.f('uq_saraban_deliveries_letter_id'))
    )
    with op.batch_alter_table('saraban_deliveries', schema=None) as batch_op:
        batch_op.create_index('ix_saraban_deliveries_school', ['school_id', 'channel', 'id'], unique=False)

    op.create_table('saraban_school_letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('document_number', sa.String(length=100), nullable=False),
    sa.Column('dated', sa.Date(), nullable=True),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('addressee', sa.String(length=300), nullable=False),
    sa.Column('urgency', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_at', sa.DateTime(), nullable=True),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['handled_by_id'], ['core_users.id'], name=op.f('fk_saraban_school_letters_handled_by_id_core_users')),
    sa.ForeignKeyConstraint(['letter_id'], ['saraban_letters.id'], name=op.f('fk_saraban_school_letters_letter_id_saraban_letters')),
    sa.ForeignKeyConstraint(['office_id'], ['core_org_units.id'], name=op.f('fk_saraban_school_letters_office_id_core_org_units')),
    sa.ForeignKeyConstraint(['school_id'], ['core_org_units.id'], name=op.f('fk_saraban_school_letters_school_id_core_org_units')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['core_users.id'], name=op.f('fk_saraban_school_letters_sent_by_id_core_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saraban_school_letters'))
    )
    with op.batch_alter_table('saraban_school_letters', schema=None) as batch_op:
        batch_op.create_index('ix_saraban_school_letters_queue', ['office_id', 'status', 'id'], unique=False)
        batch_op.create_index('ix_saraban_school_letters_school', ['school_id', 'id'], unique=False)

    op.create_table('saraban_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('drafter_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('form', sa.String(length=20), nullable=False),
    sa.Column('circular', sa.Boolean(), nullable=False),
    sa.Column('agency', sa.String(length=300), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('addressee', sa.String(length=300), nullable=False),
    sa.Column('referred_to', sa.Text(), nullable=False),
    sa.Column('enclosures', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('closing', sa.String(length=100), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('phone', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('signer_id', sa.Integer(), nullable=False),
    sa.Column('signer_position', sa.String(length=300), nullable=False),
    sa.Column('urgency', sa.String(length=20), nullable=False),
    sa.Column('urgent_by', sa.DateTime(), nullable=True),
    sa.Column('secrecy', sa.String(length=20), nullable=False),
    sa.Column('retention', sa.String(length=20), nullable=False),
    sa.Column('recipient_ids', sa.JSON(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('letter_id', sa.Integer(), nullable=True),
    sa.Column('signed_file_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['drafter_id'], ['core_users.id'], name=op.f('fk_saraban_drafts_drafter_id_core_users')),
    sa.ForeignKeyConstraint(['letter_id'], ['saraban_letters.id'], name=op.f('fk_saraban_drafts_letter_id_saraban_letters')),
    sa.ForeignKeyConstraint(['office_id'], ['core_org_units.id'], name=op.f('fk_saraban_drafts_office_id_core_org_units')),
    sa.ForeignKeyConstraint(['request_id'], ['core_approval_requests.id'], name=op.f('fk_saraban_drafts_request_id_core_approval_requests')),
    sa.ForeignKeyConstraint(['signed_file_id'], ['core_files.id'], name=op.f('fk_saraban_drafts_signed_file_id_core_files')),
    sa.ForeignKeyConstraint(['signer_id'], ['core_users.id'], name=op.f('fk_saraban_drafts_signer_id_core_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['core_org_units.id'], name=op.f('fk_saraban_drafts_unit_id_core_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saraban_drafts'))
    )
    with op.batch_alter_table('saraban_drafts', schema=None) as batch_op:
        batch_op.create_index('ix_saraban_drafts_drafter', ['drafter_id', 'id'], unique=False)
        batch_op.create_index('ix_saraban_drafts_letter', ['letter_id'], unique=False)

    op.create_table('saraban_school_letter_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_letter_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['core_files.id'], name=op.f('fk_saraban_school_letter_files_file_id_core_files')),
    sa.ForeignKeyConstraint(['school_letter_id'], ['saraban_school_letters.id'], name=op.f('fk_saraban_school_letter_files_school_letter_id_saraban_school_letters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saraban_school_letter_files'))
    )
    with op.batch_alter_table('saraban_school_letter_files', schema=None) as batch_op:
        batch_op.create_index('ix_saraban_school_letter_files_letter', ['school_letter_id', 'id'], unique=False)

    op.create_table('saraban_draft_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['added_by_id'], ['core_users.id'], name=op.f('fk_saraban_draft_files_added_by_id_core_users')),
    sa.ForeignKeyConstraint(['draft_id'], ['saraban_drafts.id'], name=op.f('fk_saraban_draft_files_draft_id_saraban_drafts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['file_id'], ['core_files.id'], name=op.f('fk_saraban_draft_files_file_id_core_files')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saraban_draft_files'))
    )
    with op.batch_alter_table('saraban_draft_files', schema=None) as batch_op:
        batch_op.create_index('ix_saraban_draft_files_draft', ['draft_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('saraban_draft_files', schema=None) as batch_op:
        batch_op.drop_index('ix_saraban_draft_files_draft')

    op.drop_table('saraban_draft_files')
    with op.batch_alter_table('saraban_school_letter_files', schema=None) as batch_op:
        batch_op.drop_index('ix_saraban_school_letter_files_letter')

    op.drop_table('saraban_school_letter_files')
    with op.batch_alter_table('saraban_drafts', schema=None) as batch_op:
        batch_op.drop_index('ix_saraban_drafts_letter')
        batch_op.drop_index('ix_saraban_drafts_drafter')

    op.drop_table('saraban_drafts')
    with op.batch_alter_table('saraban_school_letters', schema=None) as batch_op:
        batch_op.drop_index('ix_saraban_school_letters_school')
        batch_op.drop_index('ix_saraban_school_letters_queue')

    op.drop_table('saraban_school_letters')
    with op.batch_alter_table('saraban_deliveries', schema=None) as batch_op:
        batch_op.drop_index('ix_saraban_deliveries_school')

    op.drop_table('saraban_deliveries')
    op.drop_table('saraban_school_group_members')
    op.drop_table('saraban_school_groups')
