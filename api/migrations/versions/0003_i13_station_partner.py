"""the workstation is a partner: goods are settled like any partner's service

Revision ID: 0003_i13_station
Revises: 0002_i10_accounts
Create Date: 2026-11-25

Every community's police workstation gets a partner of kind `station` whose account is the
community's station account; goods (and their vouchers) that named no partner are its.
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = '0003_i13_station'
down_revision = '0002_i10_accounts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    now = datetime.now(timezone.utc)
    _ids_follow_existing_rows(bind, "partners")
    communities = bind.execute(sa.text(
        "SELECT id, name, station_account_id FROM communities WHERE station_account_id IS NOT NULL "
        "AND station_account_id NOT IN (SELECT account_id FROM partners)")).all()
    for community_id, name, account_id in communities:
        partner_id = bind.execute(sa.text(
            "INSERT INTO partners (name, kind, account_id, created_at) VALUES (:name, 'station', :account, :now) "
            "RETURNING id"), {"name": f"{name} 警网融合工作站", "account": account_id, "now": now}).scalar_one()
        bind.execute(sa.text("INSERT INTO partner_communities (partner_id, community_id) VALUES (:p, :c)"),
                     {"p": partner_id, "c": community_id})
        for table in ("rewards", "redemptions"):
            bind.execute(sa.text(f"UPDATE {table} SET partner_id = :p WHERE partner_id IS NULL AND community_id = :c"),
                         {"p": partner_id, "c": community_id})
    op.create_index('ix_partners_account_id', 'partners', ['account_id'], unique=True)


def _ids_follow_existing_rows(bind, table: str) -> None:
    """PostgreSQL: make the id sequence continue after the rows present (rows inserted with
    explicit ids, as a restore or a copy may have, leave it behind), before inserting here."""
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"))


def downgrade() -> None:
    op.drop_index('ix_partners_account_id', 'partners')
