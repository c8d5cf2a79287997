"""Alembic environment: runs on the connection `planner.migrate` hands it.

`planner.migrate` already holds the write lock, has switched foreign keys off and
opened the transaction, so this only configures the context and runs the steps.
"""

from alembic import context
from sqlmodel import SQLModel

import planner.core.models  # noqa: F401 - registers the tables on SQLModel.metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
