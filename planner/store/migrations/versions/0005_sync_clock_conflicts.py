"""copies that merge: each change's site and clock, conflicts kept for a rep

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 15:00:00

- `changelog.site`, `changelog.hlc`: the copy a change was made on and its hybrid
  logical clock, by which copies agree on one field's last writer. Existing entries
  take this database's new site id and their `seq` as clock (older than any new one).
- `syncconflict`: the value a merge did not keep, until a rep resolves it.
- `planner_meta.site`: this database's site id.
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    site = uuid.uuid4().hex
    op.add_column('changelog', sa.Column('site', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False, server_default=''))
    op.add_column('changelog', sa.Column('hlc', sa.BigInteger(), nullable=False, server_default='0'))
    op.execute(sa.text("UPDATE changelog SET site = :site, hlc = seq").bindparams(site=site))
    op.create_index('ix_changelog_hlc', 'changelog', ['hlc'], unique=False)
    op.execute(sa.text("INSERT INTO planner_meta (key, value) VALUES ('site', :site)").bindparams(site=site))
    op.create_table('syncconflict',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('deleted_with', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('table_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('row_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('field', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kept', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kept_who', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kept_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('other', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('other_who', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('other_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('resolved_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('resolved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('resolution', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_syncconflict_row_id', 'syncconflict', ['row_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_syncconflict_row_id', table_name='syncconflict')
    op.drop_table('syncconflict')
    op.execute("DELETE FROM planner_meta WHERE key = 'site'")
    op.drop_index('ix_changelog_hlc', table_name='changelog')
    with op.batch_alter_table('changelog') as batch:
        batch.drop_column('hlc')
        batch.drop_column('site')
