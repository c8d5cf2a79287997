"""A database shared by a team of reps on one machine: folder, group and modes.

SQLite creates a new file 0644 minus umask, so a teammate gets "attempt to write a
readonly database" (docs/reliability.md). A team database therefore lives in a setgid
folder (2770) owned by the team's group, is pre-created 0660 in that group, and
every planner that opens it runs with a umask that keeps group write and drops
world access, so the files made beside it (`-wal`, `-shm`, backups) stay usable by
the group and private to it. SQLite's locking does not hold on network
filesystems, so those are refused outright.
"""

from __future__ import annotations

import grp
import os
import re
import stat
from pathlib import Path
from typing import NamedTuple

from planner.core.errors import DatabaseUnavailable
from planner.core.i18n import _
from planner.store.connection import SQLITE_HEADER, file_info, sqlite_path

FOLDER_MODE = 0o2770
FILE_MODE = 0o660
TEAM_UMASK = 0o007
NETWORK_FILESYSTEMS = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs"})


class TeamDatabase(NamedTuple):
    path: Path
    group: str
    created_folder: bool


def parse_mounts(text: str) -> list[tuple[str, str]]:
    """(mount point, filesystem type) per line of /proc/mounts; octal escapes (\\040) decoded."""
    mounts = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 3:
            point = re.sub(r"\\([0-7]{3})", lambda found: chr(int(found[1], 8)), parts[1])
            mounts.append((point, parts[2]))
    return mounts


def read_mounts() -> list[tuple[str, str]]:
    """The machine's mounts; empty where there is no /proc (nothing to check against)."""
    try:
        return parse_mounts(Path("/proc/mounts").read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return []


def filesystem_of(path: Path) -> str | None:
    """The type of the filesystem holding `path` (or its nearest existing folder)."""
    here = path.absolute()
    while not here.exists() and here != here.parent:
        here = here.parent
    here = here.resolve()
    best: tuple[int, str] | None = None
    for point, kind in read_mounts():
        mount = Path(point)
        if (mount == here or mount in here.parents) and (best is None or len(mount.parts) >= best[0]):
            best = (len(mount.parts), kind)
    return best[1] if best else None


def check_local(path: Path) -> None:
    kind = filesystem_of(path)
    if kind in NETWORK_FILESYSTEMS:
        raise DatabaseUnavailable(
            _(
                "{path} is on a network filesystem ({kind}): SQLite's locking is not safe there and the "
                "database would be corrupted; put it on a local disk of the server."
            ).format(path=path, kind=kind)
        )


def is_team_database(path: Path) -> bool:
    """Whether `path` is shared by a team: group-writable, as `init-team` makes it."""
    try:
        return bool(path.stat().st_mode & stat.S_IWGRP)
    except OSError:
        return False


def use_team_umask(path: Path) -> int | None:
    """If `path` is a team database (group-writable), set the process umask so what
    SQLite and the planner create beside it stays group-writable; returns the old one."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if not mode & stat.S_IWGRP:
        return None
    return os.umask(TEAM_UMASK)


def _group_id(group: str) -> int:
    try:
        return grp.getgrnam(group).gr_gid
    except KeyError:
        raise DatabaseUnavailable(
            _(
                "There is no group {group!r} on this machine: create it (groupadd {group}) and add the reps to it."
            ).format(group=group)
        ) from None


_URL = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://")


def team_path(text: str) -> Path:
    """The file a team database goes in: a plain path, or the path an `sqlite:///…`
    URL names; any other URL is refused (a folder named `mysql:` helps nobody; the CLI
    hands a `postgresql://` URL to `team_server`)."""
    found = _URL.match(text)
    if found is None:
        return Path(text).expanduser().absolute()
    scheme = found["scheme"].lower().split("+")[0]
    if scheme == "sqlite":
        path = sqlite_path(text)
        if path is None or "?" in text:
            raise DatabaseUnavailable(_("{text} names no database file; give init-team a file path.").format(text=text))
        return path.expanduser().absolute()
    raise DatabaseUnavailable(
        _(
            "init-team takes a file path, not a {scheme} URL (the planner does not support {scheme} databases); "
            "give a path such as /srv/planner/team.db."
        ).format(scheme=scheme)
    )


def _check_new_file(path: Path) -> None:
    info = file_info(path)  # refuses a folder, a pipe, a symbolic-link loop
    if info is None or info.st_size == 0:
        return
    with path.open("rb") as handle:
        is_sqlite = handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    if is_sqlite:
        told = _("{path} already exists and holds a database; init-team only creates new databases.")
    else:
        told = _(
            "{path} already exists and holds data that is not a planner database; init-team only creates new databases."
        )
    raise DatabaseUnavailable(told.format(path=path))


def _check_folder(folder: Path, group: str, gid: int) -> None:
    info = folder.stat()
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o007:
        raise DatabaseUnavailable(
            _(
                "The folder {folder} is open to every user (mode {mode:04o}): run `chgrp {group} {folder} && "
                "chmod 2770 {folder}`, or name a new folder; init-team creates it 2770."
            ).format(folder=folder, mode=mode, group=group)
        )
    if info.st_gid != gid or mode & 0o2770 != 0o2770:
        raise DatabaseUnavailable(
            _(
                "The folder {folder} is not a setgid folder of group {group}: run `chgrp {group} {folder} && "
                "chmod 2770 {folder}`, or name a new folder."
            ).format(folder=folder, group=group)
        )


def _make_folder(folder: Path, group: str, gid: int) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.mkdir(mode=0o700)
    try:
        os.chown(folder, -1, gid)
    except PermissionError:
        folder.rmdir()
        raise DatabaseUnavailable(
            _("You cannot give {folder} to group {group}: you are not a member of it.").format(
                folder=folder, group=group
            )
        ) from None
    os.chmod(folder, FOLDER_MODE)


def prepare_team_file(path: str | os.PathLike, group: str) -> TeamDatabase:
    """Create the empty file of a team database at `path` for `group` (its folder too,
    if new); refuse anything unsafe. `startup.init_team` then migrates it."""
    target = team_path(os.fspath(path))
    gid = _group_id(group)
    check_local(target)
    _check_new_file(target)
    folder = target.parent
    created = not folder.exists()
    if created:
        _make_folder(folder, group, gid)
    else:
        _check_folder(folder, group, gid)
    if not target.exists():
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))
    os.chown(target, -1, gid)
    os.chmod(target, FILE_MODE)
    return TeamDatabase(target, group, created)
