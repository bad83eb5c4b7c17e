"""integrity: outcomes delivered and won, the ladder's own goal floor, frozen delivery
annexes, paper imports made once, API keys as audit actors, how offline signatures came

Revision ID: b41e6a0c7d21
Revises: 9c905a77f03f
Create Date: 2026-12-01 22:49:30.935242

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b41e6a0c7d21'
down_revision = '9c905a77f03f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('paper_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('lines', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('imported_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_paper_imports_imported_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_paper_imports_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_imports')),
    sa.UniqueConstraint('petition_id', 'sha256', name=op.f('uq_paper_imports_petition_id_sha256'))
    )
    op.create_table('letter_annex_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('name_status', sa.String(length=16), nullable=False),
    sa.Column('how', sa.String(length=16), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('country_name', sa.String(length=100), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['version_id'], ['letter_versions.id'], name=op.f('fk_letter_annex_entries_version_id_letter_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_annex_entries')),
    sa.UniqueConstraint('version_id', 'number', name=op.f('uq_letter_annex_entries_version_id_number'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('api_token_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_audit_events_api_token_id_api_tokens'), 'api_tokens', ['api_token_id'], ['id'], ondelete='SET NULL')

    # Versions finalised before annexes were frozen keep no annex: their packages hold the
    # letter alone rather than today's signatures presented as those of that day.
    with op.batch_alter_table('letter_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('annex_title', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('figures_taken_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('highest_ladder_goal', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('delivered_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('delivered_note', sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column('won_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('won_note', sa.String(length=1000), nullable=True))

    # The old single outcome becomes the matching one of the two; the highest goal shown
    # becomes the floor of the ladder's goal.
    op.execute("UPDATE petitions SET highest_ladder_goal = highest_goal_shown")
    op.execute("UPDATE petitions SET delivered_on = outcome_on, delivered_note = outcome_note "
               "WHERE outcome = 'delivered'")
    op.execute("UPDATE petitions SET won_on = outcome_on, won_note = outcome_note "
               "WHERE outcome = 'won'")

    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.alter_column('highest_ladder_goal', server_default=None)
        batch_op.drop_column('outcome_on')
        batch_op.drop_column('outcome')
        batch_op.drop_column('highest_goal_shown')
        batch_op.drop_column('outcome_note')

    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_via', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_column('recorded_via')

    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome_note', sa.VARCHAR(length=1000), nullable=True))
        batch_op.add_column(sa.Column('highest_goal_shown', sa.INTEGER(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('outcome', sa.VARCHAR(length=16), nullable=True))
        batch_op.add_column(sa.Column('outcome_on', sa.DATE(), nullable=True))
    op.execute("UPDATE petitions SET highest_goal_shown = highest_ladder_goal")
    op.execute("UPDATE petitions SET outcome = 'delivered', outcome_on = delivered_on, "
               "outcome_note = delivered_note WHERE delivered_on IS NOT NULL")
    op.execute("UPDATE petitions SET outcome = 'won', outcome_on = won_on, "
               "outcome_note = won_note WHERE won_on IS NOT NULL")
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.alter_column('highest_goal_shown', server_default=None)
        batch_op.drop_column('won_note')
        batch_op.drop_column('won_on')
        batch_op.drop_column('delivered_note')
        batch_op.drop_column('delivered_on')
        batch_op.drop_column('highest_ladder_goal')

    with op.batch_alter_table('letter_versions', schema=None) as batch_op:
        batch_op.drop_column('figures_taken_at')
        batch_op.drop_column('annex_title')

    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_events_api_token_id_api_tokens'), type_='foreignkey')
        batch_op.drop_column('api_token_id')

    op.drop_table('letter_annex_entries')
    op.drop_table('paper_imports')
