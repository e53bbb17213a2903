"""public notice (pending accounts, notices) and expiry (lots, expiry accounts, validity)

Revision ID: 0005_i14_notice_expiry
Revises: 0004_i14_household_caps
Create Date: 2026-11-25

Existing members get a pending account, communities an expiry account, and every member's
current balance becomes one lot that never expires (a validity applies from when it is set).
"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

import points.db

NEVER = datetime(9999, 12, 31, tzinfo=timezone.utc)
ACCOUNT_KINDS = "kind IN ('issuance', 'member', 'hold', 'partner', 'station', 'pending', 'expiry')"
TRANSFER_KINDS = "kind IN ('earn', 'reversal', 'hold', 'release', 'spend', 'finalise', 'expire', 'unexpire')"


revision = '0005_i14_notice_expiry'
down_revision = '0004_i14_household_caps'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lots',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('member_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('transfer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('earned_at', points.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', points.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('amount', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('remaining', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('expired', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_lots_amount_positive')),
    sa.CheckConstraint('remaining >= 0 AND expired >= 0 AND remaining + expired <= amount', name=op.f('ck_lots_parts')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_lots_member_id_members')),
    sa.ForeignKeyConstraint(['transfer_id'], ['transfers.id'], name=op.f('fk_lots_transfer_id_transfers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lots'))
    )
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.create_index('ix_lots_due', ['expires_at'], unique=False, sqlite_where=sa.text('remaining > 0'), postgresql_where=sa.text('remaining > 0'))
        batch_op.create_index('ix_lots_member_open', ['member_id', 'expires_at', 'id'], unique=False, sqlite_where=sa.text('remaining > 0'), postgresql_where=sa.text('remaining > 0'))
        batch_op.create_index(batch_op.f('ix_lots_transfer_id'), ['transfer_id'], unique=False)

    op.create_table('notices',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('transfer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('member_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('community_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('rule_code', sa.String(length=64), nullable=False),
    sa.Column('rule_name', sa.String(length=200), nullable=False),
    sa.Column('points', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', points.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('final_at', points.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('closed_at', points.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('closed_by', sa.String(length=200), nullable=True),
    sa.CheckConstraint("status IN ('posted', 'final', 'withdrawn')", name=op.f('ck_notices_status')),
    sa.ForeignKeyConstraint(['community_id'], ['communities.id'], name=op.f('fk_notices_community_id_communities')),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_notices_member_id_members')),
    sa.ForeignKeyConstraint(['transfer_id'], ['transfers.id'], name=op.f('fk_notices_transfer_id_transfers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notices')),
    sa.UniqueConstraint('transfer_id', name=op.f('uq_notices_transfer_id'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index('ix_notices_community_status_final', ['community_id', 'status', 'final_at'], unique=False)
        batch_op.create_index('ix_notices_member_status', ['member_id', 'status'], unique=False)
        batch_op.create_index('ix_notices_status_final', ['status', 'final_at'], unique=False)

    op.create_table('lot_uses',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('lot_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('transfer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('amount', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.ForeignKeyConstraint(['lot_id'], ['lots.id'], name=op.f('fk_lot_uses_lot_id_lots')),
    sa.ForeignKeyConstraint(['transfer_id'], ['transfers.id'], name=op.f('fk_lot_uses_transfer_id_transfers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lot_uses'))
    )
    with op.batch_alter_table('lot_uses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lot_uses_transfer_id'), ['transfer_id'], unique=False)

    with op.batch_alter_table('communities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expiry_account_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.add_column(sa.Column('points_valid_months', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.add_column(sa.Column('points_expire_at_year_end', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_communities_expiry_account_id_accounts'), 'accounts', ['expiry_account_id'], ['id'])

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pending_account_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_members_pending_account_id_accounts'), 'accounts', ['pending_account_id'], ['id'])

    with op.batch_alter_table('rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice_days', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), server_default='0', nullable=False))
        batch_op.create_check_constraint('notice_days_not_negative', 'notice_days >= 0')
    with op.batch_alter_table('accounts') as batch_op:
        batch_op.drop_constraint(op.f('ck_accounts_kind'), type_='check')
        batch_op.create_check_constraint('kind', ACCOUNT_KINDS)
    with op.batch_alter_table('transfers') as batch_op:
        batch_op.drop_constraint(op.f('ck_transfers_kind'), type_='check')
        batch_op.create_check_constraint('kind', TRANSFER_KINDS)

    _open_accounts_and_lots()
    with op.batch_alter_table('members') as batch_op:
        batch_op.alter_column('pending_account_id', existing_type=sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                              nullable=False)


def _open_accounts_and_lots() -> None:
    bind = op.get_bind()
    now = datetime.now(timezone.utc)
    _ids_follow_existing_rows(bind, "accounts")

    def open_account(kind, name, community_id):
        return bind.execute(sa.text(
            "INSERT INTO accounts (kind, community_id, name, balance, opened_at) "
            "VALUES (:kind, :community, :name, 0, :now) RETURNING id"),
            {"kind": kind, "community": community_id, "name": name, "now": now}).scalar_one()

    for community_id, name in bind.execute(sa.text("SELECT id, name FROM communities")).all():
        bind.execute(sa.text("UPDATE communities SET expiry_account_id = :a WHERE id = :c"),
                     {"a": open_account("expiry", f"{name} 过期积分", community_id), "c": community_id})
    members = bind.execute(sa.text(
        "SELECT m.id, m.name, m.phone, m.community_id, a.balance FROM members m "
        "JOIN accounts a ON a.id = m.account_id")).all()
    for member_id, name, phone, community_id, balance in members:
        bind.execute(sa.text("UPDATE members SET pending_account_id = :a WHERE id = :m"),
                     {"a": open_account("pending", f"{name} {phone} 公示中", community_id), "m": member_id})
        if balance > 0:
            bind.execute(sa.text(
                "INSERT INTO lots (member_id, transfer_id, earned_at, expires_at, amount, remaining, expired) "
                "VALUES (:m, NULL, :now, :never, :b, :b, 0)"), {"m": member_id, "now": now, "never": NEVER, "b": balance})



def _ids_follow_existing_rows(bind, table: str) -> None:
    """PostgreSQL: make the id sequence continue after the rows present (rows inserted with
    explicit ids, as a restore or a copy may have, leave it behind), before inserting here."""
    if bind.dialect.name == "postgresql":
        bind.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                             f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"))


def downgrade() -> None:
    with op.batch_alter_table('transfers') as batch_op:
        batch_op.drop_constraint(op.f('ck_transfers_kind'), type_='check')
        batch_op.create_check_constraint('kind', TRANSFER_KINDS.replace(", 'finalise', 'expire', 'unexpire'", ""))
    with op.batch_alter_table('accounts') as batch_op:
        batch_op.drop_constraint(op.f('ck_accounts_kind'), type_='check')
        batch_op.create_check_constraint('kind', ACCOUNT_KINDS.replace(", 'pending', 'expiry'", ""))
    with op.batch_alter_table('rules', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_rules_notice_days_not_negative'), type_='check')
        batch_op.drop_column('notice_days')

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_members_pending_account_id_accounts'), type_='foreignkey')
        batch_op.drop_column('pending_account_id')

    with op.batch_alter_table('communities', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_communities_expiry_account_id_accounts'), type_='foreignkey')
        batch_op.drop_column('points_expire_at_year_end')
        batch_op.drop_column('points_valid_months')
        batch_op.drop_column('expiry_account_id')

    with op.batch_alter_table('lot_uses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lot_uses_transfer_id'))

    op.drop_table('lot_uses')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_status_final')
        batch_op.drop_index('ix_notices_member_status')
        batch_op.drop_index('ix_notices_community_status_final')

    op.drop_table('notices')
    with op.batch_alter_table('lots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lots_transfer_id'))
        batch_op.drop_index('ix_lots_member_open', sqlite_where=sa.text('remaining > 0'), postgresql_where=sa.text('remaining > 0'))
        batch_op.drop_index('ix_lots_due', sqlite_where=sa.text('remaining > 0'), postgresql_where=sa.text('remaining > 0'))

    op.drop_table('lots')
