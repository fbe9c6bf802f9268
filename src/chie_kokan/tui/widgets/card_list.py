"""The cards of the step: a board drawn line by line, updated in place.

With thousands of cards on the board, a change must cost the change, not
the board. :class:`CardList` is a Line API widget (a
:class:`~textual.scroll_view.ScrollView` that draws with ``render_line``)
keeping, for each row, its id, the signature of what it shows, its prompt
and its height in lines at the board's width; where each row starts is a
list of running totals of those heights, and a line on screen finds its row
by bisection. Only the rows on screen are rendered (and their lines kept
for the next frame).

* A card recorded: its row is rendered and measured and a total appended.
* A card edited: its row alone is rendered and measured again; when its
  height changed, the running totals are summed again (integers only, no
  row measured).
* A card deleted: the row is taken out of the lists and the totals summed again.
* :meth:`CardList.show` (the whole board compared): rows whose signature
  did not change keep their prompt and height; only the others are rendered.
* A new width (the terminal resized, the side panel shown): every row is
  measured again, once.

Textual's ``OptionList``, which the board used to be, forgets every row's
height on any edit or removal and measures all of them again: 30-40 ms a
correction with 5,000 cards. It looks the same: the same component classes
(``option-list--option``, ``-highlighted``, ``-hover``), border and padding,
and the same wrapping, and it posts the same ``OptionSelected`` message
(``option_id``, ``option_index``, ``option``); nothing listens for a
highlight, so none is posted.
It uses no private Textual API: an unseen child (:class:`BoardExtent`)
keeps a typed character from repainting the board's scrollbar.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable, Sequence
from itertools import accumulate
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.css.scalar import Scalar
from textual.geometry import Region, Size, clamp
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, Visual, visualize
from textual.widget import Widget
from textual.widgets import OptionList

Row = tuple[str, Hashable, Callable[[], Text]]
"""(row id, a signature of what the row shows, how to render it)"""


class CardRow:
    """One row of the board: its id, the signature of what it shows, its prompt
    (and that prompt made ready to draw, once)."""

    __slots__ = ("_visual", "id", "prompt", "signature")

    def __init__(self, row_id: str, signature: Hashable, prompt: Text) -> None:
        self.id = row_id
        self.signature = signature
        self.prompt = prompt
        self._visual: Visual | None = None


class BoardExtent(Widget):
    """An unseen child as tall as the board's rows.

    A ScrollView keeps its own virtual size, but every layout pass (Textual's
    ``Input`` asks for one on each character typed in the entry line) hands
    it the size of what it contains; when the two differ, it repaints its
    scrollbar, and with it the screen between the scrollbar and the entry
    line. With this child the layout's size is the board's.
    """

    DEFAULT_CSS = """
    BoardExtent { visibility: hidden; width: 1fr; height: 0; }
    """


class CardList(ScrollView, can_focus=True):
    """The board: one row per card (or per trouble on a pick step)."""

    ALLOW_SELECT = False  # a click chooses a card; it does not start selecting text

    # The keys of Textual's option list: ↑↓, PageUp/PageDown, Home/End, Enter.
    BINDINGS: ClassVar[list[BindingType]] = list(OptionList.BINDINGS)

    # Textual's OptionList styles, which the board had when it was one, and its own.
    DEFAULT_CSS = """
    CardList {
        height: 1fr;
        color: $foreground;
        overflow-x: hidden;
        border: round $panel;
        padding: 0 1;
        background: $surface;
        & > .option-list--option-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: round $accent;
            background-tint: $foreground 5%;
            & > .option-list--option-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .option-list--option-hover {
            background: $block-hover-background;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "option-list--option",
        "option-list--option-highlighted",
        "option-list--option-hover",
    }

    highlighted: reactive[int | None] = reactive(None)
    """The index of the highlighted row, or None."""

    _hover: reactive[int | None] = reactive(None)
    """The index of the row under the mouse, or None."""

    class OptionMessage(Message):
        """Something happened to a row."""

        def __init__(self, card_list: CardList, option: CardRow, index: int) -> None:
            super().__init__()
            self.card_list = card_list
            self.option = option
            self.option_id: str = option.id
            self.option_index = index

        @property
        def control(self) -> CardList:
            return self.card_list

    class OptionSelected(OptionMessage):
        """A row was chosen (Enter, or a click)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._rows: list[CardRow] = []
        self._by_id: dict[str, CardRow] = {}
        self._heights: list[int] = []
        self._starts: list[int] = [0]
        """Where each row starts (a line), and the number of lines last."""
        self._width: int | None = None
        """The width the heights were measured at (None: not yet measured)."""
        self._extent = BoardExtent()
        self._strips: LRUCache[tuple[CardRow, Style, int], list[Strip]] = LRUCache(1024)

    # -- what the screen and the tests read -----------------------------------------

    @property
    def options(self) -> Sequence[CardRow]:
        """The rows, top to bottom (read only)."""
        return self._rows

    @property
    def option_count(self) -> int:
        return len(self._rows)

    def get_option_at_index(self, index: int) -> CardRow:
        return self._rows[index]

    def get_option(self, row_id: str) -> CardRow:
        """The row with this id (KeyError when it is not on the board)."""
        return self._by_id[row_id]

    @property
    def highlighted_id(self) -> str | None:
        if self.highlighted is None or self.highlighted >= len(self._rows):
            return None
        return self._rows[self.highlighted].id

    def _index_of(self, row_id: str) -> int | None:
        row = self._by_id.get(row_id)
        if row is None:
            return None
        # From the end: the cards corrected or taken off are mostly the latest,
        # and a copy of the list reversed costs microseconds at 5,000 rows.
        return len(self._rows) - 1 - self._rows[::-1].index(row)

    # -- heights and lines ------------------------------------------------------------

    def _visual(self, row: CardRow) -> Visual:
        if row._visual is None:
            row._visual = visualize(self, row.prompt, markup=True)
        return row._visual

    def _measure(self, row: CardRow, width: int) -> int:
        padding = self.get_component_styles("option-list--option").padding
        return self._visual(row).get_height(self.styles, width - padding.width)

    def _content_width(self) -> int | None:
        width = self.scrollable_content_region.width
        return width if width > 0 else None

    def _measure_all(self) -> None:
        """Every row's height at the current width (a new width: O(rows), once)."""
        was, width = self._width, self._content_width()
        self._width = width
        if width is not None and width != was:
            # The rows wrap anew (or for the first time, if they were placed before
            # the board had a width): keep the highlighted card in view once laid out.
            self.call_after_refresh(self.scroll_to_highlight)
        if width is None:
            self._heights = [1] * len(self._rows)
        else:
            self._heights = [self._measure(row, width) for row in self._rows]
        self._strips.clear()
        self._sum_heights()

    def _sum_heights(self) -> None:
        """The running totals again (integers: no row measured)."""
        self._starts = list(accumulate(self._heights, initial=0))
        self._set_virtual_size()

    def _set_virtual_size(self) -> None:
        lines = self._starts[-1]
        if self._extent.styles.height != Scalar.from_number(lines):
            self._extent.styles.height = lines
        # As the layout reckons it (the extent's lines, or the view when they fit).
        size = Size(self._width or 0, max(lines, self.scrollable_content_region.height))
        if size != self.virtual_size:
            self.virtual_size = size
            self.refresh()

    @property
    def line_count(self) -> int:
        """How many lines the rows take at the board's width."""
        return self._starts[-1]

    @property
    def is_container(self) -> bool:
        return True  # for its extent alone (see BoardExtent)

    def compose(self) -> ComposeResult:
        yield self._extent

    def _height_of(self, row: CardRow) -> int:
        return 1 if self._width is None else self._measure(row, self._width)

    def _row_at_line(self, y: int) -> int | None:
        if not 0 <= y < self._starts[-1]:
            return None
        return bisect_right(self._starts, y) - 1

    def _check_width(self) -> None:
        if self._content_width() != self._width:
            self._measure_all()

    def on_mount(self) -> None:
        self._measure_all()

    def on_resize(self) -> None:
        self._check_width()
        self._set_virtual_size()  # a taller view: the lines may fit now

    # -- drawing --------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self.refresh()  # focus came or went: the highlight takes another colour
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._check_width()  # a scrollbar came or went: another width
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self._row_at_line(self.scroll_offset.y + y)
        if index is None:
            return Strip.blank(width, self.get_visual_style("option-list--option").rich_style)
        if self.highlighted == index:
            style = self.get_visual_style("option-list--option", "option-list--option-highlighted")
        elif self._hover == index:
            style = self.get_visual_style("option-list--option", "option-list--option-hover")
        else:
            style = self.get_visual_style("option-list--option")
        strips = self._render_row(self._rows[index], style, width)
        offset = self.scroll_offset.y + y - self._starts[index]
        if offset >= len(strips):
            return Strip.blank(width, self.get_visual_style("option-list--option").rich_style)
        return strips[offset]

    def _render_row(self, row: CardRow, style: Style, width: int) -> list[Strip]:
        key = (row, style, width)
        strips = self._strips.get(key)
        if strips is None:
            padding = self.get_component_styles("option-list--option").padding
            visual = self._visual(row)
            if padding:
                visual = Padding(visual, padding)
            strips = [
                strip.extend_cell_length(width, style.rich_style)
                for strip in Visual.to_strips(self, visual, width, None, style)
            ]
            self._strips[key] = strips
        return strips

    # -- the highlight and the keys ---------------------------------------------------

    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self._rows:
            return None
        return clamp(highlighted, 0, len(self._rows) - 1)

    def watch_highlighted(self, highlighted: int | None) -> None:
        if highlighted is None:
            return
        self.scroll_to_highlight()

    def scroll_to_highlight(self, top: bool = False) -> None:
        highlighted = self.highlighted
        if highlighted is None or not self.is_mounted:
            return
        self._check_width()
        start = self._starts[highlighted]
        region = Region(0, start, self.scrollable_content_region.width, self._heights[highlighted])
        self.scroll_to_region(region, force=True, animate=False, top=top, immediate=True)

    # ↑ on the first card stays there, ↓ on the last too (an OptionList wraps
    # round: a recorder pressing ↑ once too often on a pick board would land on
    # the bottom trouble and give it the next vote or the ✔ without noticing).
    def action_cursor_up(self) -> None:
        if self._rows:
            at = self.highlighted
            self.highlighted = len(self._rows) - 1 if at is None else at - 1

    def action_cursor_down(self) -> None:
        if self._rows:
            at = self.highlighted
            self.highlighted = 0 if at is None else at + 1

    def action_first(self) -> None:
        self.highlighted = 0 if self._rows else None

    def action_last(self) -> None:
        self.highlighted = len(self._rows) - 1 if self._rows else None

    def _move_page(self, direction: int) -> None:
        if self.highlighted is None:
            self.action_first() if direction < 0 else self.action_last()
            return
        self._check_width()
        line = self._starts[self.highlighted] + direction * self.scrollable_content_region.height
        self.highlighted = self._row_at_line(clamp(line, 0, self._starts[-1] - 1))

    def action_page_up(self) -> None:
        self._move_page(-1)

    def action_page_down(self) -> None:
        self._move_page(+1)

    def action_select(self) -> None:
        highlighted = self.highlighted
        if highlighted is not None:
            self.post_message(self.OptionSelected(self, self._rows[highlighted], highlighted))

    def _row_under(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        return self._row_at_line(offset.y + self.scroll_offset.y)

    async def on_click(self, event: events.Click) -> None:
        index = self._row_under(event)
        if index is not None:
            self.highlighted = index
            self.action_select()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover = self._row_under(event)

    def on_leave(self) -> None:
        self._hover = None

    # -- the rows -------------------------------------------------------------------

    def reset(self) -> None:
        """Forget the rows and the highlight (another step's board comes next)."""
        self._rows = []
        self._by_id = {}
        self._heights = []
        self._strips.clear()
        self._hover = None
        self.highlighted = None
        self.scroll_y = 0
        self._sum_heights()
        self.refresh()

    def _new_row(self, row: Row) -> CardRow:
        row_id, signature, render = row
        return CardRow(row_id, signature, render())

    def show(self, rows: list[Row], *, follow: bool = True) -> None:
        """Show ``rows``; keep the highlight on the same card where possible.

        Rows are compared by signature and rendered only when new or changed:
        recording a card on a board of a thousand renders one row, not a thousand.
        """
        keys = [(row_id, signature) for row_id, signature, _ in rows]
        shown = [(row.id, row.signature) for row in self._rows]
        if keys == shown:
            return
        same_prefix = keys[: len(shown)] == shown
        highlighted = self.highlighted_id
        if same_prefix:
            self._append([self._new_row(row) for row in rows[len(shown) :]])
        else:
            pairs = zip(self._rows, self._heights, strict=True)
            kept = {old.id: (old, height) for old, height in pairs}
            new_rows: list[CardRow] = []
            heights: list[int] = []
            for row in rows:
                old, height = kept.get(row[0], (None, 0))
                if old is not None and old.signature == row[1]:
                    new_rows.append(old)
                    heights.append(height)
                else:
                    new_rows.append(self._new_row(row))
                    heights.append(self._height_of(new_rows[-1]))
            self._rows = new_rows
            self._by_id = {row.id: row for row in new_rows}
            self._hover = None
            self._heights = heights
            self._sum_heights()
            self.refresh()
        self._settle(highlighted, follow=follow, grew=len(keys) > len(shown) and same_prefix)

    def _append(self, new: list[CardRow]) -> None:
        total = self._starts[-1]
        for row in new:
            height = self._height_of(row)
            self._rows.append(row)
            self._by_id[row.id] = row
            self._heights.append(height)
            total += height
            self._starts.append(total)
        self._set_virtual_size()
        self.refresh()

    def _settle(self, highlighted: str | None, *, follow: bool, grew: bool) -> None:
        """The highlight after the rows changed: the newest row when rows were added
        (``follow``), else the row it was on, else the last (or first) row."""
        if not self._rows:
            self.highlighted = None
            return
        if follow and grew:
            self.highlighted = len(self._rows) - 1  # the card just recorded
        elif highlighted is not None:
            index = self._index_of(highlighted)
            self.highlighted = index if index is not None else len(self._rows) - 1
        else:
            self.highlighted = len(self._rows) - 1 if follow else 0
        self.scroll_to_highlight()

    def add_rows(self, rows: list[Row], *, follow: bool = True) -> None:
        """Rows after the last one (cards just recorded): as :meth:`show` with them added."""
        if not rows:
            return
        highlighted = self.highlighted_id
        self._append([self._new_row(row) for row in rows])
        self._settle(highlighted, follow=follow, grew=True)

    def update_row(self, row: Row, *, follow: bool = True) -> bool:
        """Redraw one row if what it shows changed; False when it is not on the board."""
        index = self._index_of(row[0])
        if index is None:
            return False
        if self._rows[index].signature != row[1]:
            highlighted = self.highlighted_id
            self._replace(index, self._new_row(row))
            self._settle(highlighted, follow=follow, grew=False)
        return True

    def set_prompt(self, row_id: str, prompt: Text) -> bool:
        """Show ``prompt`` on the row with this id (same signature); False if it is gone."""
        index = self._index_of(row_id)
        if index is None:
            return False
        old = self._rows[index]
        self._replace(index, CardRow(row_id, old.signature, prompt))
        return True

    def _replace(self, index: int, row: CardRow) -> None:
        self._rows[index] = row
        self._by_id[row.id] = row
        height = self._height_of(row)
        if height != self._heights[index]:
            self._heights[index] = height
            self._sum_heights()
        self.refresh()

    def remove_rows(self, row_ids: Iterable[str], *, follow: bool = True) -> None:
        """Take these rows off the board (ids not shown are passed over)."""
        highlighted = self.highlighted_id
        removed = False
        for row_id in row_ids:
            index = self._index_of(row_id)
            if index is not None:
                del self._rows[index], self._heights[index], self._by_id[row_id]
                removed = True
        if removed:
            self._hover = None  # the rows below moved up under the mouse
            self._sum_heights()
            self.refresh()
            self._settle(highlighted, follow=follow, grew=False)

    def highlight_id(self, row_id: str) -> None:
        """Move the highlight to the row with this id, if it is shown."""
        index = self._index_of(row_id)
        if index is not None:
            self.highlighted = index
            self.scroll_to_highlight()
