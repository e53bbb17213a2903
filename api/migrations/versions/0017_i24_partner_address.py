"""i24 partner address: each reward's page says where it is redeemed

Revision ID: 0017_i24_partner_address
Revises: 0016_i28_messages
Create Date: 2026-12-07 00:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0017_i24_partner_address'
down_revision = '0016_i28_messages'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_column('address')
