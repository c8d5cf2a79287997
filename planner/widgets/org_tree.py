"""The organisation chart as a Textual Tree: units with their responsibilities, and
under each its own people (title, layer, stance) before its sub-units, so a unit's
head sits right under it.

Stance is coloured through component classes (theme variables, so every theme
works) and always carries its symbol and word, so it reads without colour too.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from planner.core.formatting import STANCE_MARKS, layer_label, stance_text
from planner.core.i18n import _
from planner.core.org import NO_UNIT, PERSON, UNIT, Chart, Ref
from planner.store.listings import PersonNode, UnitNode

CUT_MARK = "✂ "


def shorten(text: str, width: int) -> str:
    """The first line of `text` cut to `width` cells (wide CJK characters count two)."""
    whole = text.strip()
    line = whole.split("\n", 1)[0][:width]
    if line == whole and cell_len(line) <= width:
        return line
    while line and cell_len(line) > width - 1:
        line = line[:-1]
    return line.rstrip() + "…"


class OrgChartTree(Tree[Ref]):
    COMPONENT_CLASSES = {
        "org-tree--supporter",
        "org-tree--neutral",
        "org-tree--opponent",
        "org-tree--unknown",
        "org-tree--muted",
        "org-tree--cut",
    }
    DEFAULT_CSS = """
    OrgChartTree > .org-tree--supporter { color: $text-success; }
    OrgChartTree > .org-tree--neutral { color: $text-warning; }
    OrgChartTree > .org-tree--opponent { color: $text-error; text-style: bold; }
    OrgChartTree > .org-tree--unknown { text-style: dim; }
    OrgChartTree > .org-tree--muted { text-style: dim; }
    OrgChartTree > .org-tree--cut { color: $text-accent; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None):
        super().__init__(_("Organisation"), id=id)
        self.show_root = False
        self.guide_depth = 3
        self.nodes: dict[Ref, TreeNode[Ref]] = {}
        self.cut: Ref | None = None
        # Per node: the label's length and its (start, end, component class) accents.
        self._accents: dict[Ref, tuple[int, list[tuple[int, int, str]]]] = {}

    @property
    def current(self) -> Ref | None:
        node = self.cursor_node
        return node.data if node is not None else None

    def expanded(self) -> set[Ref]:
        return {ref for ref, node in self.nodes.items() if node.is_expanded}

    def show(self, chart: Chart, keep: Ref | None, expanded: set[Ref] | None) -> None:
        """Rebuild from `chart`, expanding `expanded` (None: everything) and putting
        the cursor back on `keep` (its units opened so it can be seen)."""
        self.clear()
        self.nodes, self._accents = {}, {}
        self._add_units(chart, self.root, None, expanded)
        unplaced = chart.members.get(None, ())
        if unplaced:
            ref = Ref(NO_UNIT, "")
            label = Text(_("No unit ({count})").format(count=len(unplaced)), style="italic")
            node = self._add(self.root, ref, label, [], expanded is None or ref in expanded, True)
            self._add_people(node, unplaced)
        target = self.nodes.get(keep) if keep else None
        parent = target.parent if target else None
        while parent is not None and parent is not self.root:
            parent.expand()
            parent = parent.parent
        # Lines are laid out on the next refresh; only then does a node know its line.
        self.call_after_refresh(self.move_cursor, target or next(iter(self.nodes.values()), None))

    def _add_units(self, chart: Chart, parent: TreeNode[Ref], unit_id: str | None, expanded: set[Ref] | None) -> None:
        for unit in chart.sub_units.get(unit_id, ()):
            ref = Ref(UNIT, unit.id)
            has_children = bool(chart.sub_units.get(unit.id) or chart.members.get(unit.id))
            label, accents = self._unit_label(unit)
            node = self._add(parent, ref, label, accents, expanded is None or ref in expanded, has_children)
            self._add_people(node, chart.members.get(unit.id, ()))
            self._add_units(chart, node, unit.id, expanded)

    def _add_people(self, parent: TreeNode[Ref], people: tuple[PersonNode, ...]) -> None:
        for person in people:
            label, accents = self._person_label(person)
            self._add(parent, Ref(PERSON, person.id), label, accents, False, False)

    def _add(
        self, parent: TreeNode[Ref], ref: Ref, label: Text, accents: list, expand: bool, allow: bool
    ) -> TreeNode[Ref]:
        node = parent.add(label, ref, expand=expand, allow_expand=allow)
        self.nodes[ref] = node
        self._accents[ref] = (len(label.plain), accents)
        return node

    @staticmethod
    def _unit_label(unit: UnitNode) -> tuple[Text, list]:
        label = Text.assemble((unit.name, "bold"))
        if not unit.responsibilities.strip():
            return label, []
        start = len(label.plain)
        label.append(f"  {shorten(unit.responsibilities, 36)}")
        return label, [(start, len(label.plain), "org-tree--muted")]

    @staticmethod
    def _person_label(person: PersonNode) -> tuple[Text, list]:
        """The person as "● name · ✓ stance · layer · title": name, stance and layer
        come before the title so they stay visible in a narrow terminal."""
        mark = STANCE_MARKS.get(person.stance, "?")
        head = f"● {person.name} · "
        stance = stance_text(person.stance)
        tail = f" · {layer_label(person.layer)}" + (f" · {shorten(person.title, 26)}" if person.title else "")
        label = Text(head + stance + tail)
        component = f"org-tree--{person.stance if mark != '?' else 'unknown'}"
        return label, [(0, 1, component), (len(head), len(head) + len(stance), component)]

    def render_label(self, node: TreeNode[Ref], base_style: Style, style: Style) -> Text:
        text = super().render_label(node, base_style, style)
        ref = node.data
        if ref is None or ref not in self._accents:
            return text
        length, accents = self._accents[ref]
        offset = len(text.plain) - length
        for start, end, component in accents:
            text.stylize(self.get_component_rich_style(component, partial=True), offset + start, offset + end)
        if ref == self.cut:
            text = Text.assemble((CUT_MARK, self.get_component_rich_style("org-tree--cut", partial=True)), text)
        return text

    def mark_cut(self, ref: Ref | None) -> None:
        """Show which node is cut, waiting to be pasted."""
        previous, self.cut = self.cut, ref
        for changed in (previous, ref):
            if changed in self.nodes:
                self.nodes[changed].refresh()
