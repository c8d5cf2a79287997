"""strategies under goals, how a contact happened

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 21:00:00

- `strategy`: a phased goal's strategies (策略); `action.strategy_id` makes an action
  one of a strategy's measures (措施).
- `visit.channel`: how the contact happened (visit, phone, introduction, event), and
  `visit.introduced_by_id`: for an introduction, the person who introduced the people
  met, from which the stakeholder card draws the introduction path.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('strategy',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('deleted_with', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('account_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('goal_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], ),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_strategy_account_id', 'strategy', ['account_id'])
    op.create_index('ix_strategy_goal_id', 'strategy', ['goal_id'])
    with op.batch_alter_table('action') as batch:
        batch.add_column(sa.Column('strategy_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch.create_foreign_key('fk_action_strategy_id', 'strategy', ['strategy_id'], ['id'])
        batch.create_index('ix_action_strategy_id', ['strategy_id'])
    with op.batch_alter_table('visit') as batch:
        batch.add_column(sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default='visit'))
        batch.add_column(sa.Column('introduced_by_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch.create_foreign_key('fk_visit_introduced_by_id', 'person', ['introduced_by_id'], ['id'])

def downgrade() -> None:
    with op.batch_alter_table('visit') as batch:
        batch.drop_constraint('fk_visit_introduced_by_id', type_='foreignkey')
        batch.drop_column('introduced_by_id')
        batch.drop_column('channel')
    with op.batch_alter_table('action') as batch:
        batch.drop_index('ix_action_strategy_id')
        batch.drop_constraint('fk_action_strategy_id', type_='foreignkey')
        batch.drop_column('strategy_id')
    op.drop_index('ix_strategy_goal_id', table_name='strategy')
    op.drop_index('ix_strategy_account_id', table_name='strategy')
    op.drop_table('strategy')
