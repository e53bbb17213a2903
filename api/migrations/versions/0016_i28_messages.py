"""i28 what volunteers hear back: messages, service-hours certificates, levels per community

Revision ID: 0016_i28_messages
Revises: 0015_i27_field_work
Create Date: 2026-12-06 23:00:00
"""
import sqlalchemy as sa
from alembic import op

import points.db

revision = '0016_i28_messages'
down_revision = '0015_i27_field_work'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
KINDS = ('claim_approved', 'claim_rejected', 'points_received', 'notice_final', 'points_expiring',
         'voucher_expiring', 'voucher_fulfilled', 'activity_cancelled')


def upgrade() -> None:
    op.create_table('messages',
    sa.Column('id', ID, nullable=False),
    sa.Column('member_id', ID, nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('subject_id', ID, nullable=False),
    sa.Column('at', points.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('body', sa.String(length=1000), nullable=False),
    sa.Column('read_at', points.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('texted_at', points.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint(f"kind IN {KINDS!r}", name=op.f('ck_messages_kind')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_messages_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('member_id', 'kind', 'subject_id', name=op.f('uq_messages_member_id_kind_subject_id'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index('ix_messages_member_id_id', ['member_id', 'id'], unique=False)

    op.create_table('certificates',
    sa.Column('id', ID, nullable=False),
    sa.Column('serial', sa.String(length=32), nullable=False),
    sa.Column('member_id', ID, nullable=False),
    sa.Column('community_id', ID, nullable=False),
    sa.Column('starts_at', points.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', points.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('minutes', ID, nullable=False),
    sa.Column('activities', ID, nullable=False),
    sa.Column('points', ID, nullable=False),
    sa.Column('issued_at', points.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'],
                            name=op.f('fk_certificates_community_id_communities')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_certificates_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('serial', name=op.f('uq_certificates_serial')),
    sa.UniqueConstraint('member_id', 'starts_at', 'ends_at', 'minutes', 'activities', 'points',
                        name='uq_certificates_facts')
    )
    with op.batch_alter_table('communities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('levels', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('communities', schema=None) as batch_op:
        batch_op.drop_column('levels')
    op.drop_table('certificates')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_member_id_id')
    op.drop_table('messages')
