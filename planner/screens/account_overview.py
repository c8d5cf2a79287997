"""One account: its profile and derived figures, projects, purchases with the
forecast, and the visit log. Opened with Enter from the customer list or agenda."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from planner import models as m
from planner import reports
from planner.errors import NotFound
from planner.formatting import industry_choices, money
from planner.screens.account_screen import AccountScreen
from planner.screens.customer_list import ACCOUNT_FIELDS, NEXT_CLASS
from planner.screens.visit_form import VisitForm
from planner.widgets.account_profile import AccountProfile
from planner.widgets.confirm import Confirm
from planner.widgets.record_form import RecordForm
from planner.widgets.record_table import RecordTable


def _day(value) -> str:
    return value.isoformat() if value else "—"


def _label(record: m.Project | m.Purchase | m.Visit) -> str:
    """How a history title names a listed record: a project by its name, a purchase
    or a visit by its day and what it was about (one line of at most 40 characters)."""
    if isinstance(record, m.Project):
        return record.name
    if isinstance(record, m.Purchase):
        day, about = record.purchased_on, record.description
    else:
        day, about = record.visited_on, record.purpose
    about = " ".join(about.split())
    return f"{_day(day)} {about if len(about) <= 40 else about[:39] + '…'}".rstrip()


@dataclass(frozen=True)
class ListTab:
    """A tab listing one kind of the account's records."""

    model: type[m.Record]
    noun: str
    fields: tuple[str, ...]
    defaults: tuple[tuple[str, Any], ...] = ()


TABS = {
    "projects": ListTab(
        m.Project, "project",
        ("name", "description", "amount", "funding_source", "procurement_method", "expected_date", "stage",
         "probability"),
        (("stage", "potential"), ("probability", 0)),
    ),
    "purchases": ListTab(m.Purchase, "purchase", ("purchased_on", "amount", "description")),
    "visits": ListTab(m.Visit, "visit", ()),
}  # fmt: skip


