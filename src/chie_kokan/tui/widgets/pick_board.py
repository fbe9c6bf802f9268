"""The pick step's board: troubles in a steady order, and counts typed from a show of hands.

The facilitator asks "who thinks this one matters most?", the recorder
counts the hands and types the number on the highlighted trouble: ``6``
Enter. The digits show on the row (and under the board) until Enter sets
them or Esc drops them; only Enter sets votes. Digits are taken from the
board's own keys, in the order they were typed, so ``1`` ``2`` Enter is 12
however fast it comes; a Japanese IME's full-width ``６`` counts too.

The rows do not move while votes are typed: the board keeps the order it
had at the last sort (new troubles and groups join at the end) and sorts
again when asked to or when another step's board comes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message

from chie_kokan.i18n import t
from chie_kokan.models.bounds import MAX_VOTES
from chie_kokan.tui.widgets.card_list import CardList, Row

MAX_DIGITS = len(str(MAX_VOTES)) + 1
"""One digit more than any count allowed: a count too large is refused with a reason."""


def typed_digit(character: str | None) -> str | None:
    """``"6"`` or ``"６"`` (full width, as an IME may commit it) → ``"6"``; anything else → None.

    Only decimal digits: ``①`` or ``六`` are not a typed count.
    """
    if character is None or len(character) != 1 or not character.isdecimal():
        return None
    return str(unicodedata.decimal(character))


def keep_order(remembered: Sequence[str], current: Sequence[str]) -> list[str]:
    """Ids of ``current`` in the ``remembered`` order; ids not remembered follow as given."""
    present = set(current)
    known = set(remembered)
    return [i for i in remembered if i in present] + [i for i in current if i not in known]


def with_note(row: Row, note: str) -> Row:
    """``row`` with a short note after it (a grouped card's votes go to its group)."""
    row_id, signature, render = row

    def rendered() -> Text:
        text = render()
        text.append(f"  {note}", style="italic")
        return text

    return row_id, (signature, note), rendered


@dataclass
class _Typed:
    """A count being typed over one row."""

    row_id: str
    digits: str
    prompt: Text
    """The row as it was before the count was shown on it."""


class PickBoard(CardList):
    """A card list that, on a pick step, takes vote counts typed as digits."""

    @dataclass
    class VotesTyped(Message):
        """The recorder typed a count of raised hands and pressed Enter."""

        board: PickBoard
        target: str
        digits: str

        @property
        def count(self) -> int:
            return int(self.digits)

        @property
        def control(self) -> PickBoard:
            return self.board

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.voting = False
        """Digits set votes (the screen turns this on for a pick step)."""
        self._order: list[str] = []
        self._typed: _Typed | None = None
        self._redrawing = False
        self._actions: dict[str, str] | None = None

    # -- a steady order ---------------------------------------------------------

    def in_shown_order(self, ids: Sequence[str]) -> list[str]:
        """``ids`` in the order the board shows them; new ones at the end.

        An id that leaves (a card gone into a group) keeps its place in
        memory, so an undo brings it back where it was.
        """
        self._order = keep_order(self._order, [*self._order, *ids])
        return keep_order(self._order, ids)

    def sort(self) -> None:
        """Forget the order: the next rows are shown as given (most votes first)."""
        self._order = []

    def reset(self) -> None:
        self._drop(tell=True)
        self._order = []
        super().reset()

    def show(self, rows: list[Row], *, follow: bool = True) -> None:
        typed = self._typed
        if typed is None:
            super().show(rows, follow=follow)
            return
        self._unpaint(typed)
        self._redrawing = True
        try:
            super().show(rows, follow=follow)
        finally:
            self._redrawing = False
        if self.highlighted_id != typed.row_id:
            self._drop(tell=True, painted=False)
            return
        assert self.highlighted is not None
        typed.prompt = self.get_option_at_index(self.highlighted).prompt
        self._paint(typed)

    # -- a typed count -------------------------------------------------------------

    @property
    def typed_digits(self) -> str | None:
        """The count being typed (None when none is)."""
        return self._typed.digits if self._typed is not None else None

    def start_typing(self) -> bool:
        """Show an empty count on the highlighted row, ready for digits."""
        row_id = self.highlighted_id
        if row_id is None:
            self.notify(t("tui.nothing_to_vote"), severity="warning")
            return False
        if self._typed is None or self._typed.row_id != row_id:
            self._drop(tell=True)
            assert self.highlighted is not None
            self._typed = _Typed(row_id, "", self.get_option_at_index(self.highlighted).prompt)
            self._paint(self._typed)
        return True

    def give_back(self, row_id: str, digits: str) -> None:
        """A count that could not be set returns to its row to be corrected."""
        if self._typed is None and self.highlighted_id == row_id and self.has_focus:
            self.start_typing()
            self._type(digits)

    async def on_key(self, event: events.Key) -> None:
        if not self.voting:
            return
        digit = typed_digit(event.character)
        if digit is not None:
            self._handled(event)
            if self.start_typing():
                self._type(digit)
        elif self._typed is not None and event.key in {"enter", "escape", "backspace"}:
            self._handled(event)
            self._finish_typing(event.key)
        else:
            # The board's other keys (↑↓, +, −, ★…) act now, in the order typed,
            # not once the key has bubbled up to the app: "6 Enter ↓ 3 Enter"
            # typed fast sets 6 and then 3 on the row below.
            action = self._key_actions().get(event.key)
            if action is not None and await self.app.run_action(action, self):
                self._handled(event)

    def _key_actions(self) -> dict[str, str]:
        """Key → action of this board's own bindings (a subclass's before its bases')."""
        if self._actions is None:
            self._actions = {}
            for cls in type(self).__mro__:
                for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
                    self._actions.setdefault(binding.key, binding.action)
        return self._actions

    def _finish_typing(self, key: str) -> None:
        typed = self._typed
        assert typed is not None
        if key == "enter":
            self._drop()
            if typed.digits:
                self.post_message(self.VotesTyped(self, typed.row_id, typed.digits))
        elif key == "escape":
            self._drop()
        else:
            typed.digits = typed.digits[:-1]
            self._paint(typed)

    def on_blur(self, event: events.Blur) -> None:
        self._drop(tell=True)

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        typed = self._typed
        if typed is not None and not self._redrawing and self.highlighted_id != typed.row_id:
            self._drop(tell=True)  # moved to another row: the count was not for it

    @staticmethod
    def _handled(event: events.Key) -> None:
        event.stop()
        event.prevent_default()  # no binding runs for a key that was part of a count

    def _type(self, digits: str) -> None:
        typed = self._typed
        assert typed is not None
        for digit in digits:
            if len(typed.digits) >= MAX_DIGITS:
                self.app.bell()
                break
            # "0" then "6" is 6: a leading zero is not part of a count.
            typed.digits = (typed.digits + digit).lstrip("0") or "0"
        self._paint(typed)

    def _paint(self, typed: _Typed) -> None:
        """The count over its row, and how to finish it under the board."""
        badge = Text(t("tui.typed_votes", digits=typed.digits), style="bold reverse")
        self.set_prompt(typed.row_id, Text.assemble(badge, " ", typed.prompt))
        self.border_subtitle = t("tui.typed_votes_hint", digits=typed.digits or "_")

    def _unpaint(self, typed: _Typed) -> None:
        self.border_subtitle = ""
        # The row may be gone (undone, grouped): then there is nothing to put back.
        self.set_prompt(typed.row_id, typed.prompt)

    def _drop(self, *, tell: bool = False, painted: bool = True) -> None:
        """Stop typing a count; ``tell`` says so when digits were typed and not set."""
        typed, self._typed = self._typed, None
        if typed is None:
            return
        if painted:
            self._unpaint(typed)
        else:
            self.border_subtitle = ""
        if tell and typed.digits:
            self.notify(t("tui.votes_not_set", digits=typed.digits), severity="warning")
