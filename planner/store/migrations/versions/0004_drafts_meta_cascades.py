"""drafts, database facts, deletions that remember their cascade, follow-ups done

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 14:00:00

- `draft`: what a rep typed in a form and has not saved, per rep and form.
- `planner_meta`: facts about the database (what made it: the demo, init-team).
- `deleted_with` on every table: the row whose deletion cascaded to this one, so a
  restore brings back exactly those (it matched by time, which two deletions can share).
- `visit.next_step_done`: a visit's promised next step can be ticked off.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    'industry', 'account', 'orgunit', 'person', 'project', 'purchase', 'competitor',
    'competitorposition', 'swotitem', 'goal', 'action', 'visit', 'visitattendee', 'planreview',
)


def upgrade() -> None:
    op.create_table('draft',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('who', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('fields', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('saved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('who', 'key'),
    )
    op.create_table('planner_meta',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('value', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('key'),
    )
    # Plain ADD COLUMNs: no table is rebuilt (and ix_account_list keeps its DESC).
    for table in TABLES:
        op.add_column(table, sa.Column('deleted_with', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
    op.add_column('visit', sa.Column('next_step_done', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('visit') as batch:
        batch.drop_column('next_step_done')
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column('deleted_with')
    op.drop_table('planner_meta')
    op.drop_table('draft')