class AccountOverviewScreen(AccountScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="account-back", tooltip="Back to the previous screen"),
        Binding("e", "edit_account", "Edit account", id="account-edit-account", tooltip="Edit the account's profile"),
        Binding("n", "new", "New", id="account-new-item", tooltip="Add to the open tab (a visit from the profile)"),
        Binding(
            "d", "delete", "Delete", id="account-delete-item", tooltip="Delete the highlighted project/purchase/visit"
        ),
        Binding("right_square_bracket", "stage(1)", "Stage →", id="account-stage-next", tooltip="Move project on"),
        Binding("left_square_bracket", "stage(-1)", "← Stage", id="account-stage-back", tooltip="Move project back"),
        Binding("c", "cycle_class", "Class", id="account-class", tooltip="Change class: A → B → C → A"),
        Binding("o", "analysis('org_chart')", "Org chart", id="account-org-chart", tooltip="Units and people"),
        Binding("s", "analysis('stakeholders')", "People", id="account-stakeholders", tooltip="Key people by layer"),
        Binding("w", "analysis('competitors')", "Competitors", id="account-competitors", tooltip="Competitor notes"),
        Binding("b", "analysis('battle_plan')", "Plan", id="account-battle-plan", tooltip="SWOT, goals, action board"),
        Binding("h", "history", "History", id="account-history", tooltip="Change log of the highlighted row/account"),
        Binding("u", "deleted", "Deleted", id="account-deleted", tooltip="Deleted records of the account, to restore"),
        Binding("r", "reload", "Reload", id="account-reload", show=False, tooltip="Read the database again"),
        Binding("1", "tab('profile')", "Profile", id="account-tab-profile", show=False, tooltip="Show the profile"),
        Binding("2", "tab('projects')", "Projects", id="account-tab-projects", show=False, tooltip="Show the projects"),
        Binding("3", "tab('purchases')", "Purchases", id="account-tab-purchases", show=False, tooltip="Show purchases"),
        Binding("4", "tab('visits')", "Visits", id="account-tab-visits", show=False, tooltip="Show the visit log"),
    ]

    def __init__(self, account_id: str):
        super().__init__(account_id)
        self.data: reports.Overview | None = None
        self.industries: list[tuple[str, str]] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tabs"):
            with TabPane("1 Profile", id="profile"), VerticalScroll():
                yield AccountProfile("Loading…", id="profile-text")
            with TabPane("2 Projects", id="projects"):
                yield Static("", id="stage-values", markup=False)
                yield RecordTable(
                    ("Project", "Stage", "Amount", "Prob.", "Expected", "Funding"),
                    self._project_cells,
                    id="projects-table",
                )
            with TabPane("3 Purchases", id="purchases"):
                yield Static("", id="forecast", markup=False)
                yield RecordTable(
                    ("Date", "Amount", "Product / description"), self._purchase_cells, id="purchases-table"
                )
            with TabPane("4 Visits", id="visits"):
                yield RecordTable(
                    ("Date", "Purpose", "Met", "Commitment", "Next step", "By"), self._visit_cells, id="visits-table"
                )
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def action_reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        try:
            data = reports.overview(self.app.store, self.account_id, self.app.today())
        except NotFound as error:
            self.app.call_from_thread(self._gone, str(error))
            return
        industries = industry_choices(self.app.store.list(m.Industry))
        self.app.call_from_thread(self._loaded, data, industries)

    def _loaded(self, data: reports.Overview, industries: list[tuple[str, str]]) -> None:
        if not self.is_mounted:  # the screen closed while the worker ran
            return
        self.data = data
        self.industries = industries
        self.sub_title = f"{data.account.name} · class {data.account.account_class}"
        self.query_one(AccountProfile).show(data)
        stages = reports.project_stages(data.projects)
        self.query_one("#stage-values", Static).update(
            "  ".join(f"{stage} {count} · {money(amount)}" for stage, count, amount in stages)
        )
        self.query_one("#forecast", Static).update(self._forecast_text(data))
        self._table("projects").show(data.projects)
        self._table("purchases").show(data.purchases)
        self._table("visits").show(data.visits)

    @staticmethod
    def _forecast_text(data: reports.Overview) -> str:
        years = "  ".join(f"{year}: {money(total)}" for year, total in data.yearly) or "no purchases yet"
        forecast = data.forecast
        if forecast is None:
            outlook = "Forecast: no forecast (no purchase history before this year)"
        else:
            outlook = f"Forecast {forecast.year}: {money(forecast.amount)} ({forecast.method})"
        return f"By year — {years}\n{outlook}"

    def _table(self, tab: str) -> RecordTable:
        return self.query_one(f"#{tab}-table", RecordTable)

    @staticmethod
    def _project_cells(p: m.Project) -> list[str]:
        return [p.name, p.stage, money(p.amount), f"{p.probability}%", _day(p.expected_date), p.funding_source]

    @staticmethod
    def _purchase_cells(p: m.Purchase) -> list[str]:
        return [_day(p.purchased_on), money(p.amount), p.description]

    def _visit_cells(self, v: m.Visit) -> list[str]:
        met = ", ".join(name for _, name in (self.data.met.get(v.id, []) if self.data else []))
        commitment = v.commitment or "⚑ none"
        return [_day(v.visited_on), v.purpose[:28], met[:20], commitment[:28], v.next_step[:24], _day(v.next_step_date)]

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_back(self) -> None:
        self.dismiss(None)

    def action_analysis(self, name: str) -> None:
        """Open one of the account's analyses (imported on first use, which keeps
        start-up quick); coming back refreshes the overview."""
        screens = {
            "org_chart": ("planner.screens.org_chart", "OrgChartScreen"),
            "stakeholders": ("planner.screens.stakeholders", "StakeholdersScreen"),
            "competitors": ("planner.screens.competitors", "CompetitorsScreen"),
            "battle_plan": ("planner.screens.battle_plan", "BattlePlanScreen"),
        }
        module, cls = screens[name]
        screen = getattr(import_module(module), cls)(self.account_id)
        self.app.push_screen(screen, lambda _: self.load())

    def action_history(self) -> None:
        from planner.screens.history import HistoryScreen

        tab = self.active_tab
        record = self._table(tab).current if tab in TABS else None
        if record is not None:
            spec = TABS[tab]
            self.app.push_screen(HistoryScreen(spec.model, record.id, f"History of {spec.noun} {_label(record)}"))
            return
        name = self.data.account.name if self.data else "the account"
        self.app.push_screen(HistoryScreen(m.Account, self.account_id, f"History of {name}"))

    def action_deleted(self) -> None:
        from planner.screens.history import DeletedScreen

        self.app.push_screen(DeletedScreen(self.account_id), lambda _: self.load())

    def action_edit_account(self) -> None:
        if self.data:
            a = self.data.account
            store = self.app.store
            form = RecordForm(
                f"Edit {a.name}", m.Account, ACCOUNT_FIELDS, a.model_dump(),
                lambda values: store.update(m.Account, a.id, a.version, **values),
                choices={"industry_id": self.industries},
            )  # fmt: skip
            self.app.push_screen(form, self._saved)

    def action_new(self) -> None:
        tab = self.active_tab if self.active_tab in TABS else "visits"
        self._open(tab, None)

    @on(DataTable.RowSelected)
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        table = event.data_table
        if isinstance(table, RecordTable) and table.current is not None:
            self._open(table.id.removesuffix("-table"), table.current)

    def _open(self, tab: str, record: Any | None) -> None:
        if self.data is None:
            return
        spec, store, account_id = TABS[tab], self.app.store, self.account_id
        noun = spec.noun
        title = f"Edit {noun}" if record else f"New {noun} for {self.data.account.name}"
        if spec.model is m.Visit:
            met = [person_id for person_id, _ in self.data.met.get(record.id, [])] if record else []
            initial = record.model_dump() if record else {"visited_on": self.app.today()}

            def save(values: dict[str, Any]) -> m.Visit:
                people = values.pop("people", None)
                if record:
                    return store.save_visit(record.id, record.version, people, **values)
                return store.save_visit(None, None, people, account_id=account_id, **{**initial, **values})

            form = VisitForm(title, initial, self.data.people, met, save)
        elif record:
            form = RecordForm(
                title, spec.model, spec.fields, record.model_dump(),
                lambda values: store.update(spec.model, record.id, record.version, **values),
            )  # fmt: skip
        else:
            defaults = dict(spec.defaults)
            form = RecordForm(
                title, spec.model, spec.fields, defaults,
                lambda values: store.create(spec.model, account_id=account_id, **{**defaults, **values}),
            )  # fmt: skip
        self.app.push_screen(form, self._saved)

    def _saved(self, result: Any | None) -> None:
        if result is not None:
            self.notify("Saved.")
            self.load()

    def action_delete(self) -> None:
        tab = self.active_tab
        if tab not in TABS or self._table(tab).current is None:
            self.notify("Open the projects, purchases or visits tab and highlight what to delete.")
            return
        record, spec = self._table(tab).current, TABS[tab]
        self.app.push_screen(
            Confirm(f"Delete this {spec.noun}? It can be restored from the history.", yes="Delete"),
            lambda yes: yes and self._write(lambda store: store.delete(spec.model, record.id, record.version)),
        )

    def action_stage(self, step: int) -> None:
        project = self._table("projects").current if self.active_tab == "projects" else None
        if project is None:
            self.notify("Highlight a project on the projects tab to move its stage.")
            return
        stages = m.PROJECT_STAGES
        stage = stages[max(0, min(len(stages) - 1, stages.index(project.stage) + step))]
        if stage != project.stage:
            self._write(lambda store: store.update(m.Project, project.id, project.version, stage=stage))

    def action_cycle_class(self) -> None:
        if self.data:
            a = self.data.account
            self._write(
                lambda store: store.update(m.Account, a.id, a.version, account_class=NEXT_CLASS[a.account_class])
            )
