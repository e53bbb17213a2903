"""household caps on fee deductions

Revision ID: 0004_i14_household_caps
Revises: 0003_i13_station
Create Date: 2026-11-25
"""
import sqlalchemy as sa
from alembic import op

import points.db

revision = '0004_i14_household_caps'
down_revision = '0003_i13_station'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('household_usage',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('reward_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('household', sa.String(length=100), nullable=False),
    sa.Column('period_start', points.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_fen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint('used_fen >= 0', name=op.f('ck_household_usage_used_not_negative')),
    sa.ForeignKeyConstraint(['reward_id'], ['rewards.id'], name=op.f('fk_household_usage_reward_id_rewards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_usage')),
    sa.UniqueConstraint('reward_id', 'household', 'period_start', name=op.f('uq_household_usage_reward_id_household_period_start'))
    )
    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('household_usage_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_redemptions_household_usage_id_household_usage'), 'household_usage', ['household_usage_id'], ['id'])

    with op.batch_alter_table('rewards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('household_cap_fen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.add_column(sa.Column('household_cap_period', sa.String(length=8), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('rewards', schema=None) as batch_op:
        batch_op.drop_column('household_cap_period')
        batch_op.drop_column('household_cap_fen')

    with op.batch_alter_table('redemptions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_redemptions_household_usage_id_household_usage'), type_='foreignkey')
        batch_op.drop_column('household_usage_id')

    op.drop_table('household_usage')
