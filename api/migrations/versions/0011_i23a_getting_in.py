"""i23a getting in: activation codes, applications to join, temporary passwords

Revision ID: 0011_i23a_getting_in
Revises: 0010_i25_city_indexes
Create Date: 2026-12-06 22:39:46.586491
"""
import sqlalchemy as sa
from alembic import op

import points.db

revision = '0011_i23a_getting_in'
down_revision = '0010_i25_city_indexes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('activation_codes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('member_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', points.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', points.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', points.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_activation_codes_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activation_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_activation_codes_code_hash'))
    )
    with op.batch_alter_table('activation_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activation_codes_member_id'), ['member_id'], unique=False)

    op.create_table('applications',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('team', sa.String(length=100), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_at', points.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', points.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('member_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f('ck_applications_status')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_applications_community_id_communities')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_applications_member_id_members')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications'))
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_community_status', ['community_id', 'status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_phone'), ['phone'], unique=False)

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_temporary', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('staff_accounts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('password_temporary', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('staff_accounts', schema=None) as batch_op:
        batch_op.drop_column('password_temporary')

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('password_temporary')

    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')

    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_phone'))
        batch_op.drop_index('ix_applications_community_status')

    op.drop_table('applications')
    with op.batch_alter_table('activation_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activation_codes_member_id'))

    op.drop_table('activation_codes')
