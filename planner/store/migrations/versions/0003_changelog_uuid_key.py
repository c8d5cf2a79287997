"""change log entries keyed by UUID, with a local sequence

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 11:00:00

Every table's key is a UUID so copies on laptops can merge; the change log's was
an autoincrement integer. The old integer becomes `seq` (this database's order of
writing, which the screens poll); each existing entry gets a random UUID.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RANDOM_KEY = {
    'sqlite': "lower(hex(randomblob(16)))",
    'postgresql': "replace(gen_random_uuid()::text, '-', '')",
}
COLUMNS = "table_name, row_id, action, who, at, changes"


def upgrade() -> None:
    op.create_table('changelog_new',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('table_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('row_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('who', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('changes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('seq'),
    )
    key = RANDOM_KEY[op.get_bind().dialect.name]
    op.execute(f"INSERT INTO changelog_new (id, seq, {COLUMNS}) SELECT {key}, id, {COLUMNS} FROM changelog")
    op.drop_index('ix_changelog_row_id', table_name='changelog')
    op.drop_table('changelog')
    op.rename_table('changelog_new', 'changelog')
    op.create_index('ix_changelog_row_id', 'changelog', ['row_id'], unique=False)


def downgrade() -> None:
    op.create_table('changelog_old',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('row_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('who', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('changes', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    )
    op.execute(f"INSERT INTO changelog_old (id, {COLUMNS}) SELECT seq, {COLUMNS} FROM changelog")
    op.drop_index('ix_changelog_row_id', table_name='changelog')
    op.drop_table('changelog')
    op.rename_table('changelog_old', 'changelog')
    op.create_index('ix_changelog_row_id', 'changelog', ['row_id'], unique=False)
