"""A form's typed text kept as the rep's draft, and offered back when the form opens.

A second after the last keystroke the form's fields (as typed, checked or not) go to
the database (`Store.keep_draft`), so a dropped SSH connection or a closed laptop lid
loses at most that second. A save or a discard drops the draft; quitting and "take
theirs" keep it. Drafts are best effort: a busy database only means the next
keystroke tries again, and the form still holds the text.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any, Protocol

from textual.timer import Timer

from planner.core.errors import PlannerError
from planner.screens.draft_offer import DraftOffer

if TYPE_CHECKING:
    from planner.app import PlannerApp
    from planner.store.store import Store


class DraftedForm(Protocol):
    form_title: str

    @property
    def planner(self) -> PlannerApp: ...

    @property
    def is_attached(self) -> bool: ...

    def set_timer(self, delay: float, callback: Callable[[], Any]) -> Timer: ...

    def typed_fields(self) -> dict[str, Any]: ...

    def has_unsaved_typing(self) -> bool: ...

    def fill(self, typed: dict[str, Any]) -> None: ...


class DraftKeeper:
    DELAY_S = 1.0

    def __init__(self, form: DraftedForm, key: str):
        self.form = form
        self.key = key
        self._timer: Timer | None = None

    def typed(self) -> None:
        """A field changed: keep the draft once typing pauses."""
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.form.set_timer(self.DELAY_S, self.keep)

    def job(self) -> Callable[[Store], None]:
        """The store call that keeps the draft as the form reads now (nothing, if nothing
        is typed: an earlier draft the rep put off stays): built on the loop, run in a thread."""
        key, title = self.key, self.form.form_title
        if not self.form.has_unsaved_typing():
            return lambda store: None
        typed = self.form.typed_fields()
        return lambda store: store.keep_draft(key, title, typed)

    def keep(self) -> None:
        self._run(self.job())

    def drop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        key = self.key
        self._run(lambda store: store.drop_draft(key))

    def _run(self, job: Callable[[Store], None]) -> None:
        app = self.form.planner

        async def run() -> None:
            # Best effort: the form still holds the text, and the next pause tries again.
            with suppress(PlannerError):
                await asyncio.to_thread(lambda: job(app.store))

        app.run_worker(run(), group="drafts")

    async def offer(self) -> None:
        """If the rep left a draft of this form, ask whether to put it back."""
        app, key = self.form.planner, self.key
        try:
            note = await asyncio.to_thread(lambda: app.store.draft(key))
        except PlannerError:
            return
        if note is None or note.fields == self.form.typed_fields() or not self.form.is_attached:
            return

        def answered(answer: str | None) -> None:
            if answer == "restore":
                self.form.fill(note.fields)
            elif answer == "discard":
                self.drop()

        app.push_screen(DraftOffer(note), answered)
