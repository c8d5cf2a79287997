"""The yardstick for start-up: a minimal Textual app (Header, Static, Footer).

`bench_startup.py` times how long this takes to show its text in a real terminal,
and how long the planner takes to show its filled customer list, in the same run.
"""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("minimal app ready")
        yield Footer()


if __name__ == "__main__":
    Minimal().run()
