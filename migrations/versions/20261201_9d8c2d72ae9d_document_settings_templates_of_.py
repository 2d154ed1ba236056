"""document settings; templates of certificates by kind

Revision ID: 9d8c2d72ae9d
Revises: 839a572bae31
Create Date: 2026-12-01 08:41:42.455149

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9d8c2d72ae9d'
down_revision = '839a572bae31'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('document_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('emblem_name', sa.String(length=64), nullable=True),
    sa.Column('signature_name', sa.String(length=64), nullable=True),
    sa.Column('head_name', sa.String(length=200), nullable=False),
    sa.Column('head_position', sa.String(length=300), nullable=False),
    sa.Column('diplomas_signed_by', sa.Enum('chair', 'head', name='diplomasigner', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_document_settings_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document_settings')),
    sa.UniqueConstraint('organization_id', name=op.f('uq_document_settings_organization_id'))
    )
    with op.batch_alter_table('report_template', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='spravka', nullable=False))
        batch_op.drop_constraint(batch_op.f('uq_report_template_organization_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_report_template_organization_id'), ['organization_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_report_template_organization_id_kind'), ['organization_id', 'kind'])


def downgrade():
    # One template per organization again: the справка's is kept.
    op.execute("DELETE FROM report_template WHERE kind <> 'spravka'")
    with op.batch_alter_table('report_template', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_report_template_organization_id_kind'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_report_template_organization_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_report_template_organization_id'), ['organization_id'])
        batch_op.drop_column('kind')

    op.drop_table('document_settings')
