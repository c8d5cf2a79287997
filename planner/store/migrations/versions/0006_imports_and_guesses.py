"""imports: where a record came from, and values an import guessed

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 17:15:00

- `account`, `person`, `project`: `import_source` (salesforce, hubspot, sheet), the
  file's own id for the record (`import_id`) and each field's value as last imported
  (`imported`, JSON), so re-importing updates instead of duplicating and never
  silently overwrites a rep's edit.
- `person.layer_guessed`, `industry.tier_guessed`: set when an import guessed the
  value (from a title, from an industry's name), until a rep confirms or changes it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IMPORTED = ('account', 'person', 'project')
COLUMNS = ('import_source', 'import_id', 'imported')


def upgrade() -> None:
    op.add_column('person', sa.Column('layer_guessed', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('industry', sa.Column('tier_guessed', sa.Boolean(), nullable=False, server_default=sa.false()))
    for table in IMPORTED:
        for column in COLUMNS:
            op.add_column(table, sa.Column(column, sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=''))


def downgrade() -> None:
    for table in IMPORTED:
        with op.batch_alter_table(table) as batch:
            for column in COLUMNS:
                batch.drop_column(column)
    with op.batch_alter_table('industry') as batch:
        batch.drop_column('tier_guessed')
    with op.batch_alter_table('person') as batch:
        batch.drop_column('layer_guessed')
