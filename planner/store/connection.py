"""Database files and driver connections, with nothing heavier than `sqlite3`.

Everything here is needed before the ORM is: where a `--db` value points, whether
the file is usable (`inspect_database`, the read-only pre-flight that runs before
any connection that could change the file), how a driver error reads to a rep, and
how every SQLite connection is set up. SQLAlchemy's engine makes its connections
with `connect_sqlite` too, so the settings that keep reps' edits safe
(docs/reliability.md) live in one place.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
import threading
from contextlib import closing
from contextvars import ContextVar
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote, unquote, urlsplit

from planner.core.errors import (
    DatabaseBusy,
    DatabaseDamaged,
    DatabaseUnavailable,
    NotPlannerDatabase,
    PlannerError,
    SchemaTooNew,
    WriteCancelled,
)
from planner.core.i18n import N_, _

BUSY_TIMEOUT_MS = 5000
JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024
"""Bytes the WAL is cut back to once a checkpoint lets it restart: without a limit a
long-open reader lets it grow (298 MB beside a 36 MB database) and it stays that size."""
SQLITE_HEADER = b"SQLite format 3\x00"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008", "0009")
"""Every schema revision this planner can open (a test holds it to the migrations);
any other stamp was written by a newer planner."""
PLANNER_TABLES = frozenset({"alembic_version", "account"})
_SQLITE_URL = re.compile(r"^sqlite(?:\+pysqlite)?://(?:/(?P<database>[^?]*))?(?:\?.*)?$")


WRITE_CANCEL: ContextVar[threading.Event | None] = ContextVar("planner_write_cancel", default=None)
"""Set by whoever runs a write that the rep may still withdraw (a form's save that
waits for a busy database): once the event is set, the write rolls back instead of
committing."""


def check_not_cancelled() -> None:
    """Raise `WriteCancelled` if the running write was withdrawn; called last thing
    before every commit, while the write lock is held."""
    cancel = WRITE_CANCEL.get()
    if cancel is not None and cancel.is_set():
        raise WriteCancelled(_("The change was withdrawn before it was saved; nothing was written."))


def to_url(db: str | os.PathLike) -> str:
    """Accept a plain path or a database URL (`sqlite:///…`, `postgresql://…`)."""
    text = os.fspath(db)
    if "://" in text:
        return text
    try:
        resolved = Path(text).expanduser().resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError on a loop
        raise DatabaseUnavailable(_(_LOOP).format(path=text)) from None
    return "sqlite:///" + quote(str(resolved), safe="/")


_LOOP = N_("{path} is a symbolic link that leads back to itself (a loop); give the database file itself.")
_KINDS_OF_FILE = {
    stat.S_IFIFO: N_("a named pipe"),
    stat.S_IFSOCK: N_("a socket"),
    stat.S_IFCHR: N_("a device"),
    stat.S_IFBLK: N_("a device"),
}


def file_info(path: Path) -> os.stat_result | None:
    """`stat` of an existing regular file, None when nothing is there; a folder, a
    pipe, a device or a symbolic-link loop is refused (reading a FIFO would hang)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            raise DatabaseUnavailable(
                _("{path} is a symbolic link to a file that does not exist.").format(path=path)
            ) from None
        return None
    except OSError as error:
        if error.errno == 40:  # ELOOP
            raise DatabaseUnavailable(_(_LOOP).format(path=path)) from None
        raise DatabaseUnavailable(
            _("{path} cannot be opened: {reason}.").format(path=path, reason=error.strerror or error)
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise DatabaseUnavailable(_("{path} is a folder, not a database file.").format(path=path))
    if not stat.S_ISREG(info.st_mode):
        kind = _(_KINDS_OF_FILE.get(stat.S_IFMT(info.st_mode), N_("not a file")))
        raise DatabaseUnavailable(
            _("{path} is not a regular file but {kind}; give a database file.").format(path=path, kind=kind)
        )
    return info


def database_label(url: str) -> str:
    """The database's short name for a title: the file's name, or the server database's."""
    path = sqlite_path(url)
    if path is not None:
        return path.name
    return urlsplit(url).path.strip("/") or url


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL; None for in-memory and server databases."""
    found = _SQLITE_URL.match(url)
    if found is None or not found["database"] or found["database"] == ":memory:":
        return None
    return Path(unquote(found["database"]))


def prepare_sqlite_file(path: Path, mode: int = 0o600) -> None:
    """Check the file is usable before SQLite sees it; create it with `mode`.

    SQLite would create a missing file 0644 minus umask (world-readable notes about
    customers) and report a missing folder or a read-only file only at the first
    write, as a bare driver error.
    """
    folder = path.parent
    if not folder.is_dir():
        raise DatabaseUnavailable(
            _("The folder {folder} does not exist; create it or choose another --db.").format(folder=folder)
        )
    if file_info(path) is None:
        if not os.access(folder, os.W_OK):
            raise DatabaseUnavailable(_("Cannot create {path}: the folder is read-only for you.").format(path=path))
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode))
        return
    if not os.access(path, os.R_OK):
        raise DatabaseUnavailable(_("{path} cannot be read: you have no permission to open it.").format(path=path))
    if not os.access(path, os.W_OK) or not os.access(folder, os.W_OK):
        raise DatabaseUnavailable(
            _("{path} is read-only for you: the planner needs to write to the file and its folder.").format(path=path)
        )
    header = read_header(path)
    if header and not header.startswith(SQLITE_HEADER):
        raise NotPlannerDatabase(_(_NOT_SQLITE).format(path=path))


_NOT_SQLITE = N_("{path} is not a planner database (it is not an SQLite file); nothing was changed.")
_OTHER_PROGRAM = N_("{path} is an SQLite database of another program, not a planner database; nothing was changed.")


def read_header(path: Path) -> bytes:
    """The first 100 bytes (SQLite's file header), read without SQLite."""
    with path.open("rb") as handle:
        return handle.read(100)


class Facts(NamedTuple):
    """What the read-only pre-flight found in a database file."""

    revision: str | None  # None: a new (empty) file, the planner creates its tables
    seeded: bool  # the reference data (industries) is there
    kind: str | None  # `planner_meta.kind`: "demo", "team", or None when not recorded


NEW_FILE = Facts(None, False, None)


def inspection_connection(path: Path) -> sqlite3.Connection:
    """A connection that only reads `path` and leaves nothing behind.

    A read-only (`mode=ro`) connection to a WAL database creates its `-wal` and `-shm`
    and, being read-only, cannot remove them when it closes. So when the file is in
    WAL mode and no `-wal` is there (nobody has it open), the inspection uses a
    read-write connection that runs no write (`query_only`): as the last connection
    it removes both files on close, and the database file is not written. Otherwise
    (a rollback journal, or a WAL already in use) `mode=ro` creates nothing.
    """
    header = read_header(path)
    wal = len(header) >= 20 and 2 in header[18:20]
    uri = path.absolute().as_uri()
    timeout = BUSY_TIMEOUT_MS / 1000
    if wal and not Path(f"{path}-wal").exists():
        if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
            connection = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA query_only = ON")
            return connection
        return sqlite3.connect(uri + "?immutable=1", uri=True, isolation_level=None, check_same_thread=False)
    return sqlite3.connect(uri + "?mode=ro", uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)


def newest_backup(path: Path) -> Path | None:
    """The newest copy of `path` the planner made beside it (`planner backup`, or the
    copy taken before a schema upgrade)."""
    found = [*path.parent.glob(f"{path.name}.backup-*.db"), *path.parent.glob(f"{path.name}.before-*.bak")]
    readable = [(candidate.stat().st_mtime, candidate) for candidate in found if candidate.is_file()]
    return max(readable)[1] if readable else None


def damaged(path: Path) -> DatabaseDamaged:
    """The one line for a database that failed its integrity check."""
    newest = newest_backup(path)
    if newest:
        told = _(
            "{path} is damaged (it failed SQLite's integrity check) and was not changed; put the newest backup "
            "back with: planner restore {newest} --db {path}"
        )
    else:
        told = _(
            "{path} is damaged (it failed SQLite's integrity check) and was not changed; no backup was found "
            "beside it, so put one made elsewhere back with: planner restore BACKUP --db {path}"
        )
    return DatabaseDamaged(told.format(path=path, newest=newest))


def too_new(path: Path, revision: str) -> SchemaTooNew:
    return SchemaTooNew(
        _(
            "{path} was written by a newer version of the planner (schema {revision}). "
            "Upgrade the planner to open it; the file was not changed."
        ).format(path=path, revision=revision)
    )


def _facts(connection: sqlite3.Connection, path: Path) -> Facts:
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables:
        return NEW_FILE
    if not PLANNER_TABLES.issubset(tables):
        raise NotPlannerDatabase(_(_OTHER_PROGRAM).format(path=path))
    found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    if not found or not found[0]:
        raise NotPlannerDatabase(_(_OTHER_PROGRAM).format(path=path))
    revision = found[0]
    if revision not in KNOWN_REVISIONS:
        raise too_new(path, revision)
    seeded = "industry" in tables and connection.execute("SELECT 1 FROM industry LIMIT 1").fetchone() is not None
    kind = None
    if "planner_meta" in tables:
        row = connection.execute("SELECT value FROM planner_meta WHERE key = 'kind'").fetchone()
        kind = row[0] if row else None
    return Facts(revision, seeded, kind)


def check_integrity(connection: sqlite3.Connection, path: Path, *, full: bool = False) -> None:
    """Raise `DatabaseDamaged` unless SQLite's `quick_check` (or the full
    `integrity_check`) comes back clean; both only read."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = connection.execute(f"PRAGMA {pragma}").fetchall()
    except sqlite3.DatabaseError as error:
        problem = translate(error)
        raise (problem if isinstance(problem, DatabaseBusy) else damaged(path)) from error
    if rows != [("ok",)]:
        raise damaged(path)


def inspect_database(path: Path, *, integrity: bool = True, full: bool = False) -> Facts:
    """The read-only pre-flight: decide whether `path` is a database this planner may
    open before anything can change it (a read-write connection switches a rollback
    journal to WAL, a migration writes tables).

    A new or empty file is fine (the planner creates its tables); a planner database
    at a revision this planner knows is fine; anything else raises with one line and
    the file exactly as it was: a newer planner's database (`SchemaTooNew`), another
    program's SQLite file, a file that is not SQLite, and, with `integrity`, one that
    fails `PRAGMA quick_check` (`DatabaseDamaged`; with `full`, the slower and
    stricter `integrity_check`).
    """
    info = file_info(path)
    if info is None or info.st_size == 0:
        return NEW_FILE
    header = read_header(path)
    if not header.startswith(SQLITE_HEADER):
        raise NotPlannerDatabase(_(_NOT_SQLITE).format(path=path))
    if len(header) < 100:
        raise damaged(path)
    try:
        with closing(inspection_connection(path)) as connection:
            facts = _facts(connection, path)
            if integrity and facts.revision is not None:
                check_integrity(connection, path, full=full)
    except sqlite3.DatabaseError as error:
        problem = translate(error)
        if isinstance(problem, DatabaseBusy) or "read-only" in str(problem):
            raise problem from error
        raise damaged(path) from error
    return facts


_BUSY_STATES = frozenset({"55P03", "40001", "40P01"})  # lock timeout, serialization failure, deadlock


def _server_problem(original: BaseException) -> PlannerError | None:
    """A PostgreSQL error (psycopg names it by SQLSTATE) in a rep's words; None when
    the error is not one of these."""
    state = getattr(original, "sqlstate", None)
    text = str(original)
    if state in _BUSY_STATES:
        return DatabaseBusy(
            _("The database is busy: another rep is saving. Nothing was changed; try again in a moment.")
        )
    if state == "42501":
        return DatabaseUnavailable(
            _("The team database does not let your role do that; nothing was changed. ({error})").format(error=text)
        )
    if state is None and type(original).__module__.startswith("psycopg") and "connection" in text.lower():
        reason = text.strip().splitlines()[0]
        if "FATAL:" in reason:  # the server answered: no such database or role, or not allowed in
            return DatabaseUnavailable(
                _("The PostgreSQL server refused the connection: {reason}.").format(
                    reason=reason.split("FATAL:", 1)[1].strip()
                )
            )
        return DatabaseUnavailable(
            _("Cannot reach the PostgreSQL server (is it running, and is the address right?): {error}").format(
                error=reason
            )
        )
    return None


def translate(error: BaseException) -> PlannerError:
    """Turn a driver error (bare or wrapped by SQLAlchemy) into a sentence a rep understands."""
    original = getattr(error, "orig", None) or error
    if (server := _server_problem(original)) is not None:
        return server
    text = str(original).lower()
    if "locked" in text or "busy" in text:
        return DatabaseBusy(
            _("The database is busy: another rep is saving. Nothing was changed; try again in a moment.")
        )
    if "readonly" in text or "read-only" in text:
        return DatabaseUnavailable(_("The database is read-only for you; nothing was changed."))
    if "not a database" in text or "malformed" in text:
        return DatabaseUnavailable(_("The database file is damaged or not a planner database."))
    if "unable to open" in text:
        return DatabaseUnavailable(_("The database file cannot be opened (check its folder and permissions)."))
    if "disk" in text and ("full" in text or "i/o" in text):
        return DatabaseUnavailable(_("The disk is full or failing; nothing was changed."))
    return DatabaseUnavailable(_("The database reported an error: {error}").format(error=original))


def connect_sqlite(path: Path | str, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite3.Connection:
    """A connection that begins its transactions only when told to (`BEGIN` or
    `BEGIN IMMEDIATE`: the driver's own implicit transactions lose concurrent edits),
    waits for a busy database, writes through a WAL with full syncs and enforces
    foreign keys."""
    connection = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False)
    try:
        connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute(f"PRAGMA journal_size_limit = {int(JOURNAL_SIZE_LIMIT)}")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        connection.close()
        raise
    return connection
