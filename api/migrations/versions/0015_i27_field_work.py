"""i27 field work: offline scans answered once per nonce, tips' photos, and who sees tips

Revision ID: 0015_i27_field_work
Revises: 0013_i24a_corrections
Create Date: 2026-12-06 23:00:00
"""
import sqlalchemy as sa
from alembic import op

from points.db import UTCDateTime

revision = '0015_i27_field_work'
down_revision = '0013_i24a_corrections'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'offline_scans',
        sa.Column('id', ID, nullable=False),
        sa.Column('activity_id', ID, nullable=False),
        sa.Column('nonce', sa.String(length=64), nullable=False),
        sa.Column('device', sa.String(length=100), nullable=False),
        sa.Column('scanned_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('uploaded_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=True),
        sa.Column('checkin_id', ID, nullable=True),
        sa.CheckConstraint("status IN ('accepted', 'duplicate', 'refused')", name=op.f('ck_offline_scans_status')),
        sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_offline_scans_activity_id_activities')),
        sa.ForeignKeyConstraint(['checkin_id'], ['checkins.id'], name=op.f('fk_offline_scans_checkin_id_checkins')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_offline_scans')),
        sa.UniqueConstraint('activity_id', 'nonce', name=op.f('uq_offline_scans_activity_id_nonce')),
    )
    op.create_table(
        'claim_photos',
        sa.Column('id', ID, nullable=False),
        sa.Column('claim_id', ID, nullable=False),
        sa.Column('position', ID, nullable=False),
        sa.Column('stored_as', sa.String(length=100), nullable=False),
        sa.Column('mimetype', sa.String(length=32), nullable=False),
        sa.Column('width', ID, nullable=False),
        sa.Column('height', ID, nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.Column('deleted_at', UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint('position BETWEEN 1 AND 3', name=op.f('ck_claim_photos_position')),
        sa.ForeignKeyConstraint(['claim_id'], ['claims.id'], name=op.f('fk_claim_photos_claim_id_claims')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_photos')),
        sa.UniqueConstraint('claim_id', 'position', name=op.f('uq_claim_photos_claim_id_position')),
    )
    with op.batch_alter_table('claim_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_photos_claim_id'), ['claim_id'], unique=False)
    with op.batch_alter_table('staff_accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sees_tips', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('staff_accounts', schema=None) as batch_op:
        batch_op.drop_column('sees_tips')
    with op.batch_alter_table('claim_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_photos_claim_id'))
    op.drop_table('claim_photos')
    op.drop_table('offline_scans')
