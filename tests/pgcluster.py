"""A throwaway PostgreSQL cluster for the tests and benchmarks that run on both backends.

`Cluster.start(folder)` runs the machine's own `initdb` and `pg_ctl` (Debian keeps them in
/usr/lib/postgresql/NN/bin, off PATH) into `folder`, listening on a Unix socket in that
folder and on no TCP port. Local connections are trusted, so a test can connect as any
role it made, as each rep would on a team server with peer authentication.

Running it here (found out on Debian 12 with PostgreSQL 15, as root):

* initdb and postgres refuse to run as root. As root, the cluster runs as the `postgres`
  system user (Debian's package creates it), so its folder must be one that user can
  reach: pytest's tmp_path (under /tmp/pytest-of-root, mode 0700) is not, so the folder
  is made under /tmp and handed to `postgres`.
* fsync is off for the tests (a test cluster is thrown away); the benchmarks start it
  `durable`, as a team server runs, so its saves are measured against SQLite's full syncs.
* `NOT_INSTALLED` is the reason the fixture gives when no server binaries are found.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

NOT_INSTALLED = "PostgreSQL's server (initdb, pg_ctl) is not installed: apt-get install postgresql"
START_TIMEOUT = 30
SERVICE_USER = "postgres"


def server_bin() -> Path | None:
    """The folder holding initdb and pg_ctl: on PATH, else Debian's newest version."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    return versions[-1].parent if versions else None


@dataclass
class Cluster:
    folder: Path
    bin: Path
    owner: str | None  # the system user the server runs as, when that is not us

    @property
    def socket_dir(self) -> Path:
        return self.folder / "socket"

    def url(self, database: str = "postgres", role: str = SERVICE_USER) -> str:
        """A psycopg URL over the Unix socket, as `role`."""
        return f"postgresql+psycopg://{role}@/{database}?host={self.socket_dir}"

    def _run(self, *command: str) -> subprocess.CompletedProcess:
        argv = [str(self.bin / command[0]), *command[1:]]
        if self.owner:
            argv = ["runuser", "-u", self.owner, "--", *argv]
        return subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120)

    @classmethod
    def start(cls, folder: Path | None = None, *, durable: bool = False) -> Cluster:
        binaries = server_bin()
        if binaries is None:
            raise FileNotFoundError(NOT_INSTALLED)
        owner = SERVICE_USER if os.geteuid() == 0 else None
        folder = folder or Path(tempfile.mkdtemp(prefix="planner-pg-"))
        cluster = cls(folder, binaries, owner)
        cluster.socket_dir.mkdir(parents=True, exist_ok=True)
        if owner:
            record = pwd.getpwnam(owner)
            for path in (folder, cluster.socket_dir):
                os.chown(path, record.pw_uid, record.pw_gid)
        data = folder / "data"
        made = cluster._run(
            "initdb", "-D", str(data), "-U", SERVICE_USER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"
        )
        if made.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{made.stderr}")
        fsync = "fsync=on" if durable else "fsync=off"
        settings = ("listen_addresses=''", f"unix_socket_directories='{cluster.socket_dir}'", fsync)
        options = " ".join(f"-c {setting}" for setting in (*settings, "max_connections=200"))
        started = cluster._run(
            "pg_ctl",
            "-D",
            str(data),
            "-l",
            str(folder / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            str(START_TIMEOUT),
            "start",
        )
        if started.returncode != 0:
            log = (folder / "server.log").read_text(errors="replace") if (folder / "server.log").exists() else ""
            raise RuntimeError(f"pg_ctl start failed:\n{started.stderr}\n{log}")
        return cluster

    def psql(self, sql: str, database: str = "postgres", role: str = SERVICE_USER) -> str:
        """Run `sql` with psql as `role`; its output, or RuntimeError with psql's message."""
        done = subprocess.run(
            [
                str(self.bin / "psql"),
                "-h",
                str(self.socket_dir),
                "-U",
                role,
                "-d",
                database,
                "-XAtq",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                sql,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip())
        return done.stdout.strip()

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)
