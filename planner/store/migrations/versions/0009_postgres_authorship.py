"""on PostgreSQL, the database says who wrote what

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 04:00:00

Nothing changes on SQLite (a file anyone in the group can write cannot vouch for its
own history). On PostgreSQL, for every role that does not own the tables (a rep's own
login on a team server):

- `updated_by` and the change log's `who` are the database's `current_user`, whatever
  the client sent (BEFORE triggers);
- a change that did not log itself (an `UPDATE` typed by hand in psql) is logged at
  commit all the same, under the role that made it (a deferred trigger per row);
- every change-log entry takes the planner's write lock, so two writers never draw the
  same `seq`;
- each commit that logs a change notifies `planner_changes` with the newest `seq`, so
  open planners refresh at once (LISTEN/NOTIFY).

The owner (the role `planner init-team` makes, or a superuser) is exempt: its writes
keep what they carry, which `planner copy` and migrations need. That the change log
is append-only for reps is a grant (`init-team` gives them no UPDATE or DELETE on it).
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WRITE_LOCK = 0x706C616E  # planner.store.db.WRITE_LOCK
CHANNEL = 'planner_changes'  # planner.store.change_feed reads it
STAMPED = (
    'industry', 'account', 'orgunit', 'person', 'project', 'purchase', 'competitor',
    'competitorposition', 'swotitem', 'goal', 'strategy', 'action', 'visit',
    'visitattendee', 'planreview', 'syncconflict',
)
NOT_CHANGES = "'id', 'created_at', 'updated_at', 'updated_by', 'version', 'deleted_at', 'deleted_with', 'search_key'"

FUNCTIONS = f"""
CREATE FUNCTION planner_is_owner() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT pg_has_role(current_user, c.relowner, 'MEMBER')
    FROM pg_class c WHERE c.oid = 'changelog'::regclass
$$;

CREATE FUNCTION planner_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT planner_is_owner() THEN
        NEW.updated_by := current_user;
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION planner_changelog_author() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({WRITE_LOCK});
    IF NOT planner_is_owner() THEN
        NEW.who := current_user;
    END IF;
    RETURN NEW;
END $$;

CREATE FUNCTION planner_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', (SELECT max(seq) FROM changelog)::text);
    RETURN NULL;
END $$;

CREATE FUNCTION planner_log_unlogged() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before jsonb;
    after jsonb;
    row_key text;
    act text;
    diff jsonb;
    next_seq integer;
    clock bigint;
BEGIN
    IF planner_is_owner() THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        before := to_jsonb(OLD);
        row_key := OLD.id;
    ELSE
        after := to_jsonb(NEW);
        row_key := NEW.id;
        IF TG_OP = 'UPDATE' THEN
            before := to_jsonb(OLD);
        END IF;
    END IF;
    IF EXISTS (
        SELECT 1 FROM changelog c
        WHERE c.row_id = row_key AND c.table_name = TG_TABLE_NAME AND c.xmin = pg_current_xact_id()::xid
    ) THEN
        RETURN NULL;  -- the writer logged this row itself (the planner always does)
    END IF;
    IF TG_OP = 'INSERT' THEN
        act := 'insert';
        SELECT jsonb_object_agg(key, jsonb_build_array(NULL, value)) INTO diff FROM jsonb_each(after)
        WHERE key NOT IN ({NOT_CHANGES}) AND value NOT IN ('null', '""');
    ELSIF TG_OP = 'DELETE' THEN
        act := 'delete';
        SELECT jsonb_object_agg(key, jsonb_build_array(value, NULL)) INTO diff FROM jsonb_each(before)
        WHERE key NOT IN ({NOT_CHANGES}) AND value NOT IN ('null', '""');
    ELSE
        act := CASE
            WHEN before ->> 'deleted_at' IS NULL AND after ->> 'deleted_at' IS NOT NULL THEN 'delete'
            WHEN before ->> 'deleted_at' IS NOT NULL AND after ->> 'deleted_at' IS NULL THEN 'restore'
            ELSE 'update'
        END;
        SELECT jsonb_object_agg(n.key, jsonb_build_array(before -> n.key, n.value)) INTO diff
        FROM jsonb_each(after) n
        WHERE n.key NOT IN ({NOT_CHANGES}) AND n.value IS DISTINCT FROM before -> n.key;
    END IF;
    PERFORM pg_advisory_xact_lock({WRITE_LOCK});
    SELECT coalesce(max(seq), 0) + 1,
           greatest((extract(epoch FROM clock_timestamp()) * 1000)::bigint, coalesce(max(hlc), 0) + 1)
    INTO next_seq, clock FROM changelog;
    INSERT INTO changelog (id, seq, table_name, row_id, action, who, at, changes, site, hlc)
    VALUES (
        replace(gen_random_uuid()::text, '-', ''), next_seq, TG_TABLE_NAME, row_key, act, current_user,
        now(), coalesce(diff, '{{}}'::jsonb)::text,
        coalesce((SELECT value FROM planner_meta WHERE key = 'site'), ''), clock
    );
    RETURN NULL;
END $$;

CREATE TRIGGER planner_changelog_author BEFORE INSERT ON changelog
    FOR EACH ROW EXECUTE FUNCTION planner_changelog_author();
CREATE TRIGGER planner_notify_change AFTER INSERT ON changelog
    FOR EACH STATEMENT EXECUTE FUNCTION planner_notify_change();
"""

TABLE_TRIGGERS = """
CREATE TRIGGER planner_stamp BEFORE INSERT OR UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION planner_stamp();
CREATE CONSTRAINT TRIGGER planner_log_unlogged AFTER INSERT OR UPDATE OR DELETE ON {table}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION planner_log_unlogged();
"""

DROPS = """
DROP TRIGGER IF EXISTS planner_changelog_author ON changelog;
DROP TRIGGER IF EXISTS planner_notify_change ON changelog;
DROP FUNCTION IF EXISTS planner_log_unlogged, planner_notify_change, planner_changelog_author, planner_stamp,
    planner_is_owner;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(FUNCTIONS)
    for table in STAMPED:
        op.execute(TABLE_TRIGGERS.format(table=table))


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table in STAMPED:
        op.execute(f"DROP TRIGGER IF EXISTS planner_stamp ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS planner_log_unlogged ON {table}")
    op.execute(DROPS)
