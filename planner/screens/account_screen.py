"""What every screen about one account shares: its id, writes run off the event loop
with refusals shown as messages, and closing with a message when someone else
deleted the account while the screen was open."""

from __future__ import annotations

from textual import work
from textual.screen import Screen

from planner.errors import PlannerError


class AccountScreen(Screen):
    def __init__(self, account_id: str):
        super().__init__()
        self.account_id = account_id

    def _gone(self, message: str) -> None:
        self.notify(message, severity="error")
        self.dismiss(None)

    @work(thread=True, group="write")
    def _write(self, change) -> None:
        """Run one store change (a function of the store), then reload the screen."""
        try:
            change(self.app.store)
        except PlannerError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
        self.app.call_from_thread(self.action_reload)
