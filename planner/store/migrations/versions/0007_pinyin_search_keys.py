"""pinyin search keys

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 18:00:00

- `account.search_key`, `person.search_key`: the name's pinyin, full and initials
  (`planner.core.pinyin`), which the customer-list filter and the people search match
  (`jnkj` finds 江南科技大学). Derived by every writer, never logged; filled here for
  the rows already written.
- `ix_account_list` and `ix_person_search` hold the key too, so both reads still come
  from their covering index alone.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from planner.core.pinyin import has_han, search_key

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("deleted_at IS NULL")
ACCOUNT_LIST = (
    'name', 'id', 'industry_id', 'account_class', 'owner', 'profit', 'influence', 'input_people',
    'input_money', 'input_material', 'cadence_days', 'version',
)  # fmt: skip
PERSON_SEARCH = ('name', 'title', 'deleted_at', 'layer', 'stance', 'account_id', 'id')


def _account_list(*keyed: str) -> None:
    op.create_index(
        'ix_account_list',
        'account',
        [sa.text('revenue DESC'), *ACCOUNT_LIST, *keyed, 'deleted_at'],
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


def _fill(table: str) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text(f"SELECT id, name FROM {table}")).all()
    keys = [{"id": row_id, "key": search_key(name)} for row_id, name in rows if isinstance(name, str) and has_han(name)]
    if keys:
        connection.execute(sa.text(f"UPDATE {table} SET search_key = :key WHERE id = :id"), keys)


def upgrade() -> None:
    for table in ('account', 'person'):
        key = sa.Column('search_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default='')
        op.add_column(table, key)
        _fill(table)
    op.drop_index('ix_account_list', table_name='account')
    _account_list('search_key')
    op.drop_index('ix_person_search', table_name='person')
    op.create_index('ix_person_search', 'person', ['name', 'title', 'search_key', *PERSON_SEARCH[2:]])


def downgrade() -> None:
    op.drop_index('ix_person_search', table_name='person')
    op.drop_index('ix_account_list', table_name='account')
    for table in ('account', 'person'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('search_key')
    op.create_index('ix_person_search', 'person', list(PERSON_SEARCH))
    _account_list()  # after the rebuild, which would lose the DESC
