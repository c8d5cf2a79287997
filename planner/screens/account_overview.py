"""One account: its profile and derived figures, projects, purchases with the
forecast, and the visit log. Opened with Enter from the customer list or agenda."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from planner.core import models as m
from planner.core.analysis import next_class
from planner.core.formatting import money, one_line
from planner.core.overview import Overview, project_stages
from planner.screens.account_form import AccountForm
from planner.screens.base import AccountScreen
from planner.screens.confirm import Confirm
from planner.screens.record_form import RecordForm
from planner.screens.visit_form import VisitForm
from planner.widgets.account_profile import AccountProfile
from planner.widgets.account_records import (
    TABS,
    forecast_text,
    project_cells,
    purchase_cells,
    record_label,
    visit_cells,
)
from planner.widgets.key_footer import KeyFooter
from planner.widgets.record_table import RecordTable

if TYPE_CHECKING:
    from planner.store.store import Store

Industries = list[tuple[str, str]]
OUTCOMES = ("won", "lost")
"""How a project ends: set explicitly (W, L), never reached by stepping."""
STEPS = tuple(stage for stage in m.PROJECT_STAGES if stage not in OUTCOMES)
"""The stages `[` and `]` move a project along: potential → incubating → producing."""


class AccountOverviewScreen(AccountScreen[tuple[Overview, Industries]]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="account-back", tooltip="Back to the previous screen"),
        Binding("e", "edit_account", "Account", id="account-edit-account", tooltip="Edit the account's profile"),
        Binding("n", "new", "New", id="account-new-item", tooltip="Add to the open tab (a visit from the profile)"),
        Binding(
            "d", "delete", "Delete", id="account-delete-item", tooltip="Delete the highlighted project/purchase/visit"
        ),
        Binding(
            "right_square_bracket",
            "stage(1)",
            "Stage →",
            id="account-stage-next",
            show=False,
            tooltip="Move the highlighted project on: potential → incubating → producing",
        ),
        Binding(
            "left_square_bracket",
            "stage(-1)",
            "← Stage",
            id="account-stage-back",
            show=False,
            tooltip="Move the highlighted project back a stage; reopen a won or lost one (asks)",
        ),
        Binding(
            "W",
            "outcome('won')",
            "Won",
            id="account-project-won",
            show=False,
            tooltip="Mark the highlighted project won (asks)",
        ),
        Binding(
            "L",
            "outcome('lost')",
            "Lost",
            id="account-project-lost",
            show=False,
            tooltip="Mark the highlighted project lost (asks)",
        ),
        Binding("c", "cycle_class", "Class", id="account-class", show=False, tooltip="Change class: A → B → C → A"),
        Binding(
            "t",
            "take_purchases",
            "Take purchases",
            id="account-take-purchases",
            show=False,
            tooltip="Set this year's revenue to the sum of this year's purchases (asks)",
        ),
        Binding("o", "analysis('org-chart')", "Org", id="account-org-chart", tooltip="Units and people"),
        Binding("s", "analysis('stakeholders')", "People", id="account-stakeholders", tooltip="Key people by layer"),
        Binding("w", "analysis('competitors')", "Competitors", id="account-competitors", tooltip="Competitor notes"),
        Binding("b", "analysis('battle-plan')", "Plan", id="account-battle-plan", tooltip="SWOT, goals, action board"),
        Binding(
            "v",
            "analysis('brief')",
            "Visit brief",
            id="account-brief",
            show=False,
            tooltip="One page to read (and print) before visiting the account",
        ),
        Binding(
            "h",
            "history",
            "History",
            id="account-history",
            show=False,
            tooltip="Change log of the highlighted row/account",
        ),
        Binding(
            "u",
            "deleted",
            "Deleted",
            id="account-deleted",
            show=False,
            tooltip="Deleted records of the account, to restore",
        ),
        Binding("r", "reload", "Reload", id="account-reload", show=False, tooltip="Read the database again"),
        Binding("1", "tab('profile')", "Profile", id="account-tab-profile", show=False, tooltip="Show the profile"),
        Binding("2", "tab('projects')", "Projects", id="account-tab-projects", show=False, tooltip="Show the projects"),
        Binding("3", "tab('purchases')", "Purchases", id="account-tab-purchases", show=False, tooltip="Show purchases"),
        Binding("4", "tab('visits')", "Visits", id="account-tab-visits", show=False, tooltip="Show the visit log"),
    ]

    def __init__(self, account_id: str, tab: str = "profile", record_id: str | None = None):
        """`tab` is the tab shown first (profile, projects, purchases or visits) and
        `record_id` the row its list lands on (a visit the agenda opened it for)."""
        super().__init__(account_id)
        self.initial_tab = tab if tab in ("profile", *TABS) else "profile"
        self._land_on = record_id
        self.overview: Overview | None = None
        self.industries: Industries = []

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tabs", initial=self.initial_tab):
            with TabPane("1 Profile", id="profile"), VerticalScroll():
                yield AccountProfile("Loading…", id="profile-text")
            with TabPane("2 Projects", id="projects"):
                yield Static("", id="stage-values", markup=False)
                yield RecordTable(
                    ("Project", "Stage", "Amount", "Prob.", "Expected", "Funding"),
                    project_cells,
                    id="projects-table",
                )
            with TabPane("3 Purchases", id="purchases"):
                yield Static("", id="forecast", markup=False)
                yield RecordTable(("Date", "Amount", "Product / description"), purchase_cells, id="purchases-table")
            with TabPane("4 Visits", id="visits"):
                yield RecordTable(
                    ("Date", "Purpose", "Commitment", "Next step", "By", "Met"), self._visit_cells, id="visits-table"
                )
        yield KeyFooter()

    def fetch(self, store: Store) -> tuple[Overview, Industries]:
        return store.overview(self.account_id, self.today()), store.industry_choices()

    def apply(self, data: tuple[Overview, Industries], keep: Any) -> None:
        overview, self.industries = data
        keep, self._land_on = keep or self._land_on, None
        self.overview = overview
        self.sub_title = f"{overview.account.name} · class {overview.account.account_class}"
        self.query_one(AccountProfile).show(overview)
        # No-break spaces inside a stage's figures: a narrow screen wraps between stages only.
        stages = [
            f"{stage}\u00a0{n}\u00a0·\u00a0{money(amount)}" for stage, n, amount in project_stages(overview.projects)
        ]
        self.query_one("#stage-values", Static).update("   ".join(stages) + "   ([ ] stage · W won · L lost)")
        self.query_one("#forecast", Static).update(forecast_text(overview))
        self._table("projects").show(overview.projects, keep)
        self._table("purchases").show(overview.purchases, keep)
        self._table("visits").show(overview.visits, keep)

    def _visit_cells(self, v: m.Visit) -> list[str | Text]:
        return visit_cells(v, self.overview.met.get(v.id, []) if self.overview else [])

    def _table(self, tab: str) -> RecordTable:
        return self.query_one(f"#{tab}-table", RecordTable)

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Delete acts on a tab's list, so it rests on the profile. The stage keys stay
        live everywhere and say where they work."""
        if action == "delete":
            return self.active_tab in TABS
        return True

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated)
    def _tab_shown(self) -> None:
        """Keys act on the tab's own list: enter edits its highlighted row, d deletes it."""
        tab = self.active_tab
        self.refresh_bindings()
        if tab in TABS:
            self.call_after_refresh(self._table(tab).focus)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_analysis(self, route: str) -> None:
        """Open one of the account's analyses."""
        self.open(route, self.account_id)

    def action_history(self) -> None:
        tab = self.active_tab
        record = self._table(tab).current if tab in TABS else None
        if record is not None:
            spec = TABS[tab]
            self.open("history", spec.model, record.id, f"History of {spec.noun} {record_label(record)}")
            return
        name = self.overview.account.name if self.overview else "the account"
        self.open("history", m.Account, self.account_id, f"History of {name}")

    def action_deleted(self) -> None:
        self.open("deleted", self.account_id)

    def action_edit_account(self) -> None:
        if self.overview:
            self.app.push_screen(AccountForm(self.overview.account, self.industries), self._saved)

    def action_new(self) -> None:
        tab = self.active_tab if self.active_tab in TABS else "visits"
        self._open(tab, None)

    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        table = event.data_table
        if isinstance(table, RecordTable) and table.current is not None:
            self._open((table.id or "").removesuffix("-table"), table.current)

    def _open(self, tab: str, record: Any | None) -> None:
        if self.overview is None:
            return
        spec, account_id, overview = TABS[tab], self.account_id, self.overview
        noun = spec.noun
        title = f"Edit {noun}" if record else f"New {noun} for {overview.account.name}"
        form: RecordForm
        if spec.model is m.Visit:
            met = [person_id for person_id, _ in overview.met.get(record.id, [])] if record else []
            initial = record.model_dump() if record else {"visited_on": self.today()}

            def save_visit(store: Store, values: dict[str, Any]) -> m.Visit:
                changes = dict(values)
                people = changes.pop("people", None)
                if record:
                    return store.save_visit(record.id, record.version, people, **changes)
                return store.save_visit(None, None, people, account_id=account_id, **{**initial, **changes})

            form = VisitForm(title, initial, overview.people, met, save_visit)
        elif record:
            form = RecordForm(
                title, spec.model, spec.fields, record.model_dump(),
                lambda store, values: store.update(spec.model, record.id, record.version, **values),
            )  # fmt: skip
        else:
            defaults = dict(spec.defaults)
            form = RecordForm(
                title, spec.model, spec.fields, defaults,
                lambda store, values: store.create(spec.model, account_id=account_id, **{**defaults, **values}),
            )  # fmt: skip
        self.app.push_screen(form, self._saved)

    def _saved(self, result: Any | None) -> None:
        if result is not None:
            self.notify("Saved.")
            self.reload(getattr(result, "id", None))

    def action_delete(self) -> None:
        tab = self.active_tab
        record = self._table(tab).current if tab in TABS else None
        if record is None:
            self.notify("Open the projects, purchases or visits tab and highlight what to delete.")
            return
        spec = TABS[tab]

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda store: store.delete(spec.model, record.id, record.version))

        self.app.push_screen(
            Confirm(
                f"Delete the {spec.noun} “{record_label(record)}”? It can be restored from the history.",
                yes="Delete",
            ),
            answered,
        )

    def _highlighted_project(self) -> m.Project | None:
        """The project on the projects table's cursor row, or None (saying why)."""
        if self.active_tab != "projects":
            self.notify("Open the projects tab (2) and highlight a project first.")
            return None
        project = self._table("projects").current
        if project is None:
            self.notify("No project yet: n adds one.")
        return project

    def _set_stage(self, project: m.Project, stage: str, again: Callable[[], None] | None = None) -> None:
        self.write(
            lambda store: store.update(m.Project, project.id, project.version, stage=stage),
            keep=project.id,
            success=f"“{one_line(project.name, 40)}” is now {stage}.",
            again=again,
        )

    def action_stage(self, step: int) -> None:
        """Move the highlighted project along potential → incubating → producing. Won
        and lost are outcomes, not steps: W and L set them, `[` reopens (asks)."""
        if self.wait_turn(lambda: self.action_stage(step)):
            return
        project = self._highlighted_project()
        if project is None:
            return
        name = one_line(project.name, 40)
        if project.stage in OUTCOMES:
            if step > 0:
                self.notify(f"“{name}” is {project.stage}: [ reopens it as producing.")
                return
            question = f"Reopen “{name}” ({project.stage}) as producing?"

            def answered(yes: bool | None) -> None:
                if yes:
                    self._set_stage(project, STEPS[-1])

            self.app.push_screen(Confirm(question, yes="Reopen"), answered)
            return
        at = STEPS.index(project.stage) if project.stage in STEPS else 0
        moved = at + step
        if moved >= len(STEPS):
            self.notify("A producing project ends as won (W) or lost (L).")
        elif moved < 0:
            self.notify(f"“{name}” is at the first stage, {STEPS[0]}.")
        else:
            self._set_stage(project, STEPS[moved], again=lambda: self.action_stage(step))

    def action_outcome(self, outcome: str) -> None:
        """Mark the highlighted project won or lost, after asking."""
        project = self._highlighted_project()
        if project is None:
            return
        name = one_line(project.name, 40)
        if project.stage == outcome:
            self.notify(f"“{name}” is already {outcome}; [ reopens it as producing.")
            return
        instead = f" instead of {project.stage}" if project.stage in OUTCOMES else ""
        question = f"Mark “{name}” as {outcome}{instead}? Won and lost close a project; [ reopens it."

        def answered(yes: bool | None) -> None:
            if yes:
                self._set_stage(project, outcome)

        self.app.push_screen(Confirm(question, yes=outcome.capitalize()), answered)

    def action_cycle_class(self) -> None:
        if self.overview:
            a = self.overview.account
            self.write(
                lambda store: store.update(m.Account, a.id, a.version, account_class=next_class(a.account_class)),
                again=self.action_cycle_class,
            )

    def action_take_purchases(self) -> None:
        """Set the revenue to the sum of this year's purchases, after showing old → new."""
        if self.overview is None:
            return
        a, bought = self.overview.account, self.overview.purchased_this_year
        if round(a.revenue) == round(bought):
            self.notify(f"Revenue already equals this year's purchases ({money(bought)}).")
            return
        question = (
            f"Set the revenue of “{one_line(a.name, 40)}” this year to the sum of this year's purchases: "
            f"{money(a.revenue)} → {money(bought)}?"
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(
                    lambda store: store.update(m.Account, a.id, a.version, revenue=bought),
                    success=f"Revenue is now {money(bought)}.",
                )

        self.app.push_screen(Confirm(question, yes="Set revenue"), answered)
