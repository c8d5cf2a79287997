"""The agenda: what to do today and this week, in the method's priority order.

The store decides what is due and in which order (`Store.agenda`), and
`planner.core.agenda` splits that order into headed runs; this screen draws them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from planner.core.agenda import NOT_DONE, OPENS_ON, follow_up_title, option_id, sections
from planner.core.analysis import AgendaItem
from planner.core.errors import PlannerError
from planner.core.i18n import N_, _, ngettext
from planner.core.models import Action, Record, Visit
from planner.screens.base import PlannerScreen
from planner.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from planner.store.store import Store

BADGE_STYLE = {"A": "bold $text-success", "B": "bold $text-accent", "C": "bold $text-muted"}
KIND_STYLE = {"action": "", "follow-up": "$text-primary", "stale": "italic $text-warning"}
DONE_BY: dict[str, tuple[type[Record], str, Any]] = {
    "action": (Action, "status", "done"),
    "follow-up": (Visit, "next_step_done", True),
}
"""What `x` sets for each kind of line that can be marked done."""
KINDS = {"action": N_("action"), "follow-up": N_("follow-up"), "stale": N_("stale")}
"""A line's kind as the agenda shows it (the codes stay in the data)."""
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
          N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"))  # fmt: skip
NO_CONTACT = re.compile(r"No contact for (\d+) days?")


def _kind(kind: str) -> str:
    return _(KINDS[kind]) if kind in KINDS else kind


def day_text(day: date) -> str:
    """The agenda's day: "Thu 03 Dec 2026" ("2026年12月03日 周四" in Chinese)."""
    return _("{weekday} {day:02d} {month} {year}").format(
        weekday=_(WEEKDAYS[day.weekday()]), day=day.day, month=_(MONTHS[day.month - 1]), year=day.year
    )


def title_text(item: AgendaItem) -> str:
    """A line's title in the interface's language: the rep's own words stay as typed; a
    stale account's, which the store writes in English, is translated."""
    if item.kind == "stale":
        if item.title == "Never contacted":
            return _("Never contacted")
        found = NO_CONTACT.fullmatch(item.title)
        if found:
            days = int(found.group(1))
            return ngettext("No contact for {count} day", "No contact for {count} days", days).format(count=days)
    return item.title


def _changed(record: Record, item: AgendaItem) -> bool:
    """A follow-up whose step or date was edited since the agenda was read."""
    shown = (item.due, item.title)
    return isinstance(record, Visit) and (record.next_step_date, follow_up_title(record.next_step)) != shown


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
        self.kind = Content.styled(_kind(item.kind), KIND_STYLE.get(item.kind, ""))
        self.title = Content(title_text(item))
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


class AgendaScreen(PlannerScreen[list[AgendaItem]]):
    """Today and this week for the rep; reads and writes go through thread workers."""

    TITLE = N_("Agenda")
    BINDINGS = [
        # Priority, so the list's own (hidden) enter binding does not shadow it in the footer.
        Binding(
            "enter",
            "open_account",
            N_("Open"),
            id="agenda-open",
            tooltip=N_("Open the account of this line (a follow-up on its visits tab)"),
            priority=True,
        ),
        Binding(
            "x",
            "mark_done",
            N_("Done"),
            id="agenda-done",
            tooltip=N_("Mark the highlighted action or visit follow-up done"),
        ),
        Binding("r", "reload", N_("Reload"), id="agenda-reload", tooltip=N_("Read the agenda from the database again")),
        Binding("escape", "app.pop_screen", N_("Back"), id="agenda-back", tooltip=N_("Go back to the previous screen")),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, AgendaItem] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield OptionList(id="agenda")
        yield Static(_("Nothing due this week"), id="agenda-empty")
        yield Static(_("Loading the agenda…"), id="agenda-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = _(self.TITLE)
        self.sub_title = day_text(self.today())
        self.query_one("#agenda-empty").display = False

    def fetch(self, store: Store) -> list[AgendaItem]:
        return store.agenda(self.today())

    def load_failed(self, error: PlannerError) -> None:
        self.notify(str(error), title=_("Agenda not loaded"), severity="error")

    def apply(self, data: list[AgendaItem], keep: Any) -> None:
        items, today = data, self.today()
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
        status = _("{count} to do · {overdue} overdue (!) · A first: even a cooked duck can fly away").format(
            count=len(items), overdue=overdue
        )
        self.query_one("#agenda-status", Static).update(status if items else _("All clear for this week."))

    def highlighted(self) -> AgendaItem | None:
        option = self.query_one("#agenda", OptionList).highlighted_option
        return self.items.get(option.id) if option and option.id else None

    def open_item(self, item: AgendaItem | None) -> None:
        """A follow-up opens its account on the visits tab, on its visit."""
        if item is None:
            return
        tab = OPENS_ON.get(item.kind)
        if tab is None:
            self.open("account", item.account_id)
        else:
            self.open("account", item.account_id, tab, item.ref_id)

    def action_open_account(self) -> None:
        self.open_item(self.highlighted())

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A click on a line opens its account, like enter."""
        self.open_item(self.items.get(event.option.id or ""))

    def action_mark_done(self) -> None:
        item = self.highlighted()
        if item is None:
            self.notify(_("Nothing to mark done."), severity="warning")
        elif item.kind not in DONE_BY:
            why = (
                _(NOT_DONE[item.kind])
                if item.kind in NOT_DONE
                else _("A {kind} line cannot be marked done.").format(kind=_kind(item.kind))
            )
            self.notify(why, severity="warning")
        else:
            self.mark_done(item)

    def mark_done(self, item: AgendaItem) -> None:
        """Reads the record's version at the moment of the write, so it only conflicts
        if someone saves it in between; a follow-up whose step changed meanwhile is
        left alone (the reload shows the new one)."""
        model, done_field, done_value = DONE_BY[item.kind]

        def done(store: Store) -> str:
            record = store.get(model, item.ref_id)
            who = record.updated_by or _("someone")
            shown = title_text(item)
            if getattr(record, done_field) == done_value:
                return _("“{title}” was already marked done by {who}.").format(title=shown, who=who)
            if _changed(record, item):
                return _("The follow-up “{title}” was changed by {who} meanwhile; the agenda shows the latest.").format(
                    title=shown, who=who
                )
            store.update(model, record.id, record.version, **{done_field: done_value})
            return _("Done: {title}").format(title=shown)

        self.write(done, success=lambda message: message)
