"""customer list covering index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:20:00

The customer list reads every live account in 80/20 order; this partial index
holds exactly those columns in that order, so the read needs no sort and no
table lookups (see `ix_account_list` in planner/models.py).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    op.create_index(
        'ix_account_list',
        'account',
        [
            sa.text('revenue DESC'), 'name', 'id', 'industry_id', 'account_class', 'owner', 'profit', 'influence',
            'input_people', 'input_money', 'input_material', 'cadence_days', 'version', 'deleted_at',
        ],
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index('ix_account_list', table_name='account')
