"""The agenda: what to do today and this week, in the method's priority order.

The core (`reports.agenda`) decides what is due and in which order: A before B before
C ("even a cooked duck can fly away"), overdue first within a class. This screen only
splits that order into headed runs and never re-sorts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import groupby

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.css.styles import RulesMap
from textual.screen import Screen
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from planner import reports
from planner.analysis import CLASS_STAGES, AgendaItem
from planner.errors import PlannerError
from planner.models import Action

STAGE = dict(CLASS_STAGES)
OVERDUE, TODAY, THIS_WEEK = "Overdue", "Today", "This week"
BADGE_STYLE = {"A": "bold $text-success", "B": "bold $text-accent", "C": "bold $text-muted"}
KIND_STYLE = {"action": "", "follow-up": "$text-primary", "stale": "italic $text-warning"}
NOT_DONE = {"follow-up": "a visit follow-up", "stale": "a stale account"}


# --- pure helpers (no Textual objects) --------------------------------------------------


def band(item: AgendaItem, today: date) -> str:
    """Which part of the week an item belongs to."""
    if item.overdue(today):
        return OVERDUE
    return TODAY if item.due == today else THIS_WEEK


@dataclass(frozen=True)
class Section:
    account_class: str
    band: str
    items: tuple[AgendaItem, ...]

    @property
    def heading(self) -> str:
        stage = STAGE.get(self.account_class, "other")
        return f"{self.account_class} · {stage} — {self.band} ({len(self.items)})"


def sections(items: list[AgendaItem], today: date) -> list[Section]:
    """Consecutive runs of the core's order sharing a class and a band. Because the core
    sorts overdue first and then by date within a class, each class falls into at most
    Overdue, Today, This week, and concatenating the sections gives back `items`."""
    return [
        Section(cls, when, tuple(run))
        for (cls, when), run in groupby(items, key=lambda item: (item.account_class, band(item, today)))
    ]


def option_id(item: AgendaItem) -> str:
    """Unique per line: a stale account and its follow-up share an account, not a ref."""
    return f"{item.kind}:{item.ref_id}"


# --- one line -------------------------------------------------------------------------------


class AgendaLine(Visual):
    """An agenda line laid out in columns at the list's current width, so every line
    aligns and the account and title give way (with an ellipsis) on narrow terminals."""

    FIXED = 3 + 1 + 1 + 9 + 1 + 1 + 12  # badge, gaps, kind, due

    def __init__(self, item: AgendaItem, today: date):
        overdue = item.overdue(today)
        due = item.due.isoformat() if item.due else ""
        self.badge = Content.styled(f" {item.account_class} ", BADGE_STYLE.get(item.account_class, ""))
        self.account = Content(item.account_name)
        self.kind = Content.styled(item.kind, KIND_STYLE.get(item.kind, ""))
        self.title = Content(item.title)
        # The "!" carries the meaning; the colour only repeats it.
        self.due = Content.styled(f"! {due}", "bold $text-error") if overdue else Content(due)

    def line(self, width: int) -> Content:
        flexible = max(width - self.FIXED, 10)
        account = flexible * 2 // 5
        return Content.assemble(
            self.badge,
            " ",
            self.account.truncate(account, ellipsis=True, pad=True),
            " ",
            self.kind.truncate(9, pad=True),
            " ",
            self.title.truncate(flexible - account, ellipsis=True, pad=True),
            " ",
            self.due.right(12),
        )

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        return self.line(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.FIXED + self.account.cell_length + self.title.cell_length

    def get_height(self, rules: RulesMap, width: int) -> int:
        return 1


# --- the screen -----------------------------------------------------------------------------


class AgendaScreen(Screen):
    """Today and this week for the rep; reads and writes go through thread workers."""

    TITLE = "Agenda"
    BINDINGS = [
        # Priority, so the list's own (hidden) enter binding does not shadow it in the footer.
        Binding(
            "enter", "open_account", "Open", id="agenda-open", tooltip="Open the account of this line", priority=True
        ),
        Binding("x", "mark_done", "Done", id="agenda-done", tooltip="Mark the highlighted action done"),
        Binding("r", "reload", "Reload", id="agenda-reload", tooltip="Read the agenda from the database again"),
        Binding("escape", "app.pop_screen", "Back", id="agenda-back", tooltip="Go back to the previous screen"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, AgendaItem] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield OptionList(id="agenda")
        yield Static("Nothing due this week", id="agenda-empty")
        yield Static("Loading the agenda…", id="agenda-status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.app.today():%a %d %b %Y}"
        self.query_one("#agenda-empty").display = False
        self.load()

    @work(thread=True, exclusive=True, group="agenda-read")
    def load(self) -> None:
        today = self.app.today()
        try:
            items = reports.agenda(self.app.store, today)
        except PlannerError as error:
            self.app.call_from_thread(self.notify, str(error), title="Agenda not loaded", severity="error")
            return
        self.app.call_from_thread(self.show, items, today)

    def show(self, items: list[AgendaItem], today: date) -> None:
        listing = self.query_one("#agenda", OptionList)
        previous = listing.highlighted or 0
        self.items = {option_id(item): item for item in items}
        options: list[Option] = []
        for section in sections(items, today):
            options.append(Option(Content(section.heading), disabled=True))
            options.extend(Option(AgendaLine(item, today), id=option_id(item)) for item in section.items)
        listing.set_options(options)
        listing.display = bool(items)
        self.query_one("#agenda-empty").display = not items
        enabled = [index for index, option in enumerate(options) if not option.disabled]
        if enabled:
            # Keep the cursor where it was, so marking an action done moves on to the next.
            listing.highlighted = next((i for i in enabled if i >= previous), enabled[-1])
            listing.focus()
        overdue = sum(item.overdue(today) for item in items)
        status = f"{len(items)} to do · {overdue} overdue (!) · A first: even a cooked duck can fly away"
        self.query_one("#agenda-status", Static).update(status if items else "All clear for this week.")

    def highlighted(self) -> AgendaItem | None:
        option = self.query_one("#agenda", OptionList).highlighted_option
        return self.items.get(option.id) if option and option.id else None

    def open(self, item: AgendaItem | None) -> None:
        if item is None:
            return
        from planner.screens.account_overview import AccountOverviewScreen  # lazy: built alongside

        self.app.push_screen(AccountOverviewScreen(item.account_id))

    def action_open_account(self) -> None:
        self.open(self.highlighted())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click on a line opens its account, like enter."""
        self.open(self.items.get(event.option.id or ""))

    def action_mark_done(self) -> None:
        item = self.highlighted()
        if item is None:
            self.notify("Nothing to mark done.", severity="warning")
        elif item.kind != "action":
            self.notify(
                f"Only actions can be marked done; this line is {NOT_DONE.get(item.kind, item.kind)}.",
                severity="warning",
            )
        else:
            self.mark_done(item)

    @work(thread=True, group="agenda-write")
    def mark_done(self, item: AgendaItem) -> None:
        """Reads the action's version at the moment of the key press, so the write only
        conflicts if someone saves it in between; any refusal becomes a notification."""
        app = self.app  # kept: the rep may close the screen before the write ends
        try:
            action = app.store.get(Action, item.ref_id)
            if action.status == "done":
                message = f"“{item.title}” was already marked done by {action.updated_by or 'someone'}."
            else:
                app.store.update(Action, action.id, action.version, status="done")
                message = f"Done: {item.title}"
            app.call_from_thread(app.notify, message)
        except PlannerError as error:
            app.call_from_thread(app.notify, str(error), title="Not marked done", severity="warning")
        app.call_from_thread(self.action_reload)

    def action_reload(self) -> None:
        """Also runs when a write ends, which may be after the rep left this screen."""
        if self.is_attached:
            self.load()
