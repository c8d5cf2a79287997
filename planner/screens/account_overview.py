"""One account: its profile and derived figures, projects, purchases with the
forecast, and the visit log. Opened with Enter from the customer list or agenda."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from planner.core import models as m
from planner.core.analysis import next_class
from planner.core.formatting import money, one_line, pack_line, stage_label
from planner.core.i18n import N_, _
from planner.core.overview import Overview, project_stages
from planner.screens.account_form import AccountForm
from planner.screens.confirm import Confirm
from planner.screens.project_stages import Industries, ProjectStagesScreen
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


class AccountOverviewScreen(ProjectStagesScreen):
    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="account-back", tooltip=N_("Back to the previous screen")),
        Binding(
            "e", "edit_account", N_("Account"), id="account-edit-account", tooltip=N_("Edit the account's profile")
        ),
        Binding(
            "n", "new", N_("New"), id="account-new-item", tooltip=N_("Add to the open tab (a visit from the profile)")
        ),
        Binding(
            "d",
            "delete",
            N_("Delete"),
            id="account-delete-item",
            tooltip=N_("Delete the highlighted project/purchase/visit"),
        ),
        Binding(
            "right_square_bracket",
            "stage(1)",
            N_("Stage →"),
            id="account-stage-next",
            show=False,
            tooltip=N_("Move the highlighted project on: potential → incubating → producing"),
        ),
        Binding(
            "left_square_bracket",
            "stage(-1)",
            N_("← Stage"),
            id="account-stage-back",
            show=False,
            tooltip=N_("Move the highlighted project back a stage; reopen a won or lost one (asks)"),
        ),
        Binding(
            "W",
            "outcome('won')",
            N_("Won"),
            id="account-project-won",
            show=False,
            tooltip=N_("Mark the highlighted project won (asks)"),
        ),
        Binding(
            "L",
            "outcome('lost')",
            N_("Lost"),
            id="account-project-lost",
            show=False,
            tooltip=N_("Mark the highlighted project lost (asks)"),
        ),
        Binding(
            "c", "cycle_class", N_("Class"), id="account-class", show=False, tooltip=N_("Change class: A → B → C → A")
        ),
        Binding(
            "t",
            "take_purchases",
            N_("Take purchases"),
            id="account-take-purchases",
            show=False,
            tooltip=N_("Set this year's revenue to the sum of this year's purchases (asks)"),
        ),
        Binding("o", "analysis('org-chart')", N_("Org"), id="account-org-chart", tooltip=N_("Units and people")),
        Binding(
            "s", "analysis('stakeholders')", N_("People"), id="account-stakeholders", tooltip=N_("Key people by layer")
        ),
        Binding(
            "w", "analysis('competitors')", N_("Competitors"), id="account-competitors", tooltip=N_("Competitor notes")
        ),
        Binding(
            "b",
            "analysis('battle-plan')",
            N_("Plan"),
            id="account-battle-plan",
            tooltip=N_("SWOT, goals, action board"),
        ),
        Binding(
            "v",
            "analysis('brief')",
            N_("Visit brief"),
            id="account-brief",
            show=False,
            tooltip=N_("One page to read (and print) before visiting the account"),
        ),
        Binding(
            "h",
            "history",
            N_("History"),
            id="account-history",
            show=False,
            tooltip=N_("Change log of the highlighted row/account"),
        ),
        Binding(
            "u",
            "deleted",
            N_("Deleted"),
            id="account-deleted",
            show=False,
            tooltip=N_("Deleted records of the account, to restore"),
        ),
        Binding("r", "reload", N_("Reload"), id="account-reload", show=False, tooltip=N_("Read the database again")),
        Binding(
            "1", "tab('profile')", N_("Profile"), id="account-tab-profile", show=False, tooltip=N_("Show the profile")
        ),
        Binding(
            "2",
            "tab('projects')",
            N_("Projects"),
            id="account-tab-projects",
            show=False,
            tooltip=N_("Show the projects"),
        ),
        Binding(
            "3",
            "tab('purchases')",
            N_("Purchases"),
            id="account-tab-purchases",
            show=False,
            tooltip=N_("Show purchases"),
        ),
        Binding(
            "4", "tab('visits')", N_("Visits"), id="account-tab-visits", show=False, tooltip=N_("Show the visit log")
        ),
    ]

    def __init__(self, account_id: str, tab: str = "profile", record_id: str | None = None):
        """`tab` is the tab shown first (profile, projects, purchases or visits) and
        `record_id` the row its list lands on (a visit the agenda opened it for)."""
        super().__init__(account_id)
        self.initial_tab = tab if tab in ("profile", *TABS) else "profile"
        self._land_on = record_id
        self.overview: Overview | None = None
        self.industries: Industries = []
        self._stage_pieces: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tabs", initial=self.initial_tab):
            with TabPane(_("1 Profile"), id="profile"), VerticalScroll(id="profile-scroll"):
                yield AccountProfile(_("Loading…"), id="profile-text")
            with TabPane(_("2 Projects"), id="projects"):
                yield Static("", id="stage-values", markup=False)
                yield RecordTable(
                    (_("Project"), _("Stage"), _("Amount"), _("Prob."), _("Expected"), _("Funding")),
                    project_cells,
                    id="projects-table",
                )
            with TabPane(_("3 Purchases"), id="purchases"):
                yield Static("", id="forecast", markup=False)
                yield RecordTable(
                    (_("Date"), _("Amount"), _("Product / description")), purchase_cells, id="purchases-table"
                )
            with TabPane(_("4 Visits"), id="visits"):
                yield RecordTable(
                    (_("Date"), _("How"), _("Purpose"), _("Commitment"), _("Next step"), _("Due"), _("Met")),
                    self._visit_cells,
                    id="visits-table",
                )
        yield KeyFooter()

    def fetch(self, store: Store) -> tuple[Overview, Industries]:
        return store.overview(self.account_id, self.today()), store.industry_choices()

    def apply(self, data: tuple[Overview, Industries], keep: Any) -> None:
        overview, self.industries = data
        keep, self._land_on = keep or self._land_on, None
        self.overview = overview
        self.sub_title = _("{name} · class {account_class}").format(
            name=overview.account.name, account_class=overview.account.account_class
        )
        self.query_one(AccountProfile).show(overview)
        # No-break spaces inside a stage's figures (the lines are packed by `pack_line`).
        self._stage_pieces = [
            f"{stage_label(stage)}\u00a0{n}\u00a0·\u00a0{money(amount)}"
            for stage, n, amount in project_stages(overview.projects)
        ]
        self._show_stages()
        self.query_one("#forecast", Static).update(forecast_text(overview))
        self._table("projects").show(overview.projects, keep)
        self._table("purchases").show(overview.purchases, keep)
        self._table("visits").show(overview.visits, keep)

    def _show_stages(self) -> None:
        """The stages' figures then the key hint, wrapped between pieces only: the hint
        goes whole onto a line of its own when it does not fit after the figures."""
        hint = _("   ([ ] stage · W won · L lost)").strip()
        width = self.query_one("#stage-values", Static).size.width or self.size.width
        self.query_one("#stage-values", Static).update(pack_line([*self._stage_pieces, hint], width))

    def on_resize(self) -> None:
        if self.overview is not None:
            self._show_stages()

    def _visit_cells(self, v: m.Visit) -> list[str | Text]:
        if self.overview is None:
            return visit_cells(v, [], [])
        return visit_cells(v, self.overview.met.get(v.id, []), self.overview.people)

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
        """Keys act on the tab's own list: enter edits its highlighted row, d deletes it.
        On the profile, its scroll area has the focus: PageDown, End… scroll it."""
        tab = self.active_tab
        self.refresh_bindings()
        if tab in TABS:
            self.call_after_refresh(self._table(tab).focus)
        else:
            self.call_after_refresh(self.query_one("#profile-scroll", VerticalScroll).focus)

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
            title = _("History of {noun} {label}").format(noun=_(spec.noun), label=record_label(record))
            self.open("history", spec.model, record.id, title)
            return
        if self.overview:
            title = _("History of {name}").format(name=self.overview.account.name)
        else:
            title = _("History of the account")
        self.open("history", m.Account, self.account_id, title)

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
        noun = _(spec.noun)
        if record:
            title = _("Edit {noun}").format(noun=noun)
        else:
            title = _("New {noun} for {name}").format(noun=noun, name=overview.account.name)
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
            self.notify(_("Saved."))
            self.reload(getattr(result, "id", None))

    def action_delete(self) -> None:
        tab = self.active_tab
        record = self._table(tab).current if tab in TABS else None
        if record is None:
            self.notify(_("Open the projects, purchases or visits tab and highlight what to delete."))
            return
        spec = TABS[tab]

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(lambda store: store.delete(spec.model, record.id, record.version))

        self.app.push_screen(
            Confirm(
                _("Delete the {noun} “{label}”? It can be restored from the history.").format(
                    noun=_(spec.noun), label=record_label(record)
                ),
                yes=_("Delete"),
            ),
            answered,
        )

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
            self.notify(_("Revenue already equals this year's purchases ({sum}).").format(sum=money(bought)))
            return
        question = _(
            "Set the revenue of “{name}” this year to the sum of this year's purchases: {old} → {new}?"
        ).format(name=one_line(a.name, 40), old=money(a.revenue), new=money(bought))

        def answered(yes: bool | None) -> None:
            if yes:
                self.write(
                    lambda store: store.update(m.Account, a.id, a.version, revenue=bought),
                    success=_("Revenue is now {sum}.").format(sum=money(bought)),
                )

        self.app.push_screen(Confirm(question, yes=_("Set revenue")), answered)
