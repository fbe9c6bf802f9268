"""Text that wraps the Japanese way.

Rich wraps at spaces; a Japanese sentence has none, so it falls back to
cutting anywhere and can leave 。 or 」 at the start of a line. This widget
re-wraps its text for its own width with the line-start rules (行頭禁則),
keeping the text's styles.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

# Characters that must not begin a line in Japanese (行頭禁則).
NO_LINE_START = frozenset(
    "、。，．・：；？！ー）」』】〕〉》’”ゝゞ々ぁぃぅぇぉっゃゅょァィゥェォッャュョ,.!?)]"
)
# Characters that must not end a line (行末禁則).
NO_LINE_END = frozenset("（「『【〔〈《‘“([")


def break_offsets(text: str, width: int) -> list[int]:
    """Where to break ``text`` (offsets into it) to fit ``width`` cells.

    Existing newlines are kept. A line breaks at the last space that fits
    when there is one (English), else at the cell limit (Japanese), moving one
    character down when the limit falls before a closing mark or after an
    opening one.
    """
    offsets: list[int] = []
    if width < 2:
        return offsets
    start = 0
    used = 0
    last_space = -1
    for index, char in enumerate(text):
        if char == "\n":
            start, used, last_space = index + 1, 0, -1
            continue
        cells = cell_len(char)
        if used + cells > width and index > start:
            cut = index
            if last_space > start:
                cut = last_space + 1  # English: break after the space
            elif (char in NO_LINE_START or text[index - 1] in NO_LINE_END) and index - 1 > start:
                cut = index - 1
            offsets.append(cut)
            start, last_space = cut, -1
            used = cell_len(text[cut:index])
        if char == " ":
            last_space = index
        used += cells
    return offsets


def wrap_text(text: Text, width: int) -> Text:
    """``text`` with newlines inserted where it should wrap."""
    offsets = break_offsets(text.plain, width)
    if not offsets:
        return text
    lines = text.divide(offsets)
    for line in lines:
        line.rstrip()
    return Text("\n").join(lines)


class WrappedStatic(Static):
    """A Static whose Text is wrapped with Japanese line-breaking rules."""

    def __init__(self, content: Text | str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._source = Text(content) if isinstance(content, str) else content

    def set_text(self, content: Text | str) -> None:
        self._source = Text(content) if isinstance(content, str) else content
        self._rewrap()

    def on_resize(self, event: Resize) -> None:
        self._rewrap()

    def _rewrap(self) -> None:
        width = self.content_size.width
        self.display = bool(self._source.plain.strip())
        self.update(wrap_text(self._source, width) if width else self._source)
