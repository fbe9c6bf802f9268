"""The cards of the step: an OptionList updated in place.

With a thousand cards on the board, rebuilding the list on every keystroke
would be too slow; when the new rows only extend the old ones, we append.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

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
        if not rows:
            return
        if follow and grew and same_prefix:
            self.highlighted = len(rows) - 1  # the card just recorded
        elif highlighted is not None:
            ids = [row_id for row_id, _, _ in rows]
            self.highlighted = ids.index(highlighted) if highlighted in ids else len(rows) - 1
        else:
            self.highlighted = len(rows) - 1 if follow else 0
        self.scroll_to_highlight()

    def highlight_id(self, row_id: str) -> None:
        """Move the highlight to the row with this id, if it is shown."""
        ids = [key for key, _ in self._rows]
        if row_id in ids:
            self.highlighted = ids.index(row_id)
            self.scroll_to_highlight()

    @property
    def highlighted_id(self) -> str | None:
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id
