"""letters, co-signers, versions, deliveries; signers may withhold their name from annexes

Revision ID: 66790e933e61
Revises: 0933a6cb945d
Create Date: 2026-11-29 06:13:27.967359

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '66790e933e61'
down_revision = '0933a6cb945d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=True),
    sa.Column('body_id', sa.String(length=64), nullable=False),
    sa.Column('addressee_office', sa.String(length=200), nullable=False),
    sa.Column('addressee_holder', sa.String(length=200), nullable=True),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('letter_date', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=True),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('framing_tags', sa.JSON(), nullable=False),
    sa.Column('state_concerned', sa.String(length=2), nullable=True),
    sa.Column('request', sa.Text(), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('legal_argument', sa.Text(), nullable=False),
    sa.Column('demands', sa.JSON(), nullable=False),
    sa.Column('closing', sa.String(length=500), nullable=True),
    sa.Column('signatory_name', sa.String(length=200), nullable=True),
    sa.Column('signatory_title', sa.String(length=200), nullable=True),
    sa.Column('contact_person', sa.String(length=300), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('figures_as_of', sa.Date(), nullable=True),
    sa.Column('confirmed_requirements', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('final', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_letters_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_letters_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_letters_petition_id_petitions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letters'))
    )
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letters_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_letters_petition_id'), ['petition_id'], unique=False)

    op.create_table('letter_cosigners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('invite_email', sa.String(length=254), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('declined_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('signatory_name', sa.String(length=200), nullable=True),
    sa.Column('signatory_title', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_letter_cosigners_letter_id_letters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_cosigners')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_letter_cosigners_token_hash'))
    )
    with op.batch_alter_table('letter_cosigners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_cosigners_letter_id'), ['letter_id'], unique=False)

    op.create_table('letter_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=100), nullable=False),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=True),
    sa.Column('response_on', sa.Date(), nullable=True),
    sa.Column('response_summary', sa.Text(), nullable=True),
    sa.Column('follow_up_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_letter_deliveries_letter_id_letters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_deliveries'))
    )
    with op.batch_alter_table('letter_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letter_deliveries_letter_id'), ['letter_id'], unique=False)

    op.create_table('letter_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.Column('finalised_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finalised_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['finalised_by_id'], ['users.id'], name=op.f('fk_letter_versions_finalised_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['letter_id'], ['letters.id'], name=op.f('fk_letter_versions_letter_id_letters'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_versions')),
    sa.UniqueConstraint('letter_id', 'number', name=op.f('uq_letter_versions_letter_id_number'))
    )
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        # Existing signatures did not opt out.
        batch_op.add_column(sa.Column('name_withheld', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))



def downgrade():
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_column('name_withheld')

    op.drop_table('letter_versions')
    with op.batch_alter_table('letter_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_deliveries_letter_id'))

    op.drop_table('letter_deliveries')
    with op.batch_alter_table('letter_cosigners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letter_cosigners_letter_id'))

    op.drop_table('letter_cosigners')
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letters_petition_id'))
        batch_op.drop_index(batch_op.f('ix_letters_organisation_id'))

    op.drop_table('letters')
