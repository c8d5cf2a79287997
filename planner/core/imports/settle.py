"""Checks across the records of one set of files, after every file is read: each
person and project needs its account, and the reports-to lines must point at
someone in the files, in the same account, without going round in a circle."""

from __future__ import annotations

from planner.core.i18n import _
from planner.core.imports.records import Batch, Incoming


def settle(batch: Batch, labels: dict[str, str]) -> None:
    """`labels` names the files for messages: kind → e.g. "Account.csv"."""
    accounts = {a.source_id for a in batch.accounts}
    for kind in ("people", "projects"):
        kept = []
        for item in getattr(batch, kind):
            if item.account is None:
                batch.skip(item.where, _("no account given"), item.source_id)
            elif item.account not in accounts:
                why = batch.left_out.get(item.account)
                if why:
                    told = _("account {account} was skipped ({why}); skipped")
                else:
                    told = _("account {account} is not in {file}; skipped")
                batch.problem(item.where, told.format(account=item.account, why=why, file=labels["account"]))
                batch.skip(item.where, _("its account is not imported"), item.source_id)
            else:
                kept.append(item)
        setattr(batch, kind, kept)
    _reports_to(batch, labels["person"])


def _reports_to(batch: Batch, contacts: str) -> None:
    people = {p.source_id: p for p in batch.people}
    for person in batch.people:
        manager_id = person.reports_to
        if manager_id is None:
            continue
        manager = people.get(manager_id)
        if manager is None:
            why = batch.left_out.get(manager_id)
            if why:
                told = _("manager {manager} was skipped ({why}); reports-to line left out")
            else:
                told = _("manager {manager} is not in {file}; reports-to line left out")
            batch.problem(person.where, told.format(manager=manager_id, why=why, file=contacts))
            person.reports_to = None
        elif manager.account != person.account:
            batch.problem(
                person.where,
                _("manager {manager} belongs to another account; reports-to line left out").format(manager=manager_id),
            )
            person.reports_to = None
        elif manager_id == person.source_id:
            batch.problem(person.where, _("reports to themselves; reports-to line left out"))
            person.reports_to = None
    _break_cycles(batch, people)


def _break_cycles(batch: Batch, people: dict[str, Incoming]) -> None:
    """Each person has one manager, so each group of people holds at most one circle:
    follow the lines from each person, and where a walk meets itself, cut the circle
    at its last person in the file (the line a rep most likely added last)."""
    done: set[str] = set()
    order = {p.source_id: index for index, p in enumerate(batch.people)}
    for start in batch.people:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = start.source_id
        while node is not None and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = people[node].reports_to
        if node is not None and node in on_path:
            circle = path[path.index(node) :]
            cut = people[max(circle, key=order.__getitem__)]
            names = " → ".join(people[i].values.get("name", i) for i in [*circle, circle[0]])
            batch.problem(
                cut.where, _("reports-to circle {names}; this person's reports-to line left out").format(names=names)
            )
            cut.reports_to = None
        done.update(path)
