"""The Textual app: thin on purpose. Screens do the work; the store is injected."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from planner.screens.customer_list import CustomerListScreen
from planner.store import Store


class PlannerApp(App):
    TITLE = "planner"
    CSS_PATH = "planner.tcss"
    BINDINGS = [Binding("q", "quit", "Quit", id="quit", tooltip="Leave the planner")]

    def __init__(self, store: Store):
        super().__init__()
        self.store = store

    def on_mount(self) -> None:
        self.sub_title = self.store.db.url.rsplit("/", 1)[-1]
        self.push_screen(CustomerListScreen())


def make_app(store: Store) -> PlannerApp:
    return PlannerApp(store)
