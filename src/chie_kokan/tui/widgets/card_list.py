"""The cards of the step: an OptionList updated in place.

With a thousand cards on the board, rebuilding the list on every change
would be too slow. :meth:`CardList.show` compares every row's signature and
appends when the new rows only extend the old ones; when the engine says
which cards changed, :meth:`~CardList.add_rows`, :meth:`~CardList.update_row`
and :meth:`~CardList.remove_rows` touch only those, at the cost of the
change and not of the board.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable

from rich.text import Text
from textual.geometry import Size
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

Row = tuple[str, Hashable, Callable[[], Text]]
"""(option id, a signature of what the row shows, how to render it)"""


class CardList(OptionList):
    """The board: one row per card (or per trouble on a pick step)."""

    DEFAULT_CSS = """
    CardList {
        height: 1fr;
        border: round $panel;
        padding: 0 1;
    }
    CardList:focus { border: round $accent; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._rows: list[tuple[str, Hashable]] = []

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Textual 8.2 hands a ScrollView the virtual size of its arranged children,
        # which an OptionList has none of: it keeps its own (one line a row), so the
        # two never agree, and every layout pass (one per character typed in the
        # entry line) repainted the board's scrollbar, and with it every widget
        # between the scrollbar and the entry line. Its own size is compared instead;
        # when it changes, OptionList updates the scrollbars itself.
        return super()._size_updated(size, self.virtual_size, container_size, layout)

    # ↑ on the first card stays there, ↓ on the last too. OptionList wraps round:
    # a recorder pressing ↑ once too often on a pick board would land on the
    # bottom trouble and give it the next vote or the ✔ without noticing.
    def action_cursor_up(self) -> None:
        if self._enabled_beyond(-1):
            super().action_cursor_up()

    def action_cursor_down(self) -> None:
        if self._enabled_beyond(+1):
            super().action_cursor_down()

    def _enabled_beyond(self, direction: int) -> bool:
        """Whether there is a row to move to above (-1) or below (+1) the highlight."""
        at = self.highlighted
        if at is None:
            return True  # nothing highlighted yet: the first move highlights a row
        rows = self.options[:at] if direction < 0 else self.options[at + 1 :]
        return any(not option.disabled for option in rows)

    def reset(self) -> None:
        """Forget the rows and the highlight (another step's board comes next)."""
        self.clear_options()
        self._rows = []

    def show(self, rows: list[Row], *, follow: bool = True) -> None:
        """Show ``rows``; keep the highlight on the same card where possible.

        Rows are compared by signature and rendered only when new: recording
        a card on a board of a thousand renders one row, not a thousand.
        """
        keys = [(row_id, signature) for row_id, signature, _ in rows]
        if keys == self._rows:
            return
        same_prefix = keys[: len(self._rows)] == self._rows
        highlighted = self.highlighted_id
        if same_prefix:
            new = rows[len(self._rows) :]
            self.add_options(Option(render(), id=row_id) for row_id, _, render in new)
        else:
            self.clear_options()
            self.add_options(Option(render(), id=row_id) for row_id, _, render in rows)
        grew = len(keys) > len(self._rows)
        self._rows = keys
        self._settle(highlighted, follow=follow, grew=grew and same_prefix)

    def _settle(self, highlighted: str | None, *, follow: bool, grew: bool) -> None:
        """The highlight after the rows changed: the newest row when rows were added
        (``follow``), else the row it was on, else the last (or first) row."""
        if not self._rows:
            return
        if follow and grew:
            self.highlighted = len(self._rows) - 1  # the card just recorded
        elif highlighted is not None:
            index = self._index_of(highlighted)
            self.highlighted = index if index is not None else len(self._rows) - 1
        else:
            self.highlighted = len(self._rows) - 1 if follow else 0
        self.scroll_to_highlight()

    def _index_of(self, row_id: str) -> int | None:
        try:
            return self.get_option_index(row_id)
        except OptionDoesNotExist:
            return None

    def add_rows(self, rows: list[Row], *, follow: bool = True) -> None:
        """Rows after the last one (cards just recorded): as :meth:`show` with them added."""
        if not rows:
            return
        highlighted = self.highlighted_id
        self.add_options(Option(render(), id=row_id) for row_id, _, render in rows)
        self._rows.extend((row_id, signature) for row_id, signature, _ in rows)
        self._settle(highlighted, follow=follow, grew=True)

    def update_row(self, row: Row, *, follow: bool = True) -> bool:
        """Redraw one row if what it shows changed; False when it is not on the board."""
        row_id, signature, render = row
        index = self._index_of(row_id)
        if index is None:
            return False
        if self._rows[index][1] != signature:
            highlighted = self.highlighted_id
            self._rows[index] = (row_id, signature)
            self.replace_option_prompt_at_index(index, render())
            self._settle(highlighted, follow=follow, grew=False)
        return True

    def remove_rows(self, row_ids: Iterable[str], *, follow: bool = True) -> None:
        """Take these rows off the board (ids not shown are passed over)."""
        highlighted = self.highlighted_id
        removed = False
        for row_id in row_ids:
            index = self._index_of(row_id)
            if index is not None:
                self.remove_option_at_index(index)
                del self._rows[index]
                removed = True
        if removed:
            self._settle(highlighted, follow=follow, grew=False)

    def highlight_id(self, row_id: str) -> None:
        """Move the highlight to the row with this id, if it is shown."""
        index = self._index_of(row_id)
        if index is not None:
            self.highlighted = index
            self.scroll_to_highlight()

    @property
    def highlighted_id(self) -> str | None:
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id
