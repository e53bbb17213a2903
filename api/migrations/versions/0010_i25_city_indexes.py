"""i25 city indexes: members searched by name or phone off one index

Revision ID: 0010_i25_city_indexes
Revises: 0009_i22_audit_parties
Create Date: 2026-12-06 20:15:00
"""
from alembic import op

revision = '0010_i25_city_indexes'
down_revision = '0009_i22_audit_parties'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A search (`q` anywhere in the name or phone) reads a community's members in id order off
    # this index alone, instead of one heap page per member (bench.city: 98 ms, 3,172 pages,
    # for a community of 4,000 on PostgreSQL; 5 ms off the index).
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index('ix_members_search', ['community_id', 'id', 'name', 'phone'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index('ix_members_search')
