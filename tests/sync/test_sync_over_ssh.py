"""`planner clone` and `planner sync` over real OpenSSH: the loopback sshd (tests/sshd.py)
logs in as the current user and runs `planner sync-serve` on a team database made by
`planner demo`: an SQLite file, or a PostgreSQL database that the far side reaches as
the cluster's superuser over its Unix socket (a rep would as their own role). The
remote side gets none of this test's environment, so its command names Python by
absolute path and carries its own XDG folders (in tmp_path), or it would read and write
the real user's planner files."""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from replicas import content, open_conflicts

from planner.cli import main
from planner.core import models as m
from planner.store.startup import open_store
from planner.store.store import Store

pytestmark = pytest.mark.slow


@contextmanager
def opened(path: Path | str) -> Iterator[Store]:
    store = open_store(str(path))
    try:
        yield store
    finally:
        store.db.close()


def planner(capsys, *args: str) -> str:
    """Run a command that must succeed; its stdout."""
    code = main(list(args))
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), err
    return out


@pytest.mark.parametrize("first", ["one", "two"])
def test_two_laptops_synced_over_ssh_in_either_order_end_identical_with_the_conflicts_on_both(
    loopback_ssh, database_url, tmp_path, capsys, first
):
    team = database_url
    planner(capsys, "demo", "--no-open", "--db", team)
    remote_planner = shlex.join(
        [
            "env", f"XDG_DATA_HOME={tmp_path / 'remote-data'}", f"XDG_CONFIG_HOME={tmp_path / 'remote-config'}",
            sys.executable, "-m", "planner",
        ]
    )  # fmt: skip
    laptops = {name: tmp_path / f"{name}.db" for name in ("one", "two")}
    for path in laptops.values():
        out = planner(
            capsys, "clone", f"{loopback_ssh.alias}:{team}", "--db", str(path),
            "--ssh-command", loopback_ssh.ssh_command, "--remote-planner", remote_planner,
        )  # fmt: skip
        assert out.startswith(f"Cloned {loopback_ssh.alias}:{team} to {path} (")
    with opened(team) as server:
        same, apart, gone = sorted(server.list(m.Account), key=lambda account: account.name)[:3]

    # Offline: the same field on both; different fields of one account; a delete against an edit.
    with opened(laptops["one"]) as one:
        one.update(m.Account, same.id, same.version, region="East")
        one.update(m.Account, apart.id, apart.version, profit=4242.0)
        one.delete(m.Account, gone.id, gone.version)
    with opened(laptops["two"]) as two:
        two.update(m.Account, same.id, same.version, region="West")
        two.update(m.Account, apart.id, apart.version, notes="Met the new CIO")
        two.update(m.Account, gone.id, gone.version, revenue=555.0)
    waiting = {}  # the delete takes the account's people, projects, visits... with it
    for name, path in laptops.items():
        with opened(path) as store:
            status = store.replica_status()
            assert status is not None
            waiting[name] = status.waiting

    order = [first, "two" if first == "one" else "one"]
    reports = [planner(capsys, "sync", "--db", str(laptops[name])) for name in order + order]
    sent = waiting[order[0]]
    assert reports[0] == f"Synced: sent {sent}, received 0, merged {sent}, conflicts 0\n"
    assert reports[1].startswith(f"Synced: sent {waiting[order[1]]}, received ")
    assert reports[1].endswith(", conflicts 2\nOpen the Conflicts screen (F in the planner) to decide what to keep.\n")
    assert reports[2].startswith("Synced: sent 0, received ") and reports[3].startswith("Synced: sent 0, received 0,")

    copies = {"team": team, **laptops}
    contents = {}
    for name, path in copies.items():
        with opened(path) as store:
            contents[name] = content(store)
            got = store.get(m.Account, apart.id)
            assert (got.profit, got.notes) == (4242.0, "Met the new CIO"), name
            assert store.get(m.Account, same.id).region in ("East", "West")
            assert gone.id not in {account.id for account in store.list(m.Account)}
            conflicts = sorted(open_conflicts(store), key=lambda conflict: conflict.kind)
            assert [(c.kind, c.row_id) for c in conflicts] == [("deleted", gone.id), ("field", same.id)], name
            assert {json.loads(conflicts[1].kept), json.loads(conflicts[1].other)} == {"East", "West"}
            assert json.loads(conflicts[0].other) == {"revenue": 555.0}
    assert contents["team"] == contents["one"] == contents["two"]
    for name in order:
        assert planner(capsys, "sync", "--db", str(laptops[name])).startswith("Synced: sent 0, received 0,")

    # The team's history shows the laptop rep's offline edit: theirs, at the time they made it.
    history = planner(capsys, "history", apart.id, "--db", str(team)).splitlines()
    laptop_edit = [line for line in history if "Profit" in line and "4,242" in line]
    assert laptop_edit and f"  {loopback_ssh.user}  changed  " in laptop_edit[0], history[:5]
    assert laptop_edit[0] in planner(capsys, "history", apart.id, "--db", str(laptops["one"])).splitlines()
