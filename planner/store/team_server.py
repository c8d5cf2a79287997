"""A team database on a PostgreSQL server: the roles, the grants, and who may write what.

`init-team postgresql://…` (run by the server's administrator) makes three kinds of role:
an owner that owns the tables (it logs in to nothing; the migrations run as it), a group
role for the reps, and optionally a login role per rep in that group. Reps connect as
their own role; on the team server, peer authentication over the Unix socket maps each
rep's Unix login to the role of the same name, so there are no passwords to manage.

The grants make the history trustworthy: reps may read everything and insert and
update the planner's tables (deletes are tombstones), but may only append to the change
log. Migration 0009's triggers do the rest: for anyone but the owner, `updated_by` and
the log's `who` are the role that wrote, and a change that did not log itself is logged
at commit under that role.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import sqlalchemy as sa

from planner.core import models as m
from planner.core.errors import DatabaseUnavailable
from planner.core.i18n import _
from planner.store.connection import translate
from planner.store.db import parse_url, postgres_url

DEFAULT_OWNER = "planner"
STAMPED = tuple(m.table_name(model) for model in m.Record.__subclasses__())
"""The planner's record tables: reps insert and update them, never delete (tombstones)."""
GRANTS = (
    *(f"GRANT SELECT, INSERT, UPDATE ON {table} TO {{group}}" for table in STAMPED),
    "GRANT SELECT, INSERT ON changelog TO {group}",
    "GRANT SELECT, INSERT, UPDATE ON planner_meta TO {group}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON draft TO {group}",
    "GRANT SELECT ON alembic_version TO {group}",
    "GRANT USAGE ON SCHEMA public TO {group}",
    "REVOKE ALL ON DATABASE {database} FROM PUBLIC",
    "GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {group}",
)
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class ServerTeam(NamedTuple):
    url: str  # what each rep gives --db
    database: str
    owner: str
    group: str
    reps: tuple[str, ...]
    hba_line: str  # the pg_hba.conf line that lets the group in by peer authentication


def role_name(name: str, what: str) -> str:
    """`name` as a PostgreSQL role, refused unless it is a plain lower-case identifier
    (a Unix login is one; anything else would need quoting everywhere)."""
    if not _ROLE.match(name):
        raise DatabaseUnavailable(
            _(
                "{name!r} cannot be the {what}: use lower-case letters, digits and _ (a Unix login name), "
                "starting with a letter."
            ).format(name=name, what=what)
        )
    return name


def _admin(url: str) -> sa.Engine:
    return sa.create_engine(postgres_url(url), isolation_level="AUTOCOMMIT")


def _ensure_role(connection: sa.Connection, role: str, *, login: bool, member_of: str | None = None) -> None:
    exists = connection.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    if not exists:
        connection.exec_driver_sql(f"CREATE ROLE {role} {'LOGIN' if login else 'NOLOGIN'}")
    if member_of:
        connection.exec_driver_sql(f"GRANT {member_of} TO {role}")


def _ensure_database(url: str, database: str, owner: str) -> None:
    """Create the database (owned by `owner`) when the server has none of that name."""
    maintenance = parse_url(url).set(database="postgres").render_as_string(hide_password=False)
    engine = _admin(maintenance)
    try:
        with engine.connect() as connection:
            found = connection.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": database})
            if found.first() is None:
                connection.exec_driver_sql(f'CREATE DATABASE "{database}" OWNER {owner}')
            else:
                connection.exec_driver_sql(f'ALTER DATABASE "{database}" OWNER TO {owner}')
    finally:
        engine.dispose()


def as_role(url: str, role: str) -> str:
    """`url` with every connection switched to `role` as it opens (libpq's `options`),
    so the tables the migrations make belong to the owner, not to the administrator."""
    parsed = parse_url(postgres_url(url))
    return parsed.update_query_dict({"options": f"-c role={role}"}).render_as_string(hide_password=False)


def init_server_team(url: str, group: str, *, owner: str = DEFAULT_OWNER, reps: tuple[str, ...] = ()) -> ServerTeam:
    """Set up (or renew: it is safe to run again, e.g. after an upgrade) a team
    database on the server `url` names, connected as an administrator allowed to
    create roles and databases."""
    from planner.store import seed
    from planner.store.startup import open_store

    database = parse_url(url).database
    if not database:
        raise DatabaseUnavailable(_("{url} names no database; add one, e.g. postgresql:///planner.").format(url=url))
    group, owner = role_name(group, _("group")), role_name(owner, _("owner"))
    reps = tuple(role_name(rep, _("rep")) for rep in reps)
    try:
        engine = _admin(parse_url(url).set(database="postgres").render_as_string(hide_password=False))
        try:
            with engine.connect() as connection:
                _ensure_role(connection, owner, login=False)
                _ensure_role(connection, group, login=False)
                for rep in reps:
                    _ensure_role(connection, rep, login=True, member_of=group)
                connection.exec_driver_sql(f"GRANT {owner} TO CURRENT_USER")
        finally:
            engine.dispose()
        _ensure_database(url, database, owner)
        store = open_store(as_role(url, owner), user=owner)
        try:
            seed.mark(store, seed.KIND_TEAM)
        finally:
            store.db.close()
        engine = _admin(url)
        try:
            with engine.connect() as connection:
                for grant in GRANTS:
                    connection.exec_driver_sql(grant.format(group=group, database=f'"{database}"'))
        finally:
            engine.dispose()
    except sa.exc.DBAPIError as error:
        raise translate(error) from error
    rep_url = sa.engine.URL.create("postgresql", database=database, query=parse_url(url).query)
    return ServerTeam(
        rep_url.render_as_string(),
        database,
        owner,
        group,
        reps,
        f"local   {database}   +{group}   peer",
    )
