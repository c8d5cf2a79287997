"""The relationship funnel: accounts and value per class, projects per stage.

Account bars are centred and scaled to the count, so the stages draw the funnel's
real shape (potential C on top, producing A at the bottom); a second bar gives the
class's revenue. Project bars show the amount with its probability-weighted part
solid. Layout is pure (lines of (text, role) runs); the widget only styles it.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from planner.core.analysis import CLASS_STAGES, Funnel, FunnelStage
from planner.core.formatting import money
from planner.core.i18n import _
from planner.widgets.chart_text import Line, ljust, rjust, styled

LABEL = 14  # "C potential" and a gap
COUNT = 7
AMOUNT = 10
WEIGHTED_FILL = "█"
AMOUNT_FILL = "▒"


def scaled(value: float, maximum: float, width: int) -> int:
    """Bar length for `value` out of `maximum` in `width` cells; anything above zero
    gets at least one cell, so a small stage never looks empty."""
    if value <= 0 or maximum <= 0 or width <= 0:
        return 0
    return max(1, min(width, round(value / maximum * width)))


def centred(length: int, width: int) -> tuple[int, int]:
    """Blank cells left and right of a bar of `length` centred in `width`."""
    left = (width - length) // 2
    return left, width - length - left


def _account_lines(stages: tuple[FunnelStage, ...], width: int, tall: bool) -> list[Line]:
    bars = max(width - LABEL - COUNT - AMOUNT - 2, 2)
    count_width = bars * 11 // 20
    value_width = bars - count_width
    most = max((s.count for s in stages), default=0)
    richest = max((s.value for s in stages), default=0.0)
    title = ljust(_("Accounts per class"), LABEL + count_width) + rjust(_("count"), COUNT) + "  " + _("value")
    lines: list[Line] = [[(title, "title")]]
    for (letter, _stage), stage in zip(CLASS_STAGES, stages, strict=True):
        length = scaled(stage.count, most, count_width)
        left, right = centred(length, count_width)
        value = scaled(stage.value, richest, value_width)
        lines.append(
            [
                (ljust(f"{letter} {_(stage.name)}", LABEL), "label"),
                (" " * left, ""),
                ("█" * length, "count"),
                (" " * right + f"{stage.count:>{COUNT},}  ", ""),
                ("█" * value, "value"),
                (" " * (value_width - value) + rjust(money(stage.value), AMOUNT), ""),
            ]
        )
        if tall:  # a half-height second row leaves a gap before the next stage
            lines.append(
                [
                    (" " * (LABEL + left), ""),
                    ("▀" * length, "count"),
                    (" " * (right + COUNT + 2), ""),
                    ("▀" * value, "value"),
                ]
            )
    return lines


def _project_lines(stages: tuple[FunnelStage, ...], width: int) -> list[Line]:
    bar_width = max(width - LABEL - COUNT - 2 * AMOUNT - 3, 2)
    largest = max((s.value for s in stages), default=0.0)
    heads = (rjust(_("count"), COUNT), rjust(_("amount"), AMOUNT), rjust(_("weighted"), AMOUNT))
    head = " ".join(heads)
    lines: list[Line] = [[(ljust(_("Projects per stage"), LABEL + bar_width + 1) + head, "title")]]
    for stage in stages:
        amount = scaled(stage.value, largest, bar_width)
        weighted = min(scaled(stage.weighted, largest, bar_width), amount)
        figures = f"{stage.count:>{COUNT},} {rjust(money(stage.value), AMOUNT)} {rjust(money(stage.weighted), AMOUNT)}"
        lines.append(
            [
                (ljust(_(stage.name), LABEL), "label"),
                (WEIGHTED_FILL * weighted, "weighted"),
                (AMOUNT_FILL * (amount - weighted), "amount"),
                (" " * (bar_width - amount + 1) + figures, ""),
            ]
        )
    lines.append(
        [
            (" " * LABEL, ""),
            (WEIGHTED_FILL, "weighted"),
            (" " + _("weighted by win probability") + "  ", ""),
            (AMOUNT_FILL, "amount"),
            (" " + _("rest of the amount"), ""),
        ]
    )
    return lines


def chart_lines(funnel: Funnel | None, width: int, height: int) -> list[Line]:
    """Both funnels, accounts first, a blank line between them; account bars are two
    rows high when the height allows, so the funnel's shape shows."""
    if funnel is None:
        return [[(_("Loading…"), "label")]]
    projects = _project_lines(funnel.projects, width)
    tall = height >= len(projects) + 2 + 2 * len(funnel.accounts)
    return [*_account_lines(funnel.accounts, width, tall), [], *projects]


class FunnelChart(Widget):
    """Set `funnel` (analysis.Funnel); the bars scale to the widget's width."""

    COMPONENT_CLASSES = {
        "funnel-chart--title",
        "funnel-chart--label",
        "funnel-chart--count",
        "funnel-chart--value",
        "funnel-chart--weighted",
        "funnel-chart--amount",
    }
    DEFAULT_CSS = """
    FunnelChart {
        height: 1fr;
        text-wrap: nowrap;
        text-overflow: clip;
    }
    FunnelChart > .funnel-chart--title { color: $text; text-style: bold; }
    FunnelChart > .funnel-chart--label { color: $text-muted; }
    FunnelChart > .funnel-chart--count { color: $primary; }
    FunnelChart > .funnel-chart--value { color: $success; }
    FunnelChart > .funnel-chart--weighted { color: $accent; }
    FunnelChart > .funnel-chart--amount { color: $accent 50%; }
    """

    funnel: reactive[Funnel | None] = reactive(None)

    def render(self) -> Text:
        size = self.content_size
        return styled(self, "funnel-chart", chart_lines(self.funnel, size.width, size.height))
