"""form_version.style: XLSForm settings.style, kept so an exported form carries it back

Revision ID: d5f7b9c1e3a5
Revises: c4e8a2f1d7b3
Create Date: 2026-11-30 16:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd5f7b9c1e3a5'
down_revision = 'c4e8a2f1d7b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('form_version', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('style', sa.String(length=100), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('form_version', schema=None) as batch_op:
        batch_op.drop_column('style')
