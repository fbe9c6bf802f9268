"""The recorder's entry line: Enter hands over exactly the line that was typed.

A fast typist's next keys are already queued behind Enter. Textual runs a
key binding only when the key has bubbled back up to the app, by which time
the entry may hold the start of the next line: reading the field then would
merge two cards, and clearing it would split the next one. So Enter (and
Ctrl+N) are handled here, in the entry's own key order: the line is taken
and emptied at once and travels in the message; what is typed after Enter
begins the next card. Keys whose action takes the typed words along (F2:
they are the speaker's) are handled the same way (``carries``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from textual import events
from textual.message import Message
from textual.widgets import Input

SUBMIT_KEYS = {"enter": False, "ctrl+n": True}
"""Key → whether the card is unsigned (Ctrl+N: 全体, whoever has the floor)."""


class EntryLine(Input):
    """An ``Input`` whose submissions carry their own text and leave the line empty."""

    def __init__(self, *, carries: Mapping[str, str] | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.carries = dict(carries or {})
        """Key → action that takes the line with it, as it was when the key was pressed."""

    @dataclass
    class Recorded(Message):
        """A line to record as a card."""

        entry: EntryLine
        text: str
        unsigned: bool = False

        @property
        def control(self) -> EntryLine:
            return self.entry

    @dataclass
    class Taken(Message):
        """A key of ``carries`` was pressed: its action, with the line up to that key."""

        entry: EntryLine
        action: str
        text: str
        """Empty when nothing was typed."""

        @property
        def control(self) -> EntryLine:
            return self.entry

    def on_key(self, event: events.Key) -> None:
        if event.key in SUBMIT_KEYS:
            event.stop()
            event.prevent_default()  # no binding runs later with a newer value
            self.hand_over(unsigned=SUBMIT_KEYS[event.key])
        elif event.key in self.carries:
            event.stop()
            event.prevent_default()  # the screen's binding would read a newer line
            self.post_message(self.Taken(self, self.carries[event.key], self.take()))
        elif event.character == "\ufffd":
            # A byte the terminal sent that is not text (see tui/driver.py):
            # nobody typed it, so it does not go into anyone's words.
            event.stop()
            event.prevent_default()

    def _on_paste(self, event: events.Paste) -> None:
        # Input keeps only the first line of a paste; a recorder pasting a
        # note from elsewhere must not lose the rest: one line, all of it.
        super()._on_paste(events.Paste(" ".join(event.text.splitlines())))
        event.stop()

    async def action_submit(self) -> None:
        self.hand_over()

    def take(self) -> str:
        """The line typed so far, leaving the entry empty ("" when nothing was typed)."""
        text = self.value
        if not text.strip():
            return ""
        self.value = ""
        return text

    def hand_over(self, *, unsigned: bool = False) -> None:
        """Send the line off to be recorded and start an empty one."""
        text = self.take()
        if text:
            self.post_message(self.Recorded(self, text, unsigned))

    def give_back(self, text: str) -> None:
        """A line that could not be recorded returns, before anything typed since."""
        if not text:
            return
        self.value = f"{text} {self.value}" if self.value else text
        self.cursor_position = len(self.value)
