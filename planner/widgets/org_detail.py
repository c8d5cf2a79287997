"""The detail of the highlighted org-chart node: a unit's full responsibilities and
head count, or a person's profile with the reports-to lines the tree cannot show."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

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
            self.update("Nothing highlighted.")
            return
        lines = chart.describe(ref)
        (_, title), rest = lines[0], lines[1:]
        parts: list[str | tuple[str, str]] = [(title, "bold"), "\n"]
        for label, value in rest:
            style = STANCE_STYLES.get(value.split(" ", 1)[-1], "") if label == "Stance" else ""
            long = label in ("Responsibilities", "Characteristics")
            parts += ["\n" if long else "", (f"{label}:", "dim"), "\n" if long else " ", (value, style), "\n"]
        self.update(Content.assemble(*parts))
