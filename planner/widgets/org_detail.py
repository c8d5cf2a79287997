"""The detail of the highlighted org-chart node: a unit's full responsibilities and
head count, or a person's profile with the reports-to lines the tree cannot show."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.widgets import Static

from planner.core.formatting import stance_text
from planner.core.i18n import _
from planner.core.org import Chart, Ref

STANCE_STYLES = {
    "supporter": "$text-success",
    "neutral": "$text-warning",
    "opponent": "bold $text-error",
    "unknown": "dim",
}


class OrgDetail(Static):
    def show(self, chart: Chart | None, ref: Ref | None) -> None:
        if chart is None or ref is None:
            self.update(_("Nothing highlighted."))
            return
        # `describe` gives its labels and values in the interface's language.
        lines = chart.describe(ref)
        (_label, title), rest = lines[0], lines[1:]
        stances = {stance_text(stance): style for stance, style in STANCE_STYLES.items()}
        long = (_("Responsibilities"), _("Characteristics"))
        parts: list[str | tuple[str, str]] = [(title, "bold"), "\n"]
        for label, value in rest:
            style = stances.get(value, "") if label == _("Stance") else ""
            wide = label in long
            heading = _("{label}:").format(label=label)
            if not wide:
                # A value of several lines (the head count, in Chinese) stays under its start.
                value = value.replace("\n", "\n" + " " * (cell_len(heading) + 1))
            parts += ["\n" if wide else "", (heading, "dim"), "\n" if wide else " ", (value, style), "\n"]
        self.update(Content.assemble(*parts))
