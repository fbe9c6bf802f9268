"""The entry row: one line for what people say; on a spread step, three fields for an example.

A success example (成功例) is what is done, who runs it and where. On a
spread step two more fields join the entry line; Tab and Shift+Tab move
between them and Enter records all three. Nothing depends on a separator
that a Japanese IME would turn into ``・``.

Fast typing must still record exactly what was typed, field by field.
Each field handles its own keys, in its own queue; the app hands a key to
whichever field has the focus when the key is read. So Tab and Enter are
handled here as the app reads them (priority bindings, in key order): Tab
moves the focus at once, and the keys after it go to the next field. Enter
asks each field for its text *through that field's queue*, behind the keys
typed into it before Enter and ahead of any typed after, and the example
goes off when all three have answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message

from chie_kokan.tui.widgets.entry_line import EntryLine


@dataclass
class _Taken:
    """The fields' texts as they answer, in field order."""

    texts: list[str | None]
    unsigned: bool

    @property
    def complete(self) -> bool:
        return all(text is not None for text in self.texts)


class EntryRow(Horizontal):
    """The entry line and, for examples, the fields after it (class ``example-field``)."""

    DEFAULT_CSS = """
    EntryRow .example-field { display: none; width: 1fr; }
    EntryRow.-examples .example-field { display: block; }
    """

    BINDINGS = [
        Binding("enter", "record", show=False, priority=True),
        Binding("ctrl+n", "record(True)", show=False, priority=True),
        Binding("tab", "move(1)", show=False, priority=True),
        Binding("shift+tab", "move(-1)", show=False, priority=True),
    ]

    @dataclass
    class ExampleRecorded(Message):
        """An example to record: the fields' texts as typed, in field order."""

        row: EntryRow
        texts: tuple[str, ...]
        unsigned: bool = False

        @property
        def control(self) -> EntryRow:
            return self.row

    @property
    def examples(self) -> bool:
        """Whether the row takes examples (three fields) rather than one line."""
        return self.has_class("-examples")

    @property
    def fields(self) -> list[EntryLine]:
        """The entry line, then the example fields."""
        return list(self.query_children(EntryLine))

    def show_examples(self, examples: bool, labels: tuple[str, ...] = ()) -> None:
        """Three fields (titled ``labels``) for examples, or the one entry line."""
        if examples == self.examples:
            return
        fields = self.fields
        if not examples and self.screen.focused in fields[1:]:
            self.screen.set_focus(fields[0])  # a hidden field must not keep the keys
        self.set_class(examples, "-examples")
        for entry, label in zip(fields, labels if examples else [""] * len(fields), strict=False):
            entry.border_title = label

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"record", "move"}:
            return self.examples  # otherwise the entry line takes the key as usual
        return True

    def action_move(self, step: int) -> None:
        fields = self.fields
        focused = self.screen.focused
        index = fields.index(focused) if focused in fields else 0
        # Now, not after a refresh: the next key read goes to the new field.
        self.screen.set_focus(fields[(index + step) % len(fields)])

    def action_record(self, unsigned: bool = False) -> None:
        self.record(unsigned=unsigned)

    def record(self, *, unsigned: bool = False) -> None:
        """Send what is typed off to be recorded, and start again in the first field."""
        fields = self.fields
        if not self.examples:
            fields[0].hand_over(unsigned=unsigned)
            return
        taken = _Taken([None] * len(fields), unsigned)
        for index, entry in enumerate(fields):
            entry.call_later(self._take, taken, index, entry)
        self.screen.set_focus(fields[0])

    def _take(self, taken: _Taken, index: int, entry: EntryLine) -> None:
        """In ``entry``'s own queue: its text as typed before Enter, and an empty field."""
        taken.texts[index] = entry.value
        entry.value = ""
        if not taken.complete:
            return
        texts = tuple(text or "" for text in taken.texts)
        if any(text.strip() for text in texts):
            self.post_message(self.ExampleRecorded(self, texts, taken.unsigned))

    def give_back(self, texts: tuple[str, ...]) -> None:
        """An example that could not be recorded returns to its fields."""
        for entry, text in zip(self.fields, texts, strict=False):
            if text:
                entry.give_back(text)
