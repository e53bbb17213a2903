"""staff accounts; tokens gain a kind, an owner, an expiry and revocation

Revision ID: 0002_i10_accounts
Revises: 0002_i9_checkin_methods
"""
import sqlalchemy as sa
from alembic import op

import points.db

revision = '0002_i10_accounts'
down_revision = '0002_i9_checkin_methods'
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('staff_accounts',
    sa.Column('id', ID, nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('community_id', ID, nullable=True),
    sa.Column('partner_id', ID, nullable=True),
    sa.Column('created_at', points.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('disabled_at', points.db.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role <> 'organiser' OR community_id IS NOT NULL",
                       name=op.f('ck_staff_accounts_organiser_community')),
    sa.CheckConstraint("role <> 'partner' OR partner_id IS NOT NULL", name=op.f('ck_staff_accounts_partner_partner')),
    sa.CheckConstraint("role IN ('admin', 'organiser', 'partner')", name=op.f('ck_staff_accounts_role')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'],
                            name=op.f('fk_staff_accounts_community_id_communities')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_staff_accounts_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_accounts')),
    sa.UniqueConstraint('phone', name=op.f('uq_staff_accounts_phone'))
    )
    with op.batch_alter_table('api_tokens') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=16), server_default='api', nullable=False))
        batch.add_column(sa.Column('staff_id', ID, nullable=True))
        batch.add_column(sa.Column('expires_at', points.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('revoked_at', points.db.UTCDateTime(timezone=True), nullable=True))
        batch.create_index(batch.f('ix_api_tokens_staff_id'), ['staff_id'], unique=False)
        batch.create_foreign_key(batch.f('fk_api_tokens_staff_id_staff_accounts'), 'staff_accounts',
                                 ['staff_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('api_tokens') as batch:
        batch.drop_constraint(batch.f('fk_api_tokens_staff_id_staff_accounts'), type_='foreignkey')
        batch.drop_index(batch.f('ix_api_tokens_staff_id'))
        batch.drop_column('revoked_at')
        batch.drop_column('expires_at')
        batch.drop_column('staff_id')
        batch.drop_column('kind')
    op.drop_table('staff_accounts')
