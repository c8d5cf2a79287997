"""The account screen's tabs and what its projects tab does with the stages: `[` `]`
move a project along potential → incubating → producing, W and L close it."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import TabbedContent

from planner.core import models as m
from planner.core.formatting import one_line, stage_label
from planner.core.i18n import _
from planner.core.overview import Overview
from planner.screens.base import AccountScreen
from planner.screens.confirm import Confirm
from planner.widgets.record_table import RecordTable

Industries = list[tuple[str, str]]
OUTCOMES = ("won", "lost")
"""How a project ends: set explicitly (W, L), never reached by stepping."""
STEPS = tuple(stage for stage in m.PROJECT_STAGES if stage not in OUTCOMES)
"""The stages `[` and `]` move a project along: potential → incubating → producing."""


class ProjectStagesScreen(AccountScreen[tuple[Overview, Industries]]):
    """An account screen of record tabs (`#<tab>-table`) whose projects move by stage."""

    def _table(self, tab: str) -> RecordTable:
        return self.query_one(f"#{tab}-table", RecordTable)

    @property
    def active_tab(self) -> str:
        return self.query_one(TabbedContent).active

    def _highlighted_project(self) -> m.Project | None:
        """The project on the projects table's cursor row, or None (saying why)."""
        if self.active_tab != "projects":
            self.notify(_("Open the projects tab (2) and highlight a project first."))
            return None
        project = self._table("projects").current
        if project is None:
            self.notify(_("No project yet: n adds one."))
        return project

    def _set_stage(self, project: m.Project, stage: str, again: Callable[[], None] | None = None) -> None:
        self.write(
            lambda store: store.update(m.Project, project.id, project.version, stage=stage),
            keep=project.id,
            success=_("“{name}” is now {stage}.").format(name=one_line(project.name, 40), stage=stage_label(stage)),
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
        name, stage = one_line(project.name, 40), stage_label(project.stage)
        if project.stage in OUTCOMES:
            if step > 0:
                self.notify(_("“{name}” is {stage}: [ reopens it as producing.").format(name=name, stage=stage))
                return
            question = _("Reopen “{name}” ({stage}) as producing?").format(name=name, stage=stage)

            def answered(yes: bool | None) -> None:
                if yes:
                    self._set_stage(project, STEPS[-1])

            self.app.push_screen(Confirm(question, yes=_("Reopen")), answered)
            return
        at = STEPS.index(project.stage) if project.stage in STEPS else 0
        moved = at + step
        if moved >= len(STEPS):
            self.notify(_("A producing project ends as won (W) or lost (L)."))
        elif moved < 0:
            self.notify(_("“{name}” is at the first stage, {stage}.").format(name=name, stage=stage_label(STEPS[0])))
        else:
            self._set_stage(project, STEPS[moved], again=lambda: self.action_stage(step))

    def action_outcome(self, outcome: str) -> None:
        """Mark the highlighted project won or lost, after asking."""
        project = self._highlighted_project()
        if project is None:
            return
        name, shown = one_line(project.name, 40), stage_label(outcome)
        if project.stage == outcome:
            self.notify(_("“{name}” is already {stage}; [ reopens it as producing.").format(name=name, stage=shown))
            return
        if project.stage in OUTCOMES:
            question = _(
                "Mark “{name}” as {stage} instead of {old}? Won and lost close a project; [ reopens it."
            ).format(name=name, stage=shown, old=stage_label(project.stage))
        else:
            question = _("Mark “{name}” as {stage}? Won and lost close a project; [ reopens it.").format(
                name=name, stage=shown
            )

        def answered(yes: bool | None) -> None:
            if yes:
                self._set_stage(project, outcome)

        self.app.push_screen(Confirm(question, yes=_("Won") if outcome == "won" else _("Lost")), answered)
