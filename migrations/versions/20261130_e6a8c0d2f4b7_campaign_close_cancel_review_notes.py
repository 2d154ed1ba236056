"""campaign.closed_at and cancelled_at (closed early, cancelled); response.review_notes
(a comment per returned question)

Revision ID: e6a8c0d2f4b7
Revises: d5f7b9c1e3a5
Create Date: 2026-11-30 16:50:00.000000

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = 'e6a8c0d2f4b7'
down_revision = 'd5f7b9c1e3a5'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_notes', JSON, server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('review_notes')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('closed_at')
