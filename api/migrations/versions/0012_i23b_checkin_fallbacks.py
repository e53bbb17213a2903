"""i23b check-in fallbacks and SMS sign-in: a capped check-in says why, SMS codes per phone

Revision ID: 0012_i23b_checkin_fallbacks
Revises: 0011_i23a_getting_in
Create Date: 2026-12-06 23:00:00
"""
import sqlalchemy as sa
from alembic import op

import points.db

revision = '0012_i23b_checkin_fallbacks'
down_revision = '0011_i23a_getting_in'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    # A check-in past the member's daily cap is kept (attendance, hours) with fewer points: why.
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('capped', sa.String(length=16), nullable=True))
    # One row per phone (as a keyed hash): its live sign-in code (hashed) and its limits.
    op.create_table('sms_codes',
    sa.Column('id', ID, nullable=False),
    sa.Column('phone_key', sa.String(length=64), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=True),
    sa.Column('sent_at', points.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', points.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('tries', ID, nullable=False),
    sa.Column('used_at', points.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('sent_today', ID, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_codes')),
    sa.UniqueConstraint('phone_key', name=op.f('uq_sms_codes_phone_key'))
    )


def downgrade() -> None:
    op.drop_table('sms_codes')
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_column('capped')
