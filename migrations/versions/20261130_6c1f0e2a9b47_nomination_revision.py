"""nomination: reason for finalizing with incomplete entries, revision of published results

Revision ID: 6c1f0e2a9b47
Revises: b3d5e7f9a1c2
Create Date: 2026-11-30 13:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6c1f0e2a9b47'
down_revision = 'b3d5e7f9a1c2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.add_column(sa.Column('incomplete_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('revised_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('revision_reason', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_column('revision_reason')
        batch_op.drop_column('revised_at')
        batch_op.drop_column('incomplete_reason')
