"""visits: campaign.filled_on_visits; response.visited_by_id, visited_on, school_comment;
response.prefill_declined_at (the school said no to taking over earlier answers)

Revision ID: 3f940ec634c8
Revises: e6a8c0d2f4b7
Create Date: 2026-11-30 21:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '3f940ec634c8'
down_revision = 'e6a8c0d2f4b7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('filled_on_visits', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prefill_declined_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('visited_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('visited_on', sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column('school_comment', sa.Text(), server_default='', nullable=False)
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_response_visited_by_id_user_account'),
            'user_account',
            ['visited_by_id'],
            ['id'],
        )


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_response_visited_by_id_user_account'), type_='foreignkey'
        )
        batch_op.drop_column('school_comment')
        batch_op.drop_column('visited_on')
        batch_op.drop_column('visited_by_id')
        batch_op.drop_column('prefill_declined_at')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_column('filled_on_visits')
