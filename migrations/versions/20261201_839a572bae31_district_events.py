"""district events: events of a district with registrations from the register, attendance, speakers and materials

Revision ID: 839a572bae31
Revises: b0657cd84417
Create Date: 2026-12-01 08:40:04.227872

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '839a572bae31'
down_revision = 'b0657cd84417'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('district_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('meeting', 'seminar', 'webinar', 'association', name='eventkind', native_enum=False, length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('online_url', sa.String(length=1000), nullable=False),
    sa.Column('programme', sa.Text(), nullable=False),
    sa.Column('programme_stored_name', sa.String(length=64), nullable=False),
    sa.Column('programme_original_name', sa.String(length=255), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('feedback_campaign_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('search_key', sa.Text(), nullable=False),
    sa.Column('sort_key', sa.String(length=600).with_variant(sa.String(length=600, collation='C'), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['roadmap_item.id'], name=op.f('fk_district_event_activity_id_roadmap_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_district_event_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['feedback_campaign_id'], ['campaign.id'], name=op.f('fk_district_event_feedback_campaign_id_campaign'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_district_event_organization_id_organization')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_district_event'))
    )
    with op.batch_alter_table('district_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_district_event_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_district_event_feedback_campaign_id'), ['feedback_campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_district_event_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_district_event_starts_at'), ['starts_at'], unique=False)

    op.create_table('event_material',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['district_event.id'], name=op.f('fk_event_material_event_id_district_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_material'))
    )
    with op.batch_alter_table('event_material', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_material_event_id'), ['event_id'], unique=False)

    op.create_table('event_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=False),
    sa.Column('registered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['district_event.id'], name=op.f('fk_event_registration_event_id_district_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['librarian_record.id'], name=op.f('fk_event_registration_record_id_librarian_record'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registered_by_id'], ['user_account.id'], name=op.f('fk_event_registration_registered_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_registration')),
    sa.UniqueConstraint('event_id', 'record_id', name=op.f('uq_event_registration_event_id_record_id'))
    )
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_registration_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_registration_record_id'), ['record_id'], unique=False)

    op.create_table('event_speaker',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('organization_name', sa.String(length=300), nullable=False),
    sa.Column('topic', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['district_event.id'], name=op.f('fk_event_speaker_event_id_district_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['librarian_record.id'], name=op.f('fk_event_speaker_record_id_librarian_record'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_speaker'))
    )
    with op.batch_alter_table('event_speaker', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_speaker_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_speaker_record_id'), ['record_id'], unique=False)



def downgrade():
    with op.batch_alter_table('event_speaker', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_speaker_record_id'))
        batch_op.drop_index(batch_op.f('ix_event_speaker_event_id'))

    op.drop_table('event_speaker')
    with op.batch_alter_table('event_registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_registration_record_id'))
        batch_op.drop_index(batch_op.f('ix_event_registration_event_id'))

    op.drop_table('event_registration')
    with op.batch_alter_table('event_material', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_material_event_id'))

    op.drop_table('event_material')
    with op.batch_alter_table('district_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_district_event_starts_at'))
        batch_op.drop_index(batch_op.f('ix_district_event_organization_id'))
        batch_op.drop_index(batch_op.f('ix_district_event_feedback_campaign_id'))
        batch_op.drop_index(batch_op.f('ix_district_event_activity_id'))

    op.drop_table('district_event')
