"""imports: where a record came from, and values an import guessed

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 17:15:00

- `importlink`: a record's source (salesforce, hubspot, sheet), the file's id for it
  and each field's value as last imported, so re-importing updates instead of
  duplicating and never silently overwrites a rep's edit.
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


def upgrade() -> None:
    op.add_column('person', sa.Column('layer_guessed', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column('industry', sa.Column('tier_guessed', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table('importlink',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('deleted_with', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('row_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('imported', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_importlink_row_id', 'importlink', ['row_id'], unique=False)
    op.create_index('ix_importlink_source', 'importlink', ['source', 'kind', 'source_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_importlink_source', table_name='importlink')
    op.drop_index('ix_importlink_row_id', table_name='importlink')
    op.drop_table('importlink')
    with op.batch_alter_table('industry') as batch:
        batch.drop_column('tier_guessed')
    with op.batch_alter_table('person') as batch:
        batch.drop_column('layer_guessed')
