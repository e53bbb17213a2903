"""i22 audit parties: each audit row names its actor and its subject as {kind, id, name}

Revision ID: 0009_i22_audit_parties
Revises: 0008_c12_imports
Create Date: 2026-12-06 20:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_i22_audit_parties'
down_revision = '0008_c12_imports'
branch_labels = None
depends_on = None

RENAMED = {"review": "claim_reviewed", "account_added": "staff_added", "account_changed": "staff_changed",
           "account_disabled": "staff_disabled"}


def upgrade() -> None:
    with op.batch_alter_table('audit_entries') as batch:
        batch.add_column(sa.Column('actor_kind', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('actor_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch.add_column(sa.Column('actor_name', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('subject_kind', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('subject_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch.add_column(sa.Column('subject_name', sa.String(length=200), nullable=True))
    connection = op.get_bind()
    audit = sa.table('audit_entries', sa.column('id'), sa.column('actor'), sa.column('action'),
                     sa.column('member_id'), sa.column('actor_kind'), sa.column('actor_name'),
                     sa.column('subject_kind'), sa.column('subject_id'), sa.column('subject_name'))
    members = sa.table('members', sa.column('id'), sa.column('name'))
    # "organiser:罗塘派出所 民警" -> kind organiser, name 罗塘派出所 民警; the member a row was about is its subject.
    for row in connection.execute(sa.select(audit.c.id, audit.c.actor, audit.c.action, audit.c.member_id)).all():
        kind, _, name = (row.actor or "system:").partition(":")
        subject = {}
        if row.member_id is not None:
            subject = {"subject_kind": "member", "subject_id": row.member_id,
                       "subject_name": connection.scalar(sa.select(members.c.name).where(members.c.id == row.member_id))}
        connection.execute(audit.update().where(audit.c.id == row.id).values(
            actor_kind=kind[:16] or "system", actor_name=name or None, action=RENAMED.get(row.action, row.action),
            **subject))
    with op.batch_alter_table('audit_entries') as batch:
        batch.alter_column('actor_kind', existing_type=sa.String(length=16), nullable=False)
        batch.drop_column('actor')
        batch.create_index('ix_audit_entries_community_action', ['community_id', 'action', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_entries') as batch:
        batch.drop_index('ix_audit_entries_community_action')
        batch.add_column(sa.Column('actor', sa.String(length=200), nullable=False, server_default='system'))
        for column in ('subject_name', 'subject_id', 'subject_kind', 'actor_name', 'actor_id', 'actor_kind'):
            batch.drop_column(column)
