"""activities.checkin_methods: which ways (printed, live, card) an activity accepts check-ins

Revision ID: 0002_i9_checkin_methods
Revises: 0001
Create Date: 2026-11-25 13:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0002_i9_checkin_methods'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('activities') as batch:
        batch.add_column(sa.Column('checkin_methods', sa.String(length=32), nullable=False,
                                   server_default='printed,live,card'))


def downgrade() -> None:
    with op.batch_alter_table('activities') as batch:
        batch.drop_column('checkin_methods')
