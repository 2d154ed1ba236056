"""languages: a form version's languages, the language last chosen on a filling page

Revision ID: c4e8a2f1d7b3
Revises: 6c1f0e2a9b47
Create Date: 2026-11-30 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = 'c4e8a2f1d7b3'
down_revision = '6c1f0e2a9b47'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form_language', sa.String(length=40), nullable=True))
    with op.batch_alter_table('form_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('languages', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True))


def downgrade():
    with op.batch_alter_table('form_version', schema=None) as batch_op:
        batch_op.drop_column('languages')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('form_language')
