"""Checkboxes and the roster's selection marked with a tick, not Textual's "X".

An "X" reads as バツ (no, wrong, absent) to a Japanese reader: on the setup
screen every person present looked crossed out. A tick says "yes" in both
languages, and it is one cell wide in every terminal (glyphs.py).
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList

from chie_kokan.tui.glyphs import DONE


class TickBox(Checkbox):
    """A checkbox whose mark is a tick."""

    BUTTON_INNER = DONE


class TickList(SelectionList[str]):
    """A selection list whose mark is a tick (the button's inner segment swapped)."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        # The button is [left, inner, right, " ", option...] (SelectionList.render_line).
        if len(segments) > 1 and segments[1].text == Checkbox.BUTTON_INNER:
            segments[1] = Segment(DONE, segments[1].style, segments[1].control)
            return Strip(segments, strip.cell_length)
        return strip
