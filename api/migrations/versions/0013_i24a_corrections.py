"""i24a corrections: cancelled activities, retired partners, one partner of a name per community,
and a check-in's award that an undone check-out reverses (so checkin_id is no longer unique)

Revision ID: 0013_i24a_corrections
Revises: 0012_i23b_checkin_fallbacks
Create Date: 2026-12-06 23:00:00
"""
import sqlalchemy as sa
from alembic import op

import points.db

revision = '0013_i24a_corrections'
down_revision = '0012_i23b_checkin_fallbacks'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled_at', points.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('cancel_reason', sa.String(length=500), nullable=True))
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retired_at', points.db.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('partner_communities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sa.String(length=200), nullable=True))
    # Each community's partners by name: the first of a name keeps it; a later namesake (the
    # duplicates this uniqueness is for) is left without, until it is renamed or retired.
    op.execute("""
        UPDATE partner_communities SET name_key = (SELECT name FROM partners WHERE partners.id = partner_id)
        WHERE NOT EXISTS (
            SELECT 1 FROM partner_communities AS other
            JOIN partners AS theirs ON theirs.id = other.partner_id
            JOIN partners AS mine ON mine.id = partner_communities.partner_id
            WHERE other.community_id = partner_communities.community_id AND theirs.name = mine.name
              AND other.partner_id < partner_communities.partner_id)""")
    with op.batch_alter_table('partner_communities', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_partner_communities_community_id_name_key'),
                                          ['community_id', 'name_key'])
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_transfers_checkin_id'), type_='unique')
        batch_op.create_index(batch_op.f('ix_transfers_checkin_id'), ['checkin_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfers_checkin_id'))
        batch_op.create_unique_constraint(batch_op.f('uq_transfers_checkin_id'), ['checkin_id'])
    with op.batch_alter_table('partner_communities', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_partner_communities_community_id_name_key'), type_='unique')
        batch_op.drop_column('name_key')
    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_column('retired_at')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_column('cancel_reason')
        batch_op.drop_column('cancelled_at')
