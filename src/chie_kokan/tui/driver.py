"""A terminal driver that survives a byte that is not UTF-8.

Textual's ``LinuxDriver`` decodes the terminal's input with a strict UTF-8
decoder: one invalid byte (a stray key from a misconfigured terminal, a
paste from a Shift_JIS window, ``tmux send-keys -H ff``) raises
``UnicodeDecodeError`` in the input thread, and the app panics — the meeting
ends. Upstream report: https://github.com/Textualize/textual/issues/6456
(fix proposed in https://github.com/Textualize/textual/pull/6498, the same
change as here). Until it lands, this is Textual 8.2's input loop with one
difference: the decoder replaces a bad byte with U+FFFD, which shows in the
entry line where the recorder can see and delete it, and the keys around it
arrive as typed. Remove this module once Textual decodes with
``errors="replace"`` itself.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder

from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver


class TolerantLinuxDriver(LinuxDriver):
    """``LinuxDriver`` whose input thread outlives undecodable bytes."""

    def run_input_thread(self) -> None:
        """Wait for input and dispatch events (Textual 8.2's loop, tolerant decoder)."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")(errors="replace").decode  # textual#6456

        def process_selector_events(
            selector_events: list[tuple[selectors.SelectorKey, int]], final: bool = False
        ) -> None:
            for last, (_key, mask) in loop_last(selector_events):
                if mask & selectors.EVENT_READ:
                    unicode_data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        break  # stdin is a closed pipe
                    for event in parser.feed(unicode_data):
                        self.process_message(event)
            for event in parser.tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(0.1))
            selector.unregister(self.fileno)
            process_selector_events(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in parser.feed(""):
                    pass
            except (EOFError, ParseError):
                pass
