"""Running one store change off the event loop, the same way for screens and forms.

The change runs in a thread. If it is still waiting after half a second (another
rep holds the write lock), `on_slow` is told so the rep sees why nothing happened
yet. A form that is discarded meanwhile sets `cancel`: the store then rolls the
change back instead of committing it (`planner.store.connection.WRITE_CANCEL`).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from planner.core.i18n import N_, _
from planner.store.connection import WRITE_CANCEL

if TYPE_CHECKING:
    from planner.app import PlannerApp
    from planner.store.store import Store

T = TypeVar("T")
SLOW_S = 0.5
WAITING = N_("Saving… waiting for another rep's save")


async def run_write(
    app: PlannerApp,
    change: Callable[[Store], T],
    *,
    on_slow: Callable[[str], None],
    cancel: threading.Event | None = None,
) -> T:
    """`change(app.store)` in a thread; raises what the store raises."""

    def job() -> T:
        token = WRITE_CANCEL.set(cancel)
        try:
            return change(app.store)
        finally:
            WRITE_CANCEL.reset(token)

    task = asyncio.ensure_future(asyncio.to_thread(job))
    done, _pending = await asyncio.wait({task}, timeout=SLOW_S)
    if not done:
        on_slow(_(WAITING))
    return await task
