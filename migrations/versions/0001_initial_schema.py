"""initial schema: organisations, petitions, signatures, counters, outbox

Revision ID: 4f765c49045e
Revises: 
Create Date: 2026-11-29 05:32:31.555362

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4f765c49045e'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('addressees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_title', sa.String(length=200), nullable=False),
    sa.Column('holder_name', sa.String(length=200), nullable=True),
    sa.Column('institution', sa.String(length=200), nullable=True),
    sa.Column('holder_since', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_addressees'))
    )
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('slug', name=op.f('uq_organisations_slug'))
    )
    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('sender', sa.String(length=300), nullable=False),
    sa.Column('recipient', sa.String(length=320), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=True),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('send_after', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=1000), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_messages_pending', ['sent_at', 'failed_at', 'send_after'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('owner', 'editor', 'viewer', name='role', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_memberships_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('user_id', 'organisation_id', name=op.f('uq_memberships_user_id_organisation_id'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('petitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('body_markdown', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('goal', sa.Integer(), nullable=True),
    sa.Column('highest_goal_shown', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'open', 'closed', name='petitionstate', native_enum=False, length=16), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_petitions_organisation_id_organisations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petitions')),
    sa.UniqueConstraint('slug', name=op.f('uq_petitions_slug'))
    )
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petitions_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('petition_addressees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('addressee_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['addressee_id'], ['addressees.id'], name=op.f('fk_petition_addressees_addressee_id_addressees'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_addressees_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_addressees')),
    sa.UniqueConstraint('petition_id', 'addressee_id', name=op.f('uq_petition_addressees_petition_id_addressee_id'))
    )
    with op.batch_alter_table('petition_addressees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_addressees_addressee_id'), ['addressee_id'], unique=False)

    op.create_table('petition_demands',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_demands_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_demands'))
    )
    with op.batch_alter_table('petition_demands', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_demands_petition_id'), ['petition_id'], unique=False)

    op.create_table('petition_references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_references_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_references'))
    )
    with op.batch_alter_table('petition_references', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_references_petition_id'), ['petition_id'], unique=False)

    op.create_table('signature_counts',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=8), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('shard', sa.SmallInteger(), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_signature_counts_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signature_counts')),
    sa.UniqueConstraint('petition_id', 'dimension', 'key', 'shard', name=op.f('uq_signature_counts_petition_id_dimension_key_shard'))
    )
    op.create_table('signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_normalised', sa.String(length=254), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('postal_code', sa.String(length=16), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('comment', sa.String(length=500), nullable=True),
    sa.Column('show_name', sa.Boolean(), nullable=False),
    sa.Column('contact_ok', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=True),
    sa.Column('locale', sa.String(length=16), nullable=False),
    sa.Column('state', sa.Enum('pending', 'confirmed', 'invalidated', 'withdrawn', name='signaturestate', native_enum=False, length=16), nullable=False),
    sa.Column('ip_digest', sa.String(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('invalidated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('invalidation_reason', sa.String(length=500), nullable=True),
    sa.Column('duplicate_notice_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('modified_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_signatures_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signatures')),
    sa.UniqueConstraint('petition_id', 'email_normalised', name=op.f('uq_signatures_petition_id_email_normalised'))
    )
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.create_index('ix_signatures_petition_state_confirmed', ['petition_id', 'state', 'confirmed_at'], unique=False)

    op.create_table('signature_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signature_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('confirm', 'withdraw', name='tokenpurpose', native_enum=False, length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['signature_id'], ['signatures.id'], name=op.f('fk_signature_tokens_signature_id_signatures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signature_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_signature_tokens_token_hash'))
    )
    with op.batch_alter_table('signature_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signature_tokens_signature_id'), ['signature_id'], unique=False)



def downgrade():
    with op.batch_alter_table('signature_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signature_tokens_signature_id'))

    op.drop_table('signature_tokens')
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_index('ix_signatures_petition_state_confirmed')

    op.drop_table('signatures')
    op.drop_table('signature_counts')
    with op.batch_alter_table('petition_references', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petition_references_petition_id'))

    op.drop_table('petition_references')
    with op.batch_alter_table('petition_demands', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petition_demands_petition_id'))

    op.drop_table('petition_demands')
    with op.batch_alter_table('petition_addressees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petition_addressees_addressee_id'))

    op.drop_table('petition_addressees')
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petitions_organisation_id'))

    op.drop_table('petitions')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_organisation_id'))

    op.drop_table('memberships')
    op.drop_table('users')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_pending')

    op.drop_table('outbox_messages')
    op.drop_table('organisations')
    op.drop_table('addressees')
