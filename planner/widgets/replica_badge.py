"""The line under the header of every screen on a laptop copy: a copy of which team
database, when it last synced, how many changes wait to be sent, and how many sync
conflicts wait for a decision (or that a sync is running now).

The app mounts one on each full screen once it knows the database is a laptop copy
(`planner.screens.sync_run`); a team database never shows one. It is docked under the
header, so no screen's own layout has to make room for it. When the line is too
narrow, the wording gets shorter (the team database's path first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual.content import Content
from textual.widget import Widget

from planner.core.i18n import _, ngettext

if TYPE_CHECKING:
    from planner.store.replication import ReplicaStatus


@dataclass(frozen=True)
class BadgeState:
    status: ReplicaStatus
    syncing: bool = False
    today: date | None = None  # the app's day: a sync on that day shows its time alone


def synced_text(synced_at: datetime | None, today: date | None) -> tuple[str, ...]:
    """ "synced 10:42" in local time, with the date when it was not `today` (then a
    shorter form second); "never synced"."""
    if synced_at is None:
        return (_("never synced"),)
    local = (synced_at.replace(tzinfo=UTC) if synced_at.tzinfo is None else synced_at).astimezone()
    if local.date() == today:
        return (_("synced {time}").format(time=f"{local:%H:%M}"),)
    return (
        _("synced {time}").format(time=f"{local:%Y-%m-%d %H:%M}"),
        _("synced {time}").format(time=f"{local:%m-%d %H:%M}"),
    )


def badge_text(state: BadgeState, width: int) -> tuple[str, str]:
    """The text that fits `width` columns, and the conflicts part apart (it is coloured):
    the longest wording that fits, with the place shortened as little as it can be."""
    status = state.status
    remote = status.remote
    folder, slash, name = remote.path.rpartition("/")
    places = [
        _("Laptop copy of {place}").format(place=remote),
        *([_("Laptop copy of {place}").format(place=f"{remote.host}:…/{name}")] if slash and folder else []),
        _("Laptop copy of {place}").format(place=remote.host),
        _("Copy of {place}").format(place=remote.host),
    ]
    if state.syncing:
        times: tuple[str, ...] = (_("syncing with {host}…").format(host=remote.host), _("syncing…"))
    else:
        times = synced_text(status.synced_at, state.today)
    waiting = _("{count} to send").format(count=status.waiting) if status.waiting else _("nothing to send")
    count = status.open_conflicts
    tail = " · " + ngettext("{count} conflict (F)", "{count} conflicts (F)", count).format(count=count) if count else ""
    text = ""
    for where in places:
        for when in times:
            text = f"{where} · {when} · {waiting}"
            if cell_len(text + tail) <= width:
                return text, tail
    return text, tail


class ReplicaBadge(Widget):
    DEFAULT_CSS = """
    ReplicaBadge {
        dock: top; margin-top: 1; height: 1; width: 100%; padding: 0 1;
        background: $primary-muted; color: $text; text-wrap: nowrap; text-overflow: ellipsis;
    }
    ReplicaBadge.-syncing { background: $warning-muted; }
    """

    def __init__(self, state: BadgeState) -> None:
        super().__init__()
        self.state = state
        self.set_class(state.syncing, "-syncing")

    def show(self, state: BadgeState) -> None:
        self.state = state
        self.set_class(state.syncing, "-syncing")
        self.refresh()

    @property
    def plain(self) -> str:
        return self.render().plain

    def render(self) -> Content:
        text, tail = badge_text(self.state, max(self.size.width, 20))
        return Content.assemble(text, Content.styled(tail, "bold $text-warning") if tail else "")

    def on_resize(self) -> None:
        self.refresh()
