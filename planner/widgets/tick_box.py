"""A checkbox that reads as ticked or not without colour: `[x]` or `[ ]`.

Textual's checkbox shows the same glyph either way and tells them apart by colour
alone, which a 16-colour or monochrome terminal (or a colour-blind rep) loses.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, OptionList, SelectionList
from textual.widgets.option_list import OptionDoesNotExist


class TickBox(Checkbox):
    DEFAULT_CSS = """
    TickBox > .toggle--button, TickBox.-on > .toggle--button { background: transparent; color: $text; }
    TickBox.-on > .toggle--button { color: $text-success; text-style: bold; }
    """

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble("[", ("x" if self.value else " ", style), "]")


class TickList(SelectionList[str]):
    """A selection list whose boxes read `[x]` or `[ ]`, like `TickBox`."""

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)  # the option's own line, without Textual's box
        index = self.scroll_offset.y + y
        try:
            option = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        ticked = option.value in set(self.selected)
        plain = (next(iter(line)).style or Style()) + Style(meta={"option": index})
        mark = plain + self.get_component_rich_style("selection-list--button-selected") if ticked else plain
        return Strip([Segment("[", plain), Segment("x" if ticked else " ", mark), Segment("] ", plain), *line])
