"""Back up and restore a live database with SQLite's backup API, never a file copy.

Copying the `.db` file of a live database (even with its `-wal`) gave corrupt copies
45 times in 60; the backup API gave none (docs/reliability.md). Every copy is checked
with `integrity_check` before anyone relies on it. A restore overwrites the
database in place, so it first makes sure nobody has it open, and keeps what it
replaces; a damaged database (which the backup API cannot read) is kept aside byte
for byte. Every file is inspected read-only first (`connection.inspect_database`):
nothing here touches a file that is not a planner database this planner knows.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from planner.core.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseUnavailable,
    NotPlannerDatabase,
    SchemaTooNew,
)
from planner.core.i18n import _
from planner.store.connection import (
    SQLITE_HEADER,
    file_info,
    inspect_database,
    read_header,
    sqlite_path,
    to_url,
    translate,
)

LOCK_TIMEOUT_S = 0.5


class Restored(NamedTuple):
    database: Path
    replaced: Path | None
    damaged: bool = False  # `replaced` is the damaged file, kept as it was


def database_file(db: str) -> Path:
    """The SQLite file behind a `--db` value; server databases have their own tools."""
    path = sqlite_path(to_url(db))
    if path is None:
        raise DatabaseUnavailable(
            _("{db} is not an SQLite database file; back it up with its server's own tools.").format(db=db)
        )
    return path


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _create_like(path: Path, source: Path) -> None:
    """Create `path` empty with `source`'s mode and, where allowed, its group;
    `FileExistsError` if something is there."""
    info = source.stat()
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    with suppress(PermissionError):  # not in the source's group: the copy keeps ours
        os.chown(path, -1, info.st_gid)
    os.chmod(path, stat.S_IMODE(info.st_mode))


def _check_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise DatabaseUnavailable(_("The folder {folder} does not exist.").format(folder=folder))


def _new_file_like(path: Path, source: Path) -> None:
    _check_folder(path.parent)
    try:
        _create_like(path, source)
    except FileExistsError:
        raise DatabaseUnavailable(_("{path} already exists; choose another name.").format(path=path)) from None


def new_stamped_file(folder: Path, name: str, what: str, source: Path) -> Path:
    """Create `<name>.<what>-STAMP.db` in `folder` like `source`; a second one in the
    same second gets `-2`, `-3`… rather than colliding."""
    _check_folder(folder)
    stem = f"{name}.{what}-{_stamp()}"
    for count in itertools.count(1):
        candidate = folder / (f"{stem}.db" if count == 1 else f"{stem}-{count}.db")
        try:
            _create_like(candidate, source)
        except FileExistsError:
            continue
        return candidate
    raise AssertionError("unreachable")


@contextmanager
def _connect(path: Path, timeout: float = 5.0) -> Iterator[sqlite3.Connection]:
    try:
        with closing(sqlite3.connect(path, timeout=timeout, isolation_level=None)) as connection:
            yield connection
    except sqlite3.Error as error:
        raise translate(error) from error


def _integrity_problem(connection: sqlite3.Connection) -> str | None:
    try:
        rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        return str(error)
    return None if rows == ["ok"] else "; ".join(rows[:3])


def _copy_into(source: sqlite3.Connection, target: Path) -> None:
    """One-step backup (a consistent snapshot) into the empty file `target`, checked,
    as a self-contained file; `target` is removed if anything fails."""
    try:
        with _connect(target) as destination:
            source.backup(destination)
            destination.execute("PRAGMA journal_mode = DELETE")
            problem = _integrity_problem(destination)
        if problem:
            raise DatabaseUnavailable(
                _("The copy at {target} failed its integrity check ({problem}); it was removed.").format(
                    target=target, problem=problem
                )
            )
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def _check_database(db: Path) -> None:
    """`db` is a sound planner database this planner knows (read-only pre-flight)."""
    info = file_info(db)
    if info is None:
        raise DatabaseUnavailable(_("There is no database at {db}.").format(db=db))
    if inspect_database(db).revision is None:
        raise DatabaseUnavailable(_("{db} is empty: there is nothing to back up.").format(db=db))


def backup(db: Path, dest: Path | None = None) -> Path:
    """Copy the live database `db` to `dest` (a file, or a folder for the default name;
    by default `<db>.backup-STAMP.db` beside it)."""
    _check_database(db)
    if dest is not None and not dest.is_dir():
        _new_file_like(dest, db)
        target = dest
    else:
        target = new_stamped_file(dest or db.parent, db.name, "backup", db)
    try:
        with _connect(db) as source:
            _copy_into(source, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return target


def check_backup(path: Path) -> None:
    """Refuse a file that is damaged, is not a planner database, or was written by a
    newer planner; read-only, so a refused backup is left as it was."""
    if file_info(path) is None:
        raise DatabaseUnavailable(_("There is no backup at {path}.").format(path=path))
    if not read_header(path).startswith(SQLITE_HEADER):
        raise NotPlannerDatabase(
            _(
                "{path} is not a planner database (it is not an SQLite file); it was not restored and nothing was "
                "changed."
            ).format(path=path)
        )
    try:
        facts = inspect_database(path, full=True)  # a backup is about to be relied on: check it whole
    except DatabaseDamaged:
        raise DatabaseDamaged(
            _(
                "{path} is damaged (it failed SQLite's integrity check); it was not restored and nothing was changed."
            ).format(path=path)
        ) from None
    except SchemaTooNew:
        raise SchemaTooNew(
            _(
                "{path} was written by a newer version of the planner; upgrade the planner to restore it (it was "
                "not restored and nothing was changed)."
            ).format(path=path)
        ) from None
    except NotPlannerDatabase:
        facts = None
    if facts is None or facts.revision is None:
        raise NotPlannerDatabase(
            _("{path} is not a planner database backup; it was not restored and nothing was changed.").format(path=path)
        )


def _lock_alone(connection: sqlite3.Connection, db: Path) -> None:
    """Hold `db` exclusively until `connection` closes, or raise if anyone has it open.

    In WAL mode an idle connection holds no lock a `BEGIN EXCLUSIVE` would meet, but
    leaving WAL needs every other connection gone: so the switch to a rollback
    journal is the test, and the exclusive locking mode keeps newcomers out."""
    busy = DatabaseBusy(
        _(
            "{db} is in use: a planner (or another program) has it open. Close every planner using it "
            "and try again; nothing was changed."
        ).format(db=db)
    )
    try:
        connection.execute("PRAGMA locking_mode = EXCLUSIVE")
        mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("COMMIT")
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise busy from None
        raise
    if mode != "delete":
        raise busy


def restore(backup_file: Path, db: Path) -> Restored:
    """Replace `db` with `backup_file`, keeping the old one as `<db>.replaced-STAMP.db`
    (or, if it is damaged, its bytes as they were as `<db>.damaged-STAMP.db`)."""
    check_backup(backup_file)
    info = file_info(db)
    if info is not None and db.samefile(backup_file):
        raise DatabaseUnavailable(_("The backup and the database are the same file; nothing was changed."))
    existed = info is not None and info.st_size > 0
    if existed:
        try:
            inspect_database(db)
        except DatabaseDamaged:
            return _restore_over_damaged(backup_file, db)
    elif info is None:
        _new_file_like(db, backup_file)
    with _connect(db, timeout=LOCK_TIMEOUT_S) as target:
        _lock_alone(target, db)
        replaced = new_stamped_file(db.parent, db.name, "replaced", db) if existed else None
        if replaced:
            _copy_into(target, replaced)
        with _connect(backup_file) as source:
            source.backup(target)
        # A source in WAL mode (an upgrade's copy, a database file) brings its header
        # along; saying DELETE again keeps the exclusive lock from leaving a -journal.
        target.execute("PRAGMA journal_mode = DELETE")
        problem = _integrity_problem(target)
    if problem:
        raise DatabaseUnavailable(
            _("The restored database failed its integrity check ({problem}); see {replaced}.").format(
                problem=problem, replaced=replaced
            )
        )
    return Restored(db, replaced)


def _sidecars(db: Path) -> list[Path]:
    return [side for suffix in ("-wal", "-shm", "-journal") if (side := Path(f"{db}{suffix}")).exists()]


def _restore_over_damaged(backup_file: Path, db: Path) -> Restored:
    """Keep the damaged file's bytes aside (the backup API cannot read it), then put a
    checked copy of the backup in its place with one rename; refused, untouched and
    leaving nothing behind, while anyone has the database open."""
    aside = new_stamped_file(db.parent, db.name, "damaged", db)
    made = [aside]
    try:
        _replace_damaged(backup_file, db, aside, made)
    except BaseException as error:
        for path in made:
            path.unlink(missing_ok=True)
        if isinstance(error, sqlite3.Error):
            raise translate(error) from error
        raise
    return Restored(db, aside, damaged=True)


def _replace_damaged(backup_file: Path, db: Path, aside: Path, made: list[Path]) -> None:
    """The steps of `_restore_over_damaged`; every file made is listed in `made`
    until the rename, so a failure removes them all."""
    shutil.copyfile(db, aside)  # first: locking it rewrites its header (WAL → rollback journal)
    if Path(f"{db}-wal").exists():
        made.append(Path(f"{aside}-wal"))
        shutil.copyfile(f"{db}-wal", made[-1])
    with closing(sqlite3.connect(db, timeout=LOCK_TIMEOUT_S, isolation_level=None)) as lock:
        try:
            _lock_alone(lock, db)
        except sqlite3.DatabaseError as error:
            if isinstance(translate(error), DatabaseBusy) or _sidecars(db):
                raise
            # SQLite cannot read the file at all, so nobody can be using it: go on unlocked.
        fresh = new_stamped_file(db.parent, f".{db.name}", "restoring", db)
        made.append(fresh)
        with _connect(backup_file) as source:
            _copy_into(source, fresh)
        os.replace(fresh, db)
        made.clear()  # done: the damaged copy stays


def set_aside(db: Path) -> Path:
    """Back up `db` beside it (`<db>.backup-STAMP.db`) and delete it; refused while
    anyone has it open. Returns the backup."""
    with _connect(db, timeout=LOCK_TIMEOUT_S) as connection:
        _lock_alone(connection, db)  # also leaves WAL: no -wal or -shm stays behind
        target = new_stamped_file(db.parent, db.name, "backup", db)
        _copy_into(connection, target)
        db.unlink()
    return target
