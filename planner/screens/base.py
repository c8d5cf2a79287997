"""One lifecycle for every screen: load → apply, and write.

A screen says what to read (`fetch`, run in a thread with the store) and how to show
it (`apply`, on the event loop). `reload` asks for a fresh read: requests made in
the same moment are served by one read, a result that arrives after a newer read
started (or after the screen closed) is dropped, and applies never overlap, so a
redraw that awaits (mounting cards) cannot meet a second one half-way.

Every change goes through `write`: the store call runs in a thread, the screen says
"Saving…" if it waits, a second write while one is in flight is refused (or, for
quick keys, queued and replayed against the reloaded data), the store's refusals
read the same everywhere, and the screen reloads afterwards. Each load notes the
change-log number its data reflects, so a screen reloads when it comes back on top
after something changed, and the app's poll reloads it for other reps' saves only.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from textual.screen import Screen
from textual.widgets import Static

from planner.core.errors import Conflict, DatabaseDamaged, NotFound, PlannerError, ValidationError
from planner.core.i18n import _
from planner.screens.navigation import Open
from planner.screens.writing import run_write

if TYPE_CHECKING:
    from planner.app import PlannerApp
    from planner.store.opening import Opening
    from planner.store.store import Store

DataT = TypeVar("DataT")
T = TypeVar("T")


def refusal(error: PlannerError) -> str:
    """A store refusal as one sentence, without the field names it is keyed by."""
    if isinstance(error, ValidationError):
        return " ".join(error.errors.values())
    if isinstance(error, Conflict):
        return _("{error} The screen now shows the latest; do it again if it still applies.").format(error=error)
    return str(error)


class HoldsTyping:
    """A screen holding text the rep typed and has not saved (a form): quitting keeps it
    as a draft first."""

    def draft_job(self) -> Callable[[Store], None]:
        """The store call that keeps what is typed now as a draft (run in a thread)."""
        raise NotImplementedError


class SavingNotice(Static):
    """Shown over the footer while a write waits for the database."""

    DEFAULT_CSS = """
    SavingNotice {
        dock: bottom; height: 1; width: 100%; padding: 0 1;
        background: $warning-muted; color: $text; text-style: bold;
        display: none;
    }
    """


class PlannerScreen(Screen[Any], Generic[DataT]):
    """Base of every full screen; see the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self.data: DataT | None = None
        self.loaded_seq = -1
        self._generation = 0
        self._keep: Any = None
        self._reload_requested = False
        self._applying = asyncio.Lock()
        self._writing = False
        self._settling = False
        self._queued: list[Callable[[], None]] = []

    # --- typed access to the app ------------------------------------------------------

    @property
    def planner(self) -> PlannerApp:
        return self.app  # type: ignore[return-value]

    @property
    def store(self) -> Store:
        """The store; use it in `fetch` and in write functions (they run in threads)."""
        return self.planner.store

    def today(self) -> date:
        return self.planner.today()

    def open(self, route: str, *args: Any, then: Callable[[Any], None] | None = None) -> None:
        """Open another screen by its name in the registry (`planner.screens.navigation`)."""
        self.post_message(Open(route, args, then))

    # --- what a screen provides -------------------------------------------------------

    def fetch(self, store: Store) -> DataT:
        """Read what the screen shows (in a thread)."""
        raise NotImplementedError

    def apply(self, data: DataT, keep: Any) -> Awaitable[None] | None:
        """Show `data` (on the event loop); `keep` is what `reload` asked to land on."""
        raise NotImplementedError

    def load_failed(self, error: PlannerError) -> None:
        """The read was refused (a busy or missing database, a deleted record)."""
        self.notify(str(error), title=_("Not loaded"), severity="error")

    # --- load → apply ---------------------------------------------------------------------

    def on_mount(self) -> None:
        self.mount(SavingNotice())
        self.reload()

    def reload(self, keep: Any = None) -> None:
        """Read again (soon, once, however many ask now) and land on `keep` if given."""
        if keep is not None:
            self._keep = keep
        if not self._reload_requested:
            self._reload_requested = True
            self.call_next(self._start_load)

    def action_reload(self) -> None:
        self.reload()

    def _start_load(self) -> None:
        self._reload_requested = False
        self._generation += 1
        keep, self._keep = self._keep, None
        self.run_worker(self._load(self._generation, keep), group="load")

    async def _load(self, generation: int, keep: Any) -> None:
        opening = self.planner.opening
        try:
            seq, data = await asyncio.to_thread(self.snapshot, opening)
        except DatabaseDamaged as error:
            self.planner.cannot_go_on(error)
            return
        except PlannerError as error:
            if generation == self._generation and self.is_attached:
                self._settling = False
                self._queued.clear()
                self.load_failed(error)
            return
        async with self._applying:
            if generation != self._generation or not self.is_attached:
                return
            self.loaded_seq = seq
            self.data = data
            shown = self.apply(data, keep)
            if inspect.isawaitable(shown):
                await shown
        self._settled()

    def snapshot(self, opening: Opening) -> tuple[int, DataT]:
        """The change-log number and the data (in a thread). The number is read first: a
        write in between only means one more reload. The customer list overrides this
        to read before the store is built."""
        store = opening.store
        seq = store.latest_change()
        return seq, self.fetch(store)

    def on_screen_resume(self) -> None:
        """Back on top: read again if anything was saved meanwhile (here or by others)."""
        if self.planner.latest_change_known() > self.loaded_seq >= 0:
            self.reload()

    def changed_elsewhere(self, latest: int) -> None:
        """The app's poll saw the change log reach `latest`: reload unless every change
        since this screen's read is one of this rep's own (which reload by themselves)."""
        if latest > self.loaded_seq >= 0 and not self.planner.own_changes_cover(self.loaded_seq, latest):
            self.reload()

    def read_then(self, job: Callable[[Store], T], then: Callable[[T], None]) -> None:
        """Run a read the screen needs beyond its data (a record to edit, a file to
        write) in a thread, then hand the result to `then`; refusals are shown."""
        self.run_worker(self._read_job(job, then), group="read")

    async def _read_job(self, job: Callable[[Store], T], then: Callable[[T], None]) -> None:
        app = self.planner
        try:
            result = await asyncio.to_thread(lambda: job(app.store))
        except PlannerError as error:
            self.notify(str(error), severity="error", timeout=8)
            return
        if self.is_attached:
            then(result)

    # --- writes -----------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        """A write is running, or its reload has not been applied yet."""
        return self._writing or self._settling

    def wait_turn(self, again: Callable[[], None]) -> bool:
        """While a write is busy, queue `again` (a key's action, replayed against the
        reloaded data) and say so; a key that computes its change first asks this first."""
        if self.busy:
            self._queued.append(again)
            return True
        return False

    def write(
        self,
        change: Callable[[Store], T],
        *,
        keep: Any = None,
        success: str | Callable[[T], str] | None = None,
        again: Callable[[], None] | None = None,
    ) -> None:
        """Run `change(store)` in a thread, then reload landing on `keep`. While another
        write is busy, `again` (the key's action) is queued and replayed once the screen
        shows the result; without it the rep is told to wait."""
        if again is not None and self.wait_turn(again):
            return
        if self.busy:
            self.notify(_("Still saving your last change; try again in a moment."), severity="warning")
            return
        self._writing = True
        # The app runs it, not the screen: a rep who leaves the screen meanwhile still
        # hears how the write ended.
        self.planner.run_worker(self._write(change, keep, success), group="write")

    async def _write(self, change: Callable[[Store], T], keep: Any, success: Any) -> None:
        notice = self.query_one(SavingNotice)
        app = self.planner
        try:
            result = await run_write(app, change, on_slow=lambda text: self._saving(notice, text))
        except PlannerError as error:
            self._queued.clear()  # they were meant for what the rep saw before the refusal
            self.write_failed(error)
            keep = None
        else:
            if success is not None:
                app.notify(success(result) if callable(success) else success)
        finally:
            notice.display = False
            self._writing = False
        if self.is_attached:
            self._settling = True
            self.reload(keep)

    @staticmethod
    def _saving(notice: SavingNotice, text: str) -> None:
        notice.update(text)
        notice.display = True

    def write_failed(self, error: PlannerError) -> None:
        """A write was refused; the screen reloads after, to show what is stored."""
        if isinstance(error, NotFound):
            self.notify(str(error), severity="error", timeout=8)
        else:
            self.notify(refusal(error), severity="error", timeout=8)

    def _settled(self) -> None:
        self._settling = False
        if self._queued and not self._writing:
            self._queued.pop(0)()


class AccountScreen(PlannerScreen[DataT]):
    """A screen about one account: when another rep deletes the account while it is
    open, the screen says so and closes."""

    def __init__(self, account_id: str):
        super().__init__()
        self.account_id = account_id

    def load_failed(self, error: PlannerError) -> None:
        if isinstance(error, NotFound):
            self.notify(str(error), severity="error")
            self.dismiss(None)
        else:
            super().load_failed(error)
