"""signatures record when they were anonymised

Revision ID: 9c905a77f03f
Revises: d703342ffc25
Create Date: 2026-11-29 06:38:28.232789

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9c905a77f03f'
down_revision = 'd703342ffc25'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')

