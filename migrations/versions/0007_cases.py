"""persons of concern: categories, records, status history, petition links, anonymous counts

Revision ID: 631724c1ca4a
Revises: b41e6a0c7d21
Create Date: 2026-12-01 23:01:45.151618

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '631724c1ca4a'
down_revision = 'b41e6a0c7d21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('standard', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_case_categories_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_categories')),
    sa.UniqueConstraint('organisation_id', 'code', name=op.f('uq_case_categories_organisation_id_code'))
    )
    with op.batch_alter_table('case_categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_categories_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('case_figures_stamps',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_case_figures_stamps_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'scope', name=op.f('pk_case_figures_stamps'))
    )
    op.create_table('case_tombstones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('detained', 'whereabouts_unknown', 'released', 'repatriated', 'deceased', 'remains_returned', name='casestatus', native_enum=False, length=24), nullable=False),
    sa.Column('status_since', sa.Date(), nullable=True),
    sa.Column('visibility', sa.Enum('private', 'aggregate', 'public', name='visibility', native_enum=False, length=16), nullable=False),
    sa.Column('erased_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['case_categories.id'], name=op.f('fk_case_tombstones_category_id_case_categories'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_case_tombstones_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_case_tombstones_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_tombstones'))
    )
    with op.batch_alter_table('case_tombstones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_tombstones_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_tombstones_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_tombstones_petition_id'), ['petition_id'], unique=False)

    op.create_table('persons_of_concern',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_original', sa.String(length=200), nullable=False),
    sa.Column('father_name', sa.String(length=200), nullable=False),
    sa.Column('sex', sa.Enum('female', 'male', 'unknown', name='sex', native_enum=False, length=16), nullable=True),
    sa.Column('birth_year', sa.Integer(), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('nationality', sa.String(length=2), nullable=True),
    sa.Column('status', sa.Enum('detained', 'whereabouts_unknown', 'released', 'repatriated', 'deceased', 'remains_returned', name='casestatus', native_enum=False, length=24), nullable=False),
    sa.Column('status_since', sa.Date(), nullable=True),
    sa.Column('captured_on', sa.Date(), nullable=True),
    sa.Column('captured_on_precision', sa.Enum('day', 'month', 'year', name='dateprecision', native_enum=False, length=16), nullable=True),
    sa.Column('capture_place', sa.String(length=300), nullable=False),
    sa.Column('holding_authority', sa.String(length=300), nullable=False),
    sa.Column('holding_state', sa.String(length=2), nullable=True),
    sa.Column('place_of_detention', sa.String(length=300), nullable=False),
    sa.Column('legal_basis', sa.String(length=1000), nullable=False),
    sa.Column('service_number', sa.String(length=50), nullable=False),
    sa.Column('icrc_reference', sa.String(length=100), nullable=False),
    sa.Column('ecthr_application_no', sa.String(length=20), nullable=False),
    sa.Column('wgeid_case_no', sa.String(length=50), nullable=False),
    sa.Column('representative_name', sa.String(length=200), nullable=False),
    sa.Column('representative_authority', sa.String(length=300), nullable=False),
    sa.Column('communication_consent_by', sa.Enum('person', 'family', name='consentby', native_enum=False, length=16), nullable=True),
    sa.Column('communication_consent_on', sa.Date(), nullable=True),
    sa.Column('visibility', sa.Enum('private', 'aggregate', 'public', name='visibility', native_enum=False, length=16), nullable=False),
    sa.Column('public_consent_by', sa.Enum('person', 'family', name='consentby', native_enum=False, length=16), nullable=True),
    sa.Column('public_consent_on', sa.Date(), nullable=True),
    sa.Column('family_contact_encrypted', sa.Text(), nullable=True),
    sa.Column('notes_encrypted', sa.Text(), nullable=True),
    sa.Column('search_steps_encrypted', sa.Text(), nullable=True),
    sa.Column('representative_contact_encrypted', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['case_categories.id'], name=op.f('fk_persons_of_concern_category_id_case_categories'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_persons_of_concern_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_persons_of_concern_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons_of_concern'))
    )
    with op.batch_alter_table('persons_of_concern', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_persons_of_concern_category_id'), ['category_id'], unique=False)
        batch_op.create_index('ix_persons_of_concern_organisation_name', ['organisation_id', 'name'], unique=False)

    op.create_table('case_status_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('detained', 'whereabouts_unknown', 'released', 'repatriated', 'deceased', 'remains_returned', name='casestatus', native_enum=False, length=24), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('occurred_precision', sa.Enum('day', 'month', 'year', name='dateprecision', native_enum=False, length=16), nullable=False),
    sa.Column('source_kind', sa.Enum('url', 'document', 'icrc', 'family', 'official', 'other', name='sourcekind', native_enum=False, length=16), nullable=False),
    sa.Column('source_url', sa.String(length=2000), nullable=True),
    sa.Column('source_reference', sa.String(length=500), nullable=False),
    sa.Column('reliability', sa.Enum('confirmed', 'credible', 'unconfirmed', name='reliability', native_enum=False, length=16), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons_of_concern.id'], name=op.f('fk_case_status_events_person_id_persons_of_concern'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_case_status_events_recorded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_status_events'))
    )
    with op.batch_alter_table('case_status_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_status_events_person_id'), ['person_id'], unique=False)

    op.create_table('petition_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('linked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons_of_concern.id'], name=op.f('fk_petition_cases_person_id_persons_of_concern'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_cases_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_cases')),
    sa.UniqueConstraint('petition_id', 'person_id', name=op.f('uq_petition_cases_petition_id_person_id'))
    )
    with op.batch_alter_table('petition_cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_cases_person_id'), ['person_id'], unique=False)



def downgrade():
    with op.batch_alter_table('petition_cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petition_cases_person_id'))

    op.drop_table('petition_cases')
    with op.batch_alter_table('case_status_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_status_events_person_id'))

    op.drop_table('case_status_events')
    with op.batch_alter_table('persons_of_concern', schema=None) as batch_op:
        batch_op.drop_index('ix_persons_of_concern_organisation_name')
        batch_op.drop_index(batch_op.f('ix_persons_of_concern_category_id'))

    op.drop_table('persons_of_concern')
    with op.batch_alter_table('case_tombstones', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_tombstones_petition_id'))
        batch_op.drop_index(batch_op.f('ix_case_tombstones_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_case_tombstones_category_id'))

    op.drop_table('case_tombstones')
    op.drop_table('case_figures_stamps')
    with op.batch_alter_table('case_categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_categories_organisation_id'))

    op.drop_table('case_categories')
